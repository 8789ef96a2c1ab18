#!/usr/bin/env bash
# The deadline rush (issue 17): 300 organisations submit complete offers in the last 60 seconds
# before a call's deadline, from 50 concurrent clients, through the real `wspolnie serve`
# (release build); the server is killed with SIGKILL half-way and started again. Prints p50/p95/
# p99 of the submit request, the server's peak RSS, and fails when an acknowledged submission is
# missing or stored twice. Targets: p99 < 300 ms, RSS < 150 MB, zero lost or duplicated.
#   BENCH_DATABASE_URL=postgres://…  runs it on PostgreSQL (a fresh database is created)
#   BENCH_OFFERS=300 BENCH_CLIENTS=50 BENCH_WINDOW_S=60 BENCH_KILL=1
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p wspolnie --bin wspolnie --example grants_rush
target_dir=${CARGO_TARGET_DIR:-target}
case $target_dir in /*) ;; *) target_dir="$(pwd)/$target_dir" ;; esac
export BENCH_BIN="${BENCH_BIN:-$target_dir/release/wspolnie}"
exec "$target_dir/release/examples/grants_rush"
