"""Report jobs: ask for a report file or a recompute, run it in the background, follow and download it."""
