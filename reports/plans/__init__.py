"""Recovery plans of the province and its units: projection (calc), selectors, services, files (render), pages."""
