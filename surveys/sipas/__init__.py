"""SIPAS: satisfaction results imported or typed per unit, and their conversion into points."""
