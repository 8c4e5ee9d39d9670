#!/usr/bin/env bash
# Installs the Debian 12 packages ODP needs to build, run and test. Idempotent; run as root
# (or with sudo available). Pass --test to add what the test suite and benchmarks use.
set -euo pipefail

build_pkgs=(
  build-essential cmake pkg-config ccache git ca-certificates
  libboost-dev libsqlite3-dev sqlite3 libicu-dev libsodium-dev nlohmann-json3-dev
  libkainjow-mustache-dev libcli11-dev libspdlog-dev libfmt-dev libtomlplusplus-dev
  libcurl4-openssl-dev libssl-dev libpq-dev libcmark-dev
  libxlsxwriter-dev libminizip-dev libexpat1-dev libfreexl-dev
)
test_pkgs=(libgtest-dev libgmock-dev libbenchmark-dev curl wrk nginx-light bc chromium fonts-noto-core
  python3-openpyxl python3-xlwt clang libclang-rt-14-dev libreoffice-calc-nogui postgresql
  clang-format clang-tidy python3-aiosmtpd
  lemonldap-ng lemonldap-ng-fastcgi-server libimage-magick-perl)

want=("${build_pkgs[@]}")
if [[ "${1:-}" == "--test" ]]; then
  want+=("${test_pkgs[@]}")
fi
# The build embeds htmx from npm, and the tests are Node scripts; use the machine's Node if it
# has one (18+).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  want+=(nodejs npm)
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#want[@]} packages present"
  exit 0
fi

SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
