"""Double entry: the two keyings of each paper ballot compared, and the mismatches resolved."""
