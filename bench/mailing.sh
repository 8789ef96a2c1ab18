#!/usr/bin/env bash
# Mailing benchmark (issue 6): a mailing to 20,000 newsletter subscribers handed by the real
# `wspolnie serve` (release build) to an SMTP server on 127.0.0.1; the server process is killed
# with SIGKILL half-way and started again. Prints the throughput before the kill and after the
# restart, and the messages counted at the SMTP server (target: >= 200 msg/s, zero lost, zero
# duplicates).
#   BENCH_DATABASE_URL=postgres://…  runs it on PostgreSQL (a fresh database is created)
#   BENCH_RECIPIENTS=20000 BENCH_KILL_AT=10000 BENCH_RATE=0 BENCH_CONNECTIONS=4
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p wspolnie --bin wspolnie --example mailing_bench
export BENCH_BIN="${BENCH_BIN:-$(pwd)/${CARGO_TARGET_DIR:-target}/release/wspolnie}"
exec "${CARGO_TARGET_DIR:-target}/release/examples/mailing_bench"
