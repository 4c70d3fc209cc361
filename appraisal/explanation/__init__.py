"""The unit's explanation of the items flagged in round 1, with supplementary evidence."""
