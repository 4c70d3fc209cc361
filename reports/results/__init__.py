"""Live results: built from the assessments (live), recomputed and kept fresh (services), read (selectors)."""
