"""The ranking table of published results: its selectors, the staff page and Excel download, the rankings API."""
