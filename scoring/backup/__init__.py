"""Backup and restore of the whole installation: the database and the media files in one checked archive."""
