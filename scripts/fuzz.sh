#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) with clang into build-fuzz/ and runs each for
# FUZZ_SECONDS (default 20) from a seed corpus of small real files. A crash, a leak, undefined
# behaviour or a broken promise (fuzz/*.cpp abort) fails the run and leaves the input that
# caused it in build-fuzz/crashes/.
# The targets are a separate CMake project built with clang, ASan and UBSan from the same sources
# (base, text, formats); fuzz_legacy also checks that conversion gives valid UTF-8 and the same
# text however the input is cut into chunks. fuzz_xls reads through XlsDump with a sanitized
# helper (xls_helper), so FreeXL's own overflow (tests/data/freexl-overflow.xls) ends the
# helper, not the fuzzer. scripts/test.sh runs this at its end.
# fuzz_header chooses a table's header and rows (the first three bytes name the rows) over CSV;
# fuzz_wide reads a wide statistics table long (datastore/ingest/wide_to_long.h) the same way.
# Usage: scripts/fuzz.sh [TARGET…]   (csv xlsx xml_scan xls biff json_rows json_nested legacy
# params header wide; default all)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build-fuzz"
seconds=${FUZZ_SECONDS:-20}
targets=("$@")
((${#targets[@]})) || targets=(csv xlsx xml_scan xls biff json_rows json_nested legacy params header wide)

cmake -S "$root/fuzz" -B "$out" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$out" -j2

# Seeds: a few small files of each kind, written here so that the repository holds no binaries
# beyond tests/data.
seeds="$out/seeds"
rm -rf "$seeds"
rm -rf "$out/crashes"
mkdir -p "$seeds"/{csv,xlsx,xml_scan,xls,biff,json_rows,json_nested,legacy,params,header,wide} "$out/crashes"
printf 'Mã;Tên đơn vị;Dân số\n001;Phường Phúc Xá;"24.685"\n002;"Phường ""Trúc"" Bạch";9.873\n' >"$seeds/csv/semicolon.csv"
printf 'DANH SÁCH\n\nTên,Ngày,Số\n"a\nb",01/02/2024,"1.234,5"\r\nc,,\n' >"$seeds/csv/title.csv"
printf 'a\tb\n1\t2\n' >"$seeds/csv/tab.tsv"
# Header choice: three bytes (header, first and last data rows; 0 finds them), then a CSV with a
# title, notes, a two-row header and placeholders.
printf '\0\0\0DIỆN TÍCH VÀ DÂN SỐ\nĐơn vị: km²\nTỉnh,2011,,2012,\n,Diện tích,Dân số,Diện tích,Dân số\nHuế,"5033,2",-,x,1103\nVinh,1e-07,12,13,14\n' >"$seeds/header/auto.csv"
# Wide: key columns, then one column per year and item, with units, footnote marks and a
# two-row header.
printf '\0\0\0Bảng 1. Diện tích và dân số\nTỉnh,2011 Area (Km2),2011 Average population (Thous. pers.),2012 Area (Km2)(*),2012 Average population (Thous. pers.)\nHuế,"5033,2",1103,5033.2,1115\nĐà Nẵng,1285,951,1285,973\n(*) Số liệu sơ bộ,,,,\n' >"$seeds/wide/one_row.csv"
printf '\0\0\0Mã,Tỉnh,2020,,2021,\n,,Diện tích (km²),Dân số (nghìn người),Diện tích (km²),Dân số (nghìn người)\n46,Huế,4947,1129,4947,1133\n48,Đà Nẵng,1285,1169,1285,1195\n' >"$seeds/wide/two_rows.csv"
printf '\3\5\6Mã,Tên\nBảng 2,,\nMã trường,Tên trường,Số lớp\n(1),(2),(3)\n046001,Quốc Học,42\n046002,Hai Bà Trưng,không có\nTổng,,80\n' >"$seeds/header/named.csv"
printf '[{"ten":"Huế","so":1.5,"co":true},{"ten":"Vinh","x":[1,{"y":null}],"so":-2e3}]' >"$seeds/json_rows/array.json"
printf '{"a":"\\u0048\\u1ec7"}\n{"a":2}\n' >"$seeds/json_rows/lines.ndjson"
printf '[["a","b"],[1,"\\\\"]]' >"$seeds/json_rows/lists.json"
# Nested: provinces → wards (the default), links under wards, and a chosen path on line 1.
printf '[{"Code":"01","Name":"Hà Nội","Wards":[{"Code":"00004","Name":"Ba Đình"},{"Code":"00008"}]},7,{"Wards":[],"Code":"46"}]' >"$seeds/json_nested/wards.json"
printf '{"data":[{"level1_id":"01","name":"A","merges":[{"old_id":"01"}],"level2s":[{"level2_id":"00004","name":"B","merges":[{"old_id":"1","type":"full"},{"old_id":"2","x":{"y":[1]}}]}]}],"stats":{"n":1}}' >"$seeds/json_nested/merges.json"
printf 'data[].level2s[]\n{"data":[{"k":1,"level2s":[{"v":1},{"v":2}]},{"level2s":[{"v":3}],"k":2}]}' >"$seeds/json_nested/chosen.txt"
# XML: the first byte sets the size of the pieces the scanner is fed.
printf '\x07<?xml version="1.0" encoding="UTF-8"?>\r\n<worksheet xmlns="x"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Huế &amp; &#233;</t></is></c><c r="B1" s="2"><v>1.5</v></c><c r="C1"/></row></sheetData></worksheet>' >"$seeds/xml_scan/sheet.xml"
printf '\x02<a b="1\t2" c=\x27x\x27><!-- c --><?pi x?><![CDATA[ <x> ]]>\r\ny</a>\n' >"$seeds/xml_scan/misc.xml"
printf 'Tỉnh Lào Cai, Thừa Thiên Huế' >"$seeds/legacy/utf8.txt"
printf 'Tỉnh Lào Cai' | iconv -f UTF-8 -t CP1258 >"$seeds/legacy/cp1258.txt"
printf 'Tỉnh Lào Cai' | iconv -f UTF-8 -t UTF-16LE >"$seeds/legacy/utf16.txt"
printf 'T\xb8nh L\xb5o Cai' >"$seeds/legacy/tcvn3.txt"
# API parameters: the same bytes are read as a JSON body, a form and a query string.
printf '{"id":"ngan-sach","q":"dân số","fq":"organization:so-y-te","rows":"10","fq_list":"[\\"tags:a\\"]"}' >"$seeds/params/ckan.json"
printf '{"resource_id":"r","filters":{"huyen":["Hương Thủy",2],"nam":2024},"fields":["a","b"],"sort":"a desc","limit":5}' >"$seeds/params/datastore.json"
printf 'ten%%5Bcontains%%5D=Hu%%E1%%BA%%BF&so[in]=1,2&sort=a,-b&limit=5&group_by=huyen&metrics=count,sum:so&filters=%%7B%%22a%%22%%3A1%%7D' >"$seeds/params/query.txt"
printf '[[[[{"a":[[{"b":"\\"[[["}]]]}]]]]' >"$seeds/params/nested.json"
cp "$root/tests/data/sample.xls" "$root/tests/data/freexl-overflow.xls" "$root/tests/data/legacy.xls" "$seeds/xls/"
cp "$root/tests/data/sample.xls" "$root/tests/data/legacy.xls" "$seeds/biff/"
/usr/bin/python3 - "$seeds/xlsx" <<'PY'
import datetime, sys, openpyxl
from openpyxl.styles import Font
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Dân số"
ws.append(["BÁO CÁO"])
ws.append(["Tên", "Số", "Ngày", "Đúng"])
ws.append(["Huế", 1.5, datetime.date(2024, 4, 1), True])
ws.merge_cells("A1:D1")
ws.append(["Hµ Néi", 2, None, False])
ws["A4"].font = Font(name=".VnTime")
ws.append(["Haø Noäi", "Thõa Thiªn"])
ws["A5"].font = Font(name="VNI-Times")
wb.create_sheet("Khác").append(["a", 1])
wb.save(sys.argv[1] + "/book.xlsx")
PY

status=0
for t in "${targets[@]}"; do
  echo "== fuzz_$t for ${seconds}s"
  corpus="$out/corpus/$t"
  mkdir -p "$corpus"
  if ! (cd "$out/crashes" && ASAN_OPTIONS=detect_leaks=1 "$out/fuzz_$t" -max_total_time="$seconds" \
        -rss_limit_mb=1536 -timeout=20 -max_len=65536 -print_final_stats=1 "$corpus" "$seeds/$t" 2>&1 |
        grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written|.*deadly signal)" ); then
    :
  fi
  if [[ -n "$(find "$out/crashes" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) -print -quit)" ]]; then
    echo "fuzz_$t found a failing input: $(ls "$out/crashes")"
    status=1
    break
  fi
done
exit $status
