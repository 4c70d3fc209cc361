"""Survey settings of a period: how ballots are averaged, which items SIPAS feeds, and what is still missing."""
