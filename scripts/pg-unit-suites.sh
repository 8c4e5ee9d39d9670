#!/usr/bin/env bash
# Prints a ctest -R pattern of the unit suites whose database follows ODP_TEST_PG: those in test
# files that open their store through testing/test_db.h or testing/temp_portal.h. The other
# suites never touch PostgreSQL, so a PostgreSQL pass of them would repeat the SQLite pass.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(grep -rl -e '#include "testing/test_db.h"' -e '#include "testing/temp_portal.h"' \
  --include='*_test.cpp' src)
suites=$(grep -ohE '^(TEST|TEST_F|TEST_P|TYPED_TEST)\([A-Za-z0-9_]+' "${files[@]}" | sed -E 's/.*\(//' |
  sort -u | paste -sd '|')
echo "^($suites)\\."
