"""Ballots typed from paper: the entry page and the one store every ballot write goes through."""
