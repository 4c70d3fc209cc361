"""The people of an evaluating body, run by its administrator: list, invite, roles, deactivate, passwords."""
