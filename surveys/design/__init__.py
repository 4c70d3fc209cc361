"""Survey design: ballot forms, questions, options and sample plans; the forms' Excel import, export, copy."""
