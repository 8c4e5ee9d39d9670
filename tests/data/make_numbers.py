#!/usr/bin/python3
"""Writes numbers.xls (xlwt) and numbers.xlsx (openpyxl): the same numbers in both workbooks,
for the test that the XLS and XLSX readers give each number the same canonical text
(src/formats/text_writers.h, AppendCanonicalNumber).

Run with Debian's Python, which has python3-xlwt and python3-openpyxl:
  /usr/bin/python3 tests/data/make_numbers.py
The outputs are committed; rerun only to change the fixtures (and the test with them).
"""
import os

import openpyxl
import xlwt

HERE = os.path.dirname(os.path.abspath(__file__))

# One number a row, stored as a double (never as an integer record), beside its label.
NUMBERS = [
    ("1e10", 1e10),
    ("1e6", 1e6),
    ("1e-7", 1e-7),
    ("1e-5", 1e-5),
    ("-0", -0.0),
    ("0.1", 0.1),
    ("-0.125", -0.125),
    ("1119.12", 1119.12),
    ("999999999999999", 999999999999999.0),
    ("1e15", 1e15),
    ("1.5e17", 1.5e17),  # both writers keep 16 digits at most: a value they store exactly
    ("1/3", 1 / 3),
]


def main():
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Số")
    for row, (label, value) in enumerate(NUMBERS):
        sheet.write(row, 0, label)
        sheet.write(row, 1, value)
    book.save(os.path.join(HERE, "numbers.xls"))

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Số"
    for label, value in NUMBERS:
        ws.append([label, value])
    wb.save(os.path.join(HERE, "numbers.xlsx"))


if __name__ == "__main__":
    main()
