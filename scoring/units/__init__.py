"""Units and groups kept by the body administrator: create, rename (keeping the old names), move, (de)activate,
and record mergers and splits as lineage."""
