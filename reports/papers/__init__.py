"""Papers ready to sign: the particulars of a period's papers and the unit's dossier and appraisal notice PDFs."""
