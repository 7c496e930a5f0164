"""Peer (b): a fast Python pipeline: python-calamine reads each response,
XlsxWriter writes the two workbooks."""

import csv

import xlsxwriter
from python_calamine import CalamineWorkbook

import common

HEADER = ["Country", "Wider Dissemination"] + [f"Question {q}" for q in common.QUESTIONS]


def read_rows(path):
    if path.endswith(".csv"):
        with open(path, newline="", encoding="utf-8") as f:
            return list(csv.reader(f, delimiter=";"))
    wb = CalamineWorkbook.from_path(path)
    return wb.get_sheet_by_index(0).to_python(skip_empty_area=False)


def write_workbook(path, cover, rows, summary):
    wb = xlsxwriter.Workbook(path)
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    ws = wb.add_worksheet("Cover")
    for i, line in enumerate(cover):
        ws.write_string(i, 0, line)
    ws = wb.add_worksheet("Responses")
    ws.write_row(0, 0, HEADER, wb.add_format({"bold": True}))
    for i, row in enumerate(rows, 1):
        for j, value in enumerate(row):
            ws.write_string(i, j, value, wrap)
    ws.freeze_panes(1, 1)
    ws = wb.add_worksheet("Summary")
    for i, row in enumerate(summary):
        ws.write_row(i, 0, row)
    wb.close()


if __name__ == "__main__":
    common.main(read_rows, write_workbook)
