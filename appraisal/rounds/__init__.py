"""Rounds 1 and 2 of the appraisal: the appraiser's list and sheet, item saves, bulk actions, workflow."""
