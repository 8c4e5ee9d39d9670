#!/usr/bin/env bash
# One command for a new machine: installs what ODP needs (Debian 12), builds it, creates a
# portal with demo content on the embedded database, and serves it.
# Environment: ODP_DATA (default ./odp-data), ODP_LISTEN (default 127.0.0.1:8080).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/install-deps.sh
BUILD_TYPE=Release bash scripts/build.sh build-release -DODP_TESTS=OFF -DODP_WERROR=OFF
data=${ODP_DATA:-$root/odp-data}
if [[ ! -f "$data/odp.db" ]]; then
  ./build-release/odp init --data "$data" --demo
fi
listen=${ODP_LISTEN:-127.0.0.1:8080}
echo
echo "Cổng dữ liệu mở / ODP: http://$listen  (đăng nhập / log in: http://$listen/login)"
if [[ -f "$data/demo-login.txt" ]]; then
  read -r user pass < "$data/demo-login.txt"
  echo "Đăng nhập quản trị / administrator login: $user / $pass"
  echo "  (API: curl -X POST http://$listen/api/v1/auth/login -H 'Content-Type: application/json' \\"
  echo "         -d '{\"username\":\"$user\",\"password\":\"$pass\"}')"
fi
echo
exec ./build-release/odp serve --data "$data" --listen "$listen"
