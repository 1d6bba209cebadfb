#!/usr/bin/env python3
"""Write a workbook with openpyxl, as a program other than panelaudit would.

Agencies do not always send back the form `panelaudit forms` made: some copy the questions into
their own spreadsheet tool, or a council's system exports the return. This script lets the
tests check that such a workbook imports correctly when it keeps the layout (an About sheet
with labels in column A and values in column B; a Return sheet whose first row names the
columns), even though openpyxl writes its files quite differently from rust_xlsxwriter
(shared strings, its own styles, dates as numbers with a date format).

Usage:
    python3 scripts/make_foreign_xlsx.py OUT.xlsx SPEC.json

SPEC.json describes the sheets, in order:

    {"sheets": [
        {"name": "About",
         "rows": [["Agency id", "police"], ["Submitted (date)", {"date": "2025-10-14"}]]},
        {"name": "Return",
         "rows": [["Question id", "Rating", "Confidence", "Evidence"],
                  ["fa-s-01", "2 - Reasonable assurance", "high", "Audit, June 2025"]],
         "merge": ["D2:D3"]}
    ]}

Each row is a list of cell values: text, a number, null for an empty cell, or
{"date": "YYYY-MM-DD"} for a date cell. Rows start at row 1, cells at column A.
"""

import datetime
import json
import sys

from openpyxl import Workbook
from openpyxl.styles import Alignment


def cell_value(value):
    if isinstance(value, dict) and "date" in value:
        return datetime.date.fromisoformat(value["date"])
    return value


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    out, spec_path = argv[1], argv[2]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in spec["sheets"]:
        ws = wb.create_sheet(sheet["name"])
        for r, row in enumerate(sheet.get("rows", []), start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=cell_value(value))
                if isinstance(value, dict):
                    cell.number_format = "dd/mm/yyyy"
                elif isinstance(value, str) and "\n" in value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for cells in sheet.get("merge", []):
            ws.merge_cells(cells)
    wb.save(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
