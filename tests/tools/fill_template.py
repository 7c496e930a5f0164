#!/usr/bin/env python3
"""Fill in an `ahq template` workbook as a person would, with openpyxl.

Usage: fill_template.py IN.xlsx OUT.xlsx JSON_ANSWERS

JSON_ANSWERS is a JSON object (the text itself, or @FILE to read it from a file):

    {"flag": "No", "contact": "Jan Peeters", "answers": {"1": "Yes.", "3": null}}

Every key is optional. A string is typed into the cell as text (so "21" stays
the text 21, not a number); null clears the cell (removing what the template
put there, such as the flag's "Yes"); "" stores an empty string, which is how
some programs write a cell that was cleared.

The cells are found by their labels, never by fixed positions: the row whose
column A says "Wider Dissemination?" gets the flag in column B, "Contact" gets
the contact in B, and a row whose column A is a question id gets the answer in
column C. A label that cannot be found is an error (exit status 1), so a
template whose layout changed makes the calling test fail loudly.

This is used by tests/template_roundtrip.rs: a spreadsheet program that is not
ahq writes the answers, and ahq must read back exactly what was typed.
"""

import json
import sys

import openpyxl


def norm(value):
    """A label cell's text, compared loosely: trimmed, case and spacing ignored."""
    if value is None:
        return ""
    return " ".join(str(value).split()).casefold()


def find_label_rows(ws):
    """Maps each column-A label (loosely compared) to its row number (1-based)."""
    rows = {}
    for row in ws.iter_rows(min_col=1, max_col=1):
        cell = row[0]
        key = norm(cell.value)
        if key and key not in rows:
            rows[key] = cell.row
    return rows


def response_sheet(wb):
    """The visible sheet that holds the "Wider Dissemination?" label."""
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        if norm("Wider Dissemination?") in find_label_rows(ws):
            return ws
    sys.exit("fill_template.py: no visible sheet has a \"Wider Dissemination?\" label in column A")


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    src, dst, spec = argv[1], argv[2], argv[3]
    if spec.startswith("@"):
        with open(spec[1:], encoding="utf-8") as f:
            spec = f.read()
    fill = json.loads(spec)

    wb = openpyxl.load_workbook(src)
    ws = response_sheet(wb)
    labels = find_label_rows(ws)

    def set_cell(label, column, value):
        row = labels.get(norm(label))
        if row is None:
            sys.exit(f"fill_template.py: no row labelled {label!r} in column A of sheet {ws.title!r}")
        cell = ws[f"{column}{row}"]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # text, whatever it looks like

    if "flag" in fill:
        set_cell("Wider Dissemination?", "B", fill["flag"])
    if "contact" in fill:
        set_cell("Contact", "B", fill["contact"])
    for qid, answer in fill.get("answers", {}).items():
        set_cell(qid, "C", answer)

    wb.save(dst)


if __name__ == "__main__":
    main(sys.argv)
