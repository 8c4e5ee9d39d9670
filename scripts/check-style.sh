#!/usr/bin/env bash
# Checks the C++ under src/ against .clang-format and .clang-tidy (STYLE.md, "Formatting and
# checks") with Debian 12's clang-format and clang-tidy (14, scripts/install-deps.sh --test).
# Formatting first (seconds); then clang-tidy over src/'s .cpp files on two cores, which reads
# the build's compile_commands.json: build first (scripts/build.sh).
# Usage: scripts/check-style.sh [BUILD_DIR]    (default build/)
#        ODP_STYLE_FORMAT_ONLY=1 scripts/check-style.sh    (formatting only)
#        ODP_TIDY_ALL=1 scripts/check-style.sh    (clang-tidy on every file, not only the changed ones)
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
# Only what changed since the last commit on which every file passed (.ci/tidy-clean, kept by
# hand after a full pass): the .cpp files changed since then, and the .cpp files that include,
# directly or through other headers, a header changed since then. A full pass (ODP_TIDY_ALL=1) runs when that commit is not in the
# clone's history or .clang-tidy itself changed; it took 488 s of a CI run.
clean=$(cat .ci/tidy-clean 2>/dev/null || true)
if [[ "${ODP_TIDY_ALL:-}" != 1 && -n "$clean" ]] && git cat-file -e "$clean^{commit}" 2>/dev/null &&
  git diff --quiet "$clean" -- .clang-tidy; then
  mapfile -t changed < <(git diff --name-only "$clean" -- 'src/*.cpp' 'src/*.h')
  mapfile -t headers < <(git ls-files 'src/*.h')
  declare -A pick=() seen=()
  queue=()
  for f in "${changed[@]}"; do
    case $f in
      *.cpp) pick[$f]=1 ;;
      *.h) seen[$f]=1 && queue+=("$f") ;;
    esac
  done
  # Every header that includes a changed header, directly or through others, counts as changed.
  while ((${#queue[@]})); do
    h=${queue[0]}
    queue=("${queue[@]:1}")
    while read -r user; do
      case $user in
        *.h) [[ -n "${seen[$user]:-}" ]] || { seen[$user]=1; queue+=("$user"); } ;;
        *) pick[$user]=1 ;;
      esac
    done < <(grep -l -F "#include \"${h#src/}\"" "${headers[@]}" "${tidy[@]}" || true)
  done
  all=("${tidy[@]}")
  tidy=()
  for f in "${all[@]}"; do [[ -n "${pick[$f]:-}" ]] && tidy+=("$f"); done
  echo "check-style: clang-tidy on the ${#tidy[@]} of ${#all[@]} files changed since $clean (.ci/tidy-clean)"
  if ((${#tidy[@]} == 0)); then exit 0; fi
else
  echo "check-style: clang-tidy on all ${#tidy[@]} files (two jobs)"
fi
start=$SECONDS
run-clang-tidy -quiet -j 2 -p "$dir" "${tidy[@]/#/$root/}"
echo "check-style: clang-tidy took $((SECONDS - start)) s"
