#!/usr/bin/env bash
# Write load on loopback, bounded in time: `save_draft` from 64 applicants at once (each its own
# draft, each save from the version the last returned), on SQLite and then on PostgreSQL,
# each beside the baseline of the same database in the same run: 64 tasks inserting a row of
# the same size and committing, nothing else. Prints saves/s, p50, p99 and errors (must be 0).
# PostgreSQL: the server of BEIAN_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test);
# a database is made for the run and dropped afterwards.
# Usage: scripts/write-load.sh [seconds per run, default 10] [accounts, default 64]
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
accounts="${2:-64}"
target="${BEIAN_CACHE_DIR:-$HOME/.cache/beian}/target"
CARGO_TARGET_DIR="$target" cargo build --release --locked -q -p beian-server --bin beian-server --example write_load
pg_server="${BEIAN_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"
pg_db="beian_load_$$"
pg_url="${pg_server%/*}/$pg_db"

work=$(mktemp -d)
cleanup() {
  kill $(jobs -p) 2>/dev/null || true
  psql "$pg_server" -qc "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

serve() { # name database-url
  local port=$((20000 + RANDOM % 10000))
  mkdir -p "$work/$1"
  RUST_LOG=warn "$target/release/beian-server" --addr "127.0.0.1:$port" --data-dir "$work/$1" --database-url "$2" >/dev/null 2>&1 &
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  echo "== $1: $accounts applicants, ${secs}s"
  "$target/release/examples/write_load" "http://127.0.0.1:$port" "$2" "$secs" "$accounts"
  kill %% 2>/dev/null || true
  wait 2>/dev/null || true
}

serve sqlite "sqlite://$work/sqlite.db?mode=rwc"
psql "$pg_server" -qc "CREATE DATABASE $pg_db" >/dev/null
serve postgres "$pg_url"
