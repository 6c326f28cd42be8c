"""Spreadsheets: read one (CSV or .xlsx, from a tracker or a person) into hearback/v1
applications, and write the user's out as CSV (docs/data-format.md, CSV).

- `files`: an uploaded file as text (encodings; a workbook's first sheet).
- `columns` and `tools`: what columns and status words mean, as data.
- `dates`: dates as spreadsheets write them, day-first or month-first per column.
- `reading`: the file into applications, with the preview's mapping step (`Choices`).
- `writing`: the CSV export, and its guard against formulas.
"""

from applications.spreadsheet.columns import (
    EMPTY_MARKERS,
    IGNORE,
    MEANINGS,
    NOT_SENT,
    OPEN,
    STAGE_WORDS,
)
from applications.spreadsheet.dates import DAY_FIRST, MONTH_FIRST, parse_date
from applications.spreadsheet.reading import (
    MAX_COLUMNS,
    PREVIEW_ROWS,
    Choices,
    CsvReading,
    csv_read,
    parse_salary,
)
from applications.spreadsheet.tools import TOOLS
from applications.spreadsheet.writing import EXPORT_HEADER, csv_export

__all__ = [
    "DAY_FIRST",
    "EMPTY_MARKERS",
    "EXPORT_HEADER",
    "IGNORE",
    "MAX_COLUMNS",
    "MEANINGS",
    "MONTH_FIRST",
    "NOT_SENT",
    "OPEN",
    "PREVIEW_ROWS",
    "STAGE_WORDS",
    "TOOLS",
    "Choices",
    "CsvReading",
    "csv_export",
    "csv_read",
    "parse_date",
    "parse_salary",
]
