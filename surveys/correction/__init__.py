"""Correcting and voiding a ballot with a reason, before publication."""
