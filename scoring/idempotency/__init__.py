"""Create forms and API calls carried out once per submission key (double submits, retried requests)."""
