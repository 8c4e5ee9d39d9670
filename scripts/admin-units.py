#!/usr/bin/env python3
"""Writes web/data/admin_units.json: the codes and names of Viet Nam's 34 provincial units and
their 3,321 communes and wards after the July 2025 reform, which the pages use to show a
recognised code column by name (src/web/display.h). The API and downloads keep the codes.

Usage: scripts/admin-units.py [SOURCE_JSON]   (default ../shared/data/vn/simplified_json_…json)
The source is thanglequoc/vietnamese-provinces-database's simplified JSON (MIT), generated from
the NSO service danhmuchanhchinh.nso.gov.vn; see web/data/admin_units.json's "source".
"""
import json
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
default = os.path.join(root, '..', 'shared', 'data', 'vn',
                       'simplified_json_generated_data_vn_units_2026-07-25__20_49_07.json')
source = sys.argv[1] if len(sys.argv) > 1 else default
units = json.load(open(source, encoding='utf-8'))

provinces, wards = [], []
for p in units:
    provinces.append({'code': p['Code'], 'name_vi': p['FullName'], 'name_en': p['FullNameEn']})
    for w in p['Wards']:
        wards.append([w['Code'], p['Code'], w['FullName'], w['FullNameEn']])
provinces.sort(key=lambda p: p['code'])
wards.sort()

out = {
    'about': "Codes and names of Viet Nam's 34 provincial units and their communes and wards after "
             "the July 2025 reform, used to show a recognised code column by name on the portal's "
             "pages (the API keeps the codes). Only Code, FullName and FullNameEn are taken. "
             "Written by scripts/admin-units.py; wards are [code, province code, name_vi, name_en].",
    'source': "thanglequoc/vietnamese-provinces-database, "
              "json/simplified_json_generated_data_vn_units_2026-07-25__20_49_07.json at commit "
              "a108d4d2e357b98482c84b4180995b9fb44883e8 (generated from the NSO service "
              "danhmuchanhchinh.nso.gov.vn)",
    'licence': "MIT (the repository's licence); the names and codes themselves are published by the "
               "General Statistics Office of Viet Nam",
    'provinces': provinces,
    'ward_columns': ['code', 'province', 'name_vi', 'name_en'],
    'wards': wards,
}
path = os.path.join(root, 'web', 'data', 'admin_units.json')
with open(path, 'w', encoding='utf-8') as f:
    f.write('{\n')
    keys = list(out)
    for i, k in enumerate(keys):
        sep = ',' if i + 1 < len(keys) else ''
        if k == 'wards':  # one ward a line: small diffs when the list changes
            f.write(' "wards": [\n')
            for j, w in enumerate(wards):
                f.write('  ' + json.dumps(w, ensure_ascii=False) + (',' if j + 1 < len(wards) else '') + '\n')
            f.write(' ]' + sep + '\n')
        else:
            f.write(' ' + json.dumps(k) + ': ' + json.dumps(out[k], ensure_ascii=False, indent=1).replace('\n', '\n ') + sep + '\n')
    f.write('}\n')
print(f'{path}: {len(provinces)} provinces, {len(wards)} communes and wards')
