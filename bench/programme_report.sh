#!/usr/bin/env bash
# The programme's report for a year of a large city (issue 21): a year of 10 000 organisations,
# 500 open calls, 5 000 offers (half granted, with contracts and payments), 200 meetings with
# 5 000 invitations, 20 consultations with 1 000 remarks, partner activities, patronages, the
# newsletter and trainings is bulk-inserted for the last finished year; the release `wspolnie
# serve` then answers the office's report page (figures computed live) 5 times, and, once the
# report is published, the public page, PDF, ODT and a CSV table. Prints every time, the median,
# figures::compute timed in-process, the counts, the server's peak RSS and whether the target
# (< 2 s) is met; fails when an answer is not 200.
#   BENCH_DATABASE_URL=postgres://…  runs it on PostgreSQL (a fresh database is created, dropped after)
#   BENCH_RUNS=5 BENCH_SCALE=1 (every count multiplied by it)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -p wspolnie --bin wspolnie --example programme_report
target_dir=${CARGO_TARGET_DIR:-target}
case $target_dir in /*) ;; *) target_dir="$(pwd)/$target_dir" ;; esac
export BENCH_BIN="${BENCH_BIN:-$target_dir/release/wspolnie}"
exec "$target_dir/release/examples/programme_report"
