#!/usr/bin/env bash
# One command for every test: installs what the tests need (Debian 12 packages and the npm
# packages pinned in package-lock.json), then builds and runs
#   1. the layering check, then (after the build) the formatting and lint check
#      (scripts/check-style.sh: clang-format and clang-tidy, STYLE.md),
#   2. the unit tests (GoogleTest, via CTest), the integration tests (Node, real server) and the
#      browser tests (Playwright with Debian's Chromium, real server),
#   3. the unit and integration suites against PostgreSQL 15: a throwaway cluster from Debian's
#      postgresql package (scripts/pg-cluster.sh: initdb in a temporary directory, a Unix socket
#      there), stopped afterwards; with it, the two-servers-behind-nginx test runs too (the
#      browser suite drives the same handlers through pages, whose store calls the integration
#      suite already covers on PostgreSQL, so it runs once, in 2),
#   4. the unit and integration suites again under AddressSanitizer +
#      UndefinedBehaviorSanitizer (SQLite; the browser suite and the authorization matrix only
#      run in 2 and 3), then the unit suites of the code that differs on PostgreSQL under them
#      against PostgreSQL (the driver, the store, the datastore's back-end, jobs; the
#      integration suite already ran against PostgreSQL in 3),
#   5. the libFuzzer targets of every file reader, FUZZ_SECONDS (default 10 here) each.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
start=$(date +%s)
bash scripts/install-deps.sh --test
npm ci --no-audit --no-fund --loglevel=error

echo "== layering"
bash scripts/check-layers.sh

run_suites() {  # $1 = build dir; $2 = "no-browser" to leave the browser suite out
  echo "== unit tests ($1)"
  (cd "$1" && ctest --output-on-failure -j2 --timeout 300)
  echo "== integration tests ($1)"
  local files=(tests/integration/*.test.mjs)
  if [[ -n "${SKIP_INTEGRATION:-}" ]]; then
    mapfile -t files < <(printf '%s\n' "${files[@]}" | grep -v -E "$SKIP_INTEGRATION")
  fi
  ODP_BIN="$root/$1/odp" node --test --test-concurrency=1 "${files[@]}"
  if [[ "${2:-}" != "no-browser" ]]; then
    echo "== browser tests ($1): Playwright driving Debian's Chromium"
    ODP_BIN="$root/$1/odp" node --test --test-concurrency=1 tests/browser/
  fi
}

echo "== build"
bash scripts/build.sh build
echo "== formatting and lint (clang-format, clang-tidy)"
bash scripts/check-style.sh build
run_suites build

echo "== PostgreSQL 15: a throwaway cluster; the same suites against it"
eval "$(bash scripts/pg-cluster.sh start)"
trap 'bash scripts/pg-cluster.sh stop "$ODP_PG_DIR"' EXIT
echo "   $ODP_TEST_PG"
run_suites build no-browser
bash scripts/pg-cluster.sh stop "$ODP_PG_DIR"
trap - EXIT
unset ODP_TEST_PG ODP_PG_DIR

echo "== build with ASan + UBSan"
bash scripts/build.sh build-asan -DODP_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The browser suite drives the same handlers as the integration suite through pages; under the
# sanitizers it repeated that work at a third of the run's time, so it runs only above.
# The authorization matrix (tens of thousands of requests, a third of this pass under the
# sanitizers) decides access, not memory: it runs in 2 and 3, and its handlers' memory is covered
# here by the suites that exercise them.
SKIP_INTEGRATION='/authz_matrix\.test\.mjs$' run_suites build-asan no-browser
echo "== ASan + UBSan against PostgreSQL: unit tests of the store, the datastore and the jobs"
# Only the suites whose code differs on PostgreSQL (the driver, the store, the datastore's
# back-end, jobs, the audit chain, grants and sharing); the rest ran under the sanitizers above.
eval "$(bash scripts/pg-cluster.sh start)"
trap 'bash scripts/pg-cluster.sh stop "$ODP_PG_DIR"' EXIT
(cd build-asan && ctest --output-on-failure -j2 --timeout 300 \
  -R '^(PostgresDriver|StoreCopy|StoreMigration|StoreTest|PgBackendTest|DatastoreTest|JobsTest|ScheduleTest|AuditLogTest|GrantServiceTest|QuotaCounterTest|SharingTest|BlobGcTest)\.')
bash scripts/pg-cluster.sh stop "$ODP_PG_DIR"
trap - EXIT
unset ODP_TEST_PG ODP_PG_DIR

echo "== fuzzing the readers (libFuzzer, clang)"
FUZZ_SECONDS=${FUZZ_SECONDS:-10} bash scripts/fuzz.sh

echo "== all tests passed in $(( $(date +%s) - start )) s"
