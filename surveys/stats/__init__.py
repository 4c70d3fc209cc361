"""Survey tracking and statistics: ballots issued, returned, accepted and rejected; answer distributions."""
