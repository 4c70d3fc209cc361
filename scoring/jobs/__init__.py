"""Background jobs of every app: one model (scoring.models.Job), a registry of what each kind does, one runner."""
