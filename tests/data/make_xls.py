#!/usr/bin/python3
"""Writes sample.xls (legacy Excel, BIFF8) for the XLS reader's tests.

Run with Debian's Python, which has python3-xlwt:  /usr/bin/python3 tests/data/make_xls.py
The output is committed; rerun only to change the fixture (and update xls_test.cpp with it).
"""
import datetime
import os

import xlwt

HERE = os.path.dirname(os.path.abspath(__file__))

# Cấp huyện của tỉnh Quảng Ninh: mã, tên, dân số, diện tích (km²), ngày thành lập, có cảng.
UNITS = [
    ("193", "Thành phố Hạ Long", 300267, 1119.12, datetime.date(1993, 12, 27), True),
    ("195", "Thành phố Móng Cái", 108553, 519.58, datetime.date(2008, 9, 24), True),
    ("196", "Thành phố Cẩm Phả", 190232, 486.45, datetime.date(2012, 2, 21), True),
    ("197", "Thành phố Uông Bí", 120982, 256.3, datetime.date(2011, 2, 25), False),
    ("198", "Huyện Bình Liêu", 32070, 470.1, datetime.date(1919, 1, 1), False),
    ("199", "Huyện Tiên Yên", 51508, 652.0, datetime.date(1994, 12, 15), True),
    ("201", "Huyện Hải Hà", 61639, 511.04, datetime.date(1979, 11, 3), True),
    ("203", "Huyện Vân Đồn", 46616, None, datetime.date(1994, 3, 16), True),
    ("205", "Thị xã Đông Triều", 177024, 397.2, datetime.date(2015, 11, 20), False),
    ("207", "Huyện Cô Tô", 6538, 47.3, datetime.date(1994, 3, 23), True),
]

LETTERS = ("aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộ"
           "ơờởỡớợpqrstuùủũúụưừửữứựvxyỳỷỹýỵ")


def main():
    book = xlwt.Workbook(encoding="utf-8")
    date = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    decimal = xlwt.easyxf(num_format_str="#,##0.00")
    datetime_style = xlwt.easyxf(num_format_str="DD/MM/YYYY HH:MM:SS")
    time_style = xlwt.easyxf(num_format_str="HH:MM:SS")
    bold = xlwt.easyxf("font: bold on")

    units = book.add_sheet("Đơn vị hành chính")
    # Row 1: a title over the table, as agencies write them.
    units.write_merge(0, 0, 0, 5, "Danh sách đơn vị hành chính cấp huyện tỉnh Quảng Ninh", bold)
    header = ["Mã", "Tên đơn vị", "Dân số", "Diện tích (km²)", "Ngày thành lập", "Có cảng"]
    for col, name in enumerate(header):
        units.write(1, col, name, bold)
    for i, (code, name, people, area, founded, port) in enumerate(UNITS):
        row = 2 + i
        units.write(row, 0, code)
        units.write(row, 1, name)
        units.write(row, 2, people)
        if area is not None:
            units.write(row, 3, area, decimal)
        units.write(row, 4, founded, date)
        units.write(row, 5, port)
    # Row 13 stays empty; row 14 is a source note below the table.
    units.write(13, 0, "Nguồn: Cục Thống kê tỉnh Quảng Ninh, 2023")

    notes = book.add_sheet("Ghi chú")
    notes.write(0, 0, "Chữ cái")
    notes.write(0, 1, "Cập nhật lúc")
    notes.write(0, 2, "Giờ làm việc")
    notes.write(0, 3, "Tỷ lệ")
    notes.write(1, 0, LETTERS)
    notes.write(1, 1, datetime.datetime(2024, 3, 15, 8, 30, 0), datetime_style)
    notes.write(1, 2, datetime.time(7, 45, 30), time_style)
    notes.write(1, 3, -0.125)
    notes.write(2, 0, LETTERS.upper())
    notes.write(2, 3, 1e-7)
    # A formatted but empty cell far below: the sheet's dimensions reach row 10, its values don't.
    notes.write(9, 5, "", xlwt.easyxf("pattern: pattern solid, fore_colour yellow"))

    book.save(os.path.join(HERE, "sample.xls"))


if __name__ == "__main__":
    main()
