#!/usr/bin/env bash
# Fails when a file includes a header from a layer above its own (see docs/architecture.md).
# Order, bottom to top: base, store, text/formats, access, catalog (and later services), http,
# api, web, app. `testing/` is test support and may include anything.
set -euo pipefail
cd "$(dirname "$0")/../src"
rank() {
  case "$1" in
    base) echo 0 ;; store) echo 1 ;; text|formats) echo 2 ;;
    access) echo 3 ;; catalog|datastore|sharing|audit|indicators|reports|harvest|jobs|mail|oidc) echo 4 ;;
    http) echo 5 ;; api) echo 6 ;; web) echo 7 ;; app) echo 8 ;; testing) echo 9 ;; *) echo -1 ;;
  esac
}
bad=0
while IFS= read -r file; do
  layer=${file%%/*}
  [[ $layer == testing ]] && continue
  mine=$(rank "$layer")
  while IFS= read -r inc; do
    target=${inc%%/*}
    theirs=$(rank "$target")
    [[ $theirs -lt 0 ]] && continue
    # Tests may use test support.
    if [[ $target == testing && $file == *_test.cpp ]]; then continue; fi
    if (( theirs > mine )); then
      echo "layering: $file includes $inc (a layer above $layer)"
      bad=1
    fi
  done < <(grep -oE '^#include "[a-z_]+/[^"]+"' "$file" | sed -E 's/#include "([^"]+)"/\1/')
done < <(find . -name '*.h' -o -name '*.cpp' | sed 's|^\./||')
exit $bad
