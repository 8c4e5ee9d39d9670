#!/usr/bin/python3
"""Writes legacy.xls (BIFF8) for the tests of formula results and TCVN3/VNI text in workbooks.

Run with Debian's Python, which has python3-xlwt:  /usr/bin/python3 tests/data/make_legacy_xls.py
The output is committed; rerun only to change the fixture (and update the tests with it).

xlwt writes formulas without their last result (Excel computes it when it opens the file), so
the script writes the cached results itself, as Excel would have saved them: it takes xlwt's
workbook stream, sets the result of each FORMULA record, inserts the STRING record that follows
a formula with a string result, moves the sheets' offsets in BOUNDSHEET, and saves the stream in
a compound file with xlwt's own writer.
"""
import os
import struct

import xlwt
from xlwt.CompoundDoc import XlsDoc

HERE = os.path.dirname(os.path.abspath(__file__))

# (row, column) → cached result: a float, a str, a bool, or ("error", code).
RESULTS = {
    (5, 13): 840.0,                  # =SUM(B6:M6)
    (6, 13): 852.0000000000001,      # float noise, as Hue.xls has it
    (7, 1): "Tæng",                  # a string result in .VnTime: "Tổng"
    (7, 2): True,                    # =B6>0
    (7, 3): ("error", 0x07),         # =1/0: #DIV/0!
    (9, 0): 45611.0,                 # =DATE(2024,11,15) shown as dd/mm/yyyy: 2024-11-15
    (9, 1): 45611.5,                 # the same plus half a day, dd/mm/yyyy hh:mm
    (9, 2): 3958.0,                  # =A6*2 shown as #,##0.00: a number, not a date
}


def build():
    book = xlwt.Workbook(encoding="utf-8")
    vn_time = xlwt.easyxf("font: name .VnTime")
    vn_time_h = xlwt.easyxf("font: name .VnTimeH")
    vni = xlwt.easyxf("font: name VNI-Times")
    arial = xlwt.easyxf("font: name Arial")

    sheet = book.add_sheet("R")
    sheet.write(0, 0, "Tr¹m: HuÕ (Thõa Thiªn - HuÕ)", vn_time)
    sheet.write(1, 0, "YÕu tè: L\u00adîng m\u00ada th¸ng (mm)", vn_time)
    sheet.write(2, 0, "hµ néi", vn_time_h)               # an H font: capitals, "HÀ NỘI"
    sheet.write(4, 0, "N¨m", vn_time)
    for month in range(1, 13):
        sheet.write(4, month, ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][month - 1], vn_time)
    sheet.write(4, 13, "N¨m", vn_time)
    for row, year in ((5, 1979), (6, 1980)):
        sheet.write(row, 0, year)
        for month in range(1, 13):
            sheet.write(row, month, 10.0 * month + row)
        sheet.write(row, 13, xlwt.Formula("SUM(B%d:M%d)" % (row + 1, row + 1)))
    sheet.write(7, 0, "Haø Noäi", vni)                    # VNI: "Hà Nội"
    sheet.write(7, 1, xlwt.Formula('"T"&"æng"'), vn_time)
    sheet.write(7, 2, xlwt.Formula("B6>0"))
    sheet.write(7, 3, xlwt.Formula("1/0"))
    sheet.write(8, 0, "Thõa Thiªn", arial)               # TCVN3 in a Unicode font: by content
    sheet.write(8, 1, "Hà Nội", vn_time)                  # converted already, the font kept
    sheet.write(8, 2, "Café", arial)                      # Latin-1 text that is not Vietnamese
    # Formulas whose results are dates by their cells' number formats (row 10).
    sheet.write(9, 0, xlwt.Formula("DATE(2024,11,15)"), xlwt.easyxf(num_format_str="dd/mm/yyyy"))
    sheet.write(9, 1, xlwt.Formula("DATE(2024,11,15)+0.5"),
                xlwt.easyxf(num_format_str="dd/mm/yyyy hh:mm"))
    sheet.write(9, 2, xlwt.Formula("A6*2"), xlwt.easyxf(num_format_str="#,##0.00"))

    other = book.add_sheet("Ghi chú")
    other.write(0, 0, "Nguån: IMHEN", vn_time)            # "Nguồn: IMHEN"
    return book


def records(data):
    at = 0
    while at + 4 <= len(data):
        kind, size = struct.unpack_from("<HH", data, at)
        yield kind, data[at + 4:at + 4 + size]
        at += 4 + size


def cache_results(data):
    out = []          # (kind, body)
    sheet = -1
    for kind, body in records(data):
        if kind == 0x0809:
            sheet += 1
        if kind == 0x0006 and sheet == 1:
            row, col = struct.unpack_from("<HH", body, 0)
            result = RESULTS.get((row, col))
            body = bytearray(body)
            string = None
            if isinstance(result, bool):
                body[6:14] = struct.pack("<BBBBBBH", 1, 0, int(result), 0, 0, 0, 0xFFFF)
            elif isinstance(result, float):
                body[6:14] = struct.pack("<d", result)
            elif isinstance(result, str):
                body[6:14] = struct.pack("<BBBBBBH", 0, 0, 0, 0, 0, 0, 0xFFFF)
                encoded = result.encode("utf-16-le")
                string = struct.pack("<HB", len(result), 1) + encoded
            elif isinstance(result, tuple):
                body[6:14] = struct.pack("<BBBBBBH", 2, 0, result[1], 0, 0, 0, 0xFFFF)
            out.append((kind, bytes(body)))
            if string is not None:
                out.append((0x0207, string))
            continue
        out.append((kind, body))
    # The sheets' offsets (BOUNDSHEET, in the globals) follow the inserted records.
    stream = b""
    bofs = []
    for kind, body in out:
        if kind == 0x0809:
            bofs.append(len(stream))
        stream += struct.pack("<HH", kind, len(body)) + body
    fixed = bytearray(stream)
    at, n = 0, 0
    for kind, body in records(stream):
        if kind == 0x0085:
            n += 1
            struct.pack_into("<I", fixed, at + 4, bofs[n])
        at += 4 + len(body)
    return bytes(fixed)


def main():
    data = cache_results(build().get_biff_data())
    with open(os.path.join(HERE, "legacy.xls"), "wb") as f:
        XlsDoc().save(f, data)


if __name__ == "__main__":
    main()
