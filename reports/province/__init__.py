"""The province's own national index: its results file (io, data), targets (calc), selectors, services, pages."""
