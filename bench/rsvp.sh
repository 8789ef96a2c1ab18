#!/usr/bin/env bash
# RSVP benchmark (issue 6): 200 invitees answering "will attend" at the same moment for a meeting
# with 50 places, 5 rounds. Prints the time per round; fails unless exactly 50 are confirmed.
#   BENCH_DATABASE_URL=postgres://…  runs it on PostgreSQL (a fresh database is created)
#   BENCH_INVITEES=200 BENCH_SEATS=50 BENCH_ROUNDS=5 BENCH_CONNECTIONS=10
#   BENCH_PROFILE=dev                 skips the release build (figures then say so)
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${BENCH_PROFILE:-release}
if [ "$profile" = release ]; then
  cargo build --release --locked -p wspolnie --example rsvp_bench
  exec "${CARGO_TARGET_DIR:-target}/release/examples/rsvp_bench"
fi
cargo build --locked -p wspolnie --example rsvp_bench
exec "${CARGO_TARGET_DIR:-target}/debug/examples/rsvp_bench"
