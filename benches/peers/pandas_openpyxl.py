"""Peer (a): what a coordinator writes: pandas.read_excel (openpyxl; odf for
.ods) reads each response, openpyxl writes the two workbooks."""

import csv

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font

import common

HEADER = ["Country", "Wider Dissemination"] + [f"Question {q}" for q in common.QUESTIONS]


def read_rows(path):
    if path.endswith(".csv"):
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.reader(f, delimiter=";"))
    engine = "odf" if path.endswith(".ods") else "openpyxl"
    df = pd.read_excel(path, sheet_name=0, header=None, engine=engine, dtype=object)
    return df.values.tolist()


def write_workbook(path, cover, rows, summary):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cover"
    for i, line in enumerate(cover, 1):
        ws.cell(row=i, column=1, value=line)
    ws = wb.create_sheet("Responses")
    ws.append(HEADER)
    for c in ws[1]:
        c.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append(row)
        for c in ws[ws.max_row]:
            c.alignment = wrap
    ws.freeze_panes = "B2"
    ws = wb.create_sheet("Summary")
    for row in summary:
        ws.append(row)
    wb.save(path)


if __name__ == "__main__":
    common.main(read_rows, write_workbook)
