"""The year's setup by the body administrator: create a period (from last year), deadlines, bands, checklist, open."""
