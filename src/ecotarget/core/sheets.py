"""Rows of .xlsx exports written so that no text ever becomes a formula.

Text typed by a user or read from an imported plan may begin with `=`, `+`, `-` or `@` (or a tab or carriage
return, which spreadsheets skip before reading one): openpyxl stores a leading `=` as a live formula, and a
spreadsheet re-reads the others as one when the cell is edited. Every export appends its rows here: such text is
stored as a string with the quote-prefix style, so it shows exactly as typed and stays text; numbers stay numbers.
"""

from collections.abc import Sequence

from openpyxl.worksheet.worksheet import Worksheet

FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def append_row(sheet: Worksheet, values: Sequence[object]) -> None:
    sheet.append(list(values))
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        if isinstance(value, str) and value.startswith(FORMULA_LEADS):
            cell = sheet.cell(row, column)
            cell.data_type = "s"
            cell.quotePrefix = True
