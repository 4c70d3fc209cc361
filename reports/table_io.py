"""Re-export of scoring.spreadsheets.io, where the spreadsheet reader now lives so that scoring can use it too.

Kept so that reports code (and anything outside) importing reports.table_io goes on working; the
import direction scoring <- reports forbids the reverse.
"""

from scoring.spreadsheets.io import (
    Cell,
    RowError,
    RowsError,
    Table,
    TableReadError,
    is_blank,
    read_sheet,
    read_table,
)

__all__ = ["Cell", "RowError", "RowsError", "Table", "TableReadError", "is_blank", "read_sheet", "read_table"]
