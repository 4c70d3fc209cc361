"""Appraiser assignments: who appraises which unit or field of a period, kept by the body\x27s administrator."""
