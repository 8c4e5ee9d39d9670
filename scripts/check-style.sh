#!/usr/bin/env bash
# Checks the C++ under src/ against .clang-format and .clang-tidy (STYLE.md, "Formatting and
# checks") with Debian 12's clang-format and clang-tidy (14, scripts/install-deps.sh --test).
# Formatting first (seconds); then clang-tidy over src/'s .cpp files on two cores, which reads
# the build's compile_commands.json: build first (scripts/build.sh).
# Usage: scripts/check-style.sh [BUILD_DIR]    (default build/)
#        ODP_STYLE_FORMAT_ONLY=1 scripts/check-style.sh    (formatting only)
# To fix the formatting it reports: clang-format -i $(git ls-files 'src/*.cpp' 'src/*.h')
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-build}
cd "$root"

mapfile -t sources < <(git ls-files 'src/*.cpp' 'src/*.h')
echo "check-style: clang-format on ${#sources[@]} files"
clang-format --dry-run -Werror "${sources[@]}"

if [[ "${ODP_STYLE_FORMAT_ONLY:-}" == 1 ]]; then exit 0; fi
if [[ ! -f "$dir/compile_commands.json" ]]; then
  echo "check-style: $dir/compile_commands.json is missing; run scripts/build.sh $dir first" >&2
  exit 1
fi
# Which files: every .cpp under src/ but the unit tests (formatting covers them; leaving them out
# halves the time, as each parses GoogleTest) and http/server.cpp (clang 14 with libstdc++ 12
# does not enable Asio's coroutines, so it cannot parse that file). The generated sources in the
# build directory (embedded templates, password list) are not under src/.
mapfile -t tidy < <(git ls-files 'src/*.cpp' | grep -v -e '_test\.cpp$' -e '^src/http/server\.cpp$')
echo "check-style: clang-tidy on ${#tidy[@]} files (two jobs)"
start=$SECONDS
run-clang-tidy -quiet -j 2 -p "$dir" "${tidy[@]/#/$root/}"
echo "check-style: clang-tidy took $((SECONDS - start)) s"
