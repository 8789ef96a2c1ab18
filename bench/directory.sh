#!/usr/bin/env bash
# Directory benchmark (issue 4): 5,000 organisations, directory search with a filter at 50
# concurrent clients, compared with /healthz measured in the same run.
# Target: p99 under 20 ms and throughput at least 40% of /healthz.
#   BENCH_DATABASE_URL=postgres://…  runs it on PostgreSQL (fresh, empty database).
set -euo pipefail
cd "$(dirname "$0")/.."
export BENCH_ORGANIZATIONS="${BENCH_ORGANIZATIONS:-5000}"
export BENCH_PATHS="${BENCH_PATHS:-/healthz /organizacje?sfera=16 /organizacje?q=fundacja&dzielnica=Zatorze}"
export BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-50}"
exec ./bench/load.sh
