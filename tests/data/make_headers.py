#!/usr/bin/python3
"""Writes headers.xlsx (openpyxl), the workbook of the header tests (src/datastore/datastore_test.cpp,
HeadersTest and the integration test tests/integration/headers.test.mjs), as an agency makes one:

  row 1  a title merged across the whole table ("Merge & Center"): A1:E1
  row 2  a notes line: "Đơn vị tính: km², nghìn người"
  row 3  a header over two rows: "Tỉnh" merged down A3:A4, "2011" merged across B3:C3,
         "2012" across D3:E3
  row 4  the sub-labels "Diện tích (km²)", "Dân số (nghìn người)" under each year
  rows 5-8  four provinces; "-" (no value) and "x" in two cells, 2,5E+10-like small numbers
  row 9  a blank row, row 10 a source line (left out with last_row = 8)

Run with Debian's Python, which has python3-openpyxl:
  /usr/bin/python3 tests/data/make_headers.py
The output is committed; rerun only to change the fixture (and the tests with it).
"""
import os

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Diện tích và dân số"
ws["A1"] = "DIỆN TÍCH VÀ DÂN SỐ CÁC TỈNH BẮC TRUNG BỘ"
ws.merge_cells("A1:E1")
ws["A2"] = "Đơn vị tính: km², nghìn người"
ws["A3"] = "Tỉnh"
ws.merge_cells("A3:A4")
ws["B3"] = 2011
ws.merge_cells("B3:C3")
ws["D3"] = 2012
ws.merge_cells("D3:E3")
for col in ("B", "D"):
    ws[f"{col}4"] = "Diện tích (km²)"
for col in ("C", "E"):
    ws[f"{col}4"] = "Dân số (nghìn người)"
rows = [
    ("Thanh Hoá", 11114.7, 3412.6, 11114.7, 3426.6),
    ("Nghệ An", 16490.3, 2942.9, 16490.3, 2952.0),
    ("Hà Tĩnh", 5997.3, "-", 5997.8, 1229.3),
    ("Thừa Thiên Huế", 5033.2, 1090.9, "x", 1103.1),
]
for i, r in enumerate(rows, start=5):
    for j, v in enumerate(r):
        ws.cell(row=i, column=j + 1, value=v)
ws["A10"] = "Nguồn: Niên giám thống kê 2012"
wb.save(os.path.join(HERE, "headers.xlsx"))
