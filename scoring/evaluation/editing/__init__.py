"""Editing a criteria set in the product: one item, a child, a deletion, or the whole tree, with versions.

Every edit is checked as the workbook is (io.parse_rows, tree.check_tree) on the whole would-be tree; once the set
is in use (its period open, or a dossier refers to its items) an edit needs a new version first and may not lose
anything a person typed.
"""
