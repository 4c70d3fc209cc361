"""Ballots imported from a CSV or Excel file: reading and checking the file, storing it, the job."""
