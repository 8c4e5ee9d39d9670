#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests and benchmarks, from Debian's postgresql package:
#   eval "$(bash scripts/pg-cluster.sh start)"   # sets ODP_TEST_PG (a libpq URL) and ODP_PG_DIR
#   bash scripts/pg-cluster.sh stop "$ODP_PG_DIR"
# initdb runs in a fresh temporary directory (as the postgres user when run as root, since
# PostgreSQL refuses to run as root); the server listens only on a Unix socket in that
# directory, with trust authentication, and keeps its data in memory-friendly settings.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -n "$bin" ]] || { echo "pg-cluster: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/odp-pg.XXXXXX)
    chmod 755 "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; user=postgres; else user=$(id -un); fi
    as_owner "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 > "$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB" > /dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "export ODP_PG_DIR='$dir'"
    echo "export ODP_TEST_PG='postgresql:///postgres?host=$dir&user=$user'"
    ;;
  stop)
    dir=${2:?usage: pg-cluster.sh stop DIR}
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop > /dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: pg-cluster.sh start | stop DIR" >&2; exit 2 ;;
esac
