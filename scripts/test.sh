#!/usr/bin/env bash
# The full test suite: unit and integration tests on SQLite and PostgreSQL, then the browser suite
# (Chromium + axe-core). Needs nothing but Rust; PostgreSQL and Chromium are used when present.
#
# An S3-compatible server (moto, installed from PyPI into ~/.cache/wsp-s3-venv on first use) is
# started on 127.0.0.1 for the storage tests and stopped at the end (scripts/s3-server.sh).
#
#   TEST_DATABASE_URL=postgres://…   PostgreSQL server for the second run (required if set)
#   WSPOLNIE_REQUIRE_BROWSER=1       fail instead of skipping when Chromium/Node.js are missing
#   WSPOLNIE_REQUIRE_S3=1            fail instead of skipping when the S3 server cannot be started
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# shellcheck source=scripts/s3-server.sh
. scripts/s3-server.sh
cleanup() { s3_stop; }
trap cleanup EXIT
say "S3-compatible server (moto) for the storage tests"
if s3_start; then
  say "S3 server on $TEST_S3_ENDPOINT (bucket $TEST_S3_BUCKET): the S3 storage tests run"
else
  unset TEST_S3_ENDPOINT
  if [ "${WSPOLNIE_REQUIRE_S3:-0}" = 1 ]; then
    echo "ERROR: WSPOLNIE_REQUIRE_S3=1 and the S3 server (moto) could not be installed or started" >&2
    exit 1
  fi
  say "the S3 server (moto) could not be installed or started: S3 storage tests SKIPPED"
fi

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  hostport=$(printf '%s' "$TEST_DATABASE_URL" | sed -E 's#^[a-z]+://([^@/]*@)?([^/:?]+)(:([0-9]+))?.*#\2 \4#')
  host=${hostport% *}; port=${hostport#* }; port=${port:-5432}
  if ! tcp_open "$host" "$port"; then
    echo "ERROR: TEST_DATABASE_URL is set but nothing answers at $host:$port" >&2
    exit 1
  fi
  say "PostgreSQL run enabled: $TEST_DATABASE_URL"
elif tcp_open 127.0.0.1 5432; then
  export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
  say "PostgreSQL found on 127.0.0.1:5432: every integration test also runs there"
else
  say "PostgreSQL NOT reachable on 127.0.0.1:5432: the PostgreSQL run is SKIPPED (SQLite only)"
fi

say "cargo test (workspace)"
cargo test --workspace --locked
# Fault-injection tests (SIGKILL of a sending server) measure a window of microseconds; they are
# #[ignore]d in the parallel run above and run here alone, with the same binary.
say "fault injection, alone"
cargo test --locked -p wspolnie --test integration -- --ignored --test-threads=1

say "browser suite (Chromium + axe-core)"
chromium_bin=${E2E_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium_bin" ] || ! command -v node >/dev/null || ! command -v npm >/dev/null || ! command -v java >/dev/null; then
  msg="Chromium ($chromium_bin), Node.js or Java missing: browser suite SKIPPED (apt-get install -y chromium nodejs npm default-jre-headless)"
  if [ "${WSPOLNIE_REQUIRE_BROWSER:-0}" = 1 ]; then echo "ERROR: $msg" >&2; exit 1; fi
  say "$msg"
  exit 0
fi
# The test build above already made the binary (the CLI tests run it), with the same features;
# `cargo build -p wspolnie` would unify features differently and rebuild our crates once more.
cargo test --workspace --locked --no-run --quiet
bin="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/debug/wspolnie"
[ -x "$bin" ] || cargo build --locked -p wspolnie
(cd e2e && npm ci --no-audit --no-fund --silent)
(cd e2e && WSPOLNIE_BIN="$bin" npm test --silent)

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  if command -v psql >/dev/null; then
    db="wsp_e2e_$$"
    psql "$TEST_DATABASE_URL" -qc "CREATE DATABASE $db" >/dev/null
    cleanup() { s3_stop; psql "$TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; }
    e2e_url="${TEST_DATABASE_URL%%\?*}"; e2e_url="${e2e_url%/*}/$db"
    say "browser suite on PostgreSQL ($db)"
    # The full page matrix ran on SQLite above; here its smoke set (same code, first pages of
    # each role in two modes) keeps CI within its time goal.
    (cd e2e && WSPOLNIE_BIN="$bin" E2E_DATABASE_URL="$e2e_url" E2E_MATRIX=smoke npm test --silent)
  else
    say "psql not installed: browser suite on PostgreSQL SKIPPED"
  fi
fi
say "all tests passed"
