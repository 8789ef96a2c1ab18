#!/usr/bin/env bash
# Form fuzzing (issue 14): starts `wspolnie serve --demo` on 127.0.0.1 with a fresh data directory,
# creates an administrator, and runs bench/fuzz_forms.py, which crawls the site as an anonymous
# visitor, the administrator and an NGO member, submits every form found with hostile values and
# counts the answers per status class (the goal: no 5xx). Nothing is built here.
#
#   WSPOLNIE_BIN=path/to/wspolnie   binary (default /root/.cache/wsp-target/debug/wspolnie); waited
#                                   for if missing or just replaced (a build in progress)
#   BENCH_DATABASE_URL=postgres://… PostgreSQL database to use as DATABASE_URL (must exist, empty)
#   BENCH_PG=postgres://postgres@127.0.0.1:5432
#                                   create a fresh database there (psql), use it, drop it after
#   BENCH_PORT                      port on 127.0.0.1 (default: a free one)
#   FUZZ_BUDGET=420 FUZZ_MAX_PAGES=400 FUZZ_FIELDS=8   see bench/fuzz_forms.py
#
# Mail uses the default file transport (written under the temp data dir), so nothing leaves the
# machine. The server runs with RUST_LOG=warn; its stderr (server.log) is searched for the request
# id of each 5xx. The data dir is removed after a run without 5xx, kept otherwise.
set -euo pipefail

CALLER_DIR="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '[bench] %s\n' "$*" >&2; }
die() {
    printf '\n[bench] FAILED: %s\n' "$*" >&2
    exit 1
}
for tool in curl sqlite3 python3; do
    command -v "$tool" >/dev/null || die "$tool is required"
done

BIN="${WSPOLNIE_BIN:-/root/.cache/wsp-target/debug/wspolnie}"
[[ "$BIN" == /* ]] || BIN="$CALLER_DIR/$BIN"
# Wait for the binary: present, executable and not modified in the last 20 s (a build that is
# still linking replaces the file at its end).
deadline=$((SECONDS + 1800))
until [[ -x "$BIN" ]] && (($(date +%s) - $(stat -c %Y "$BIN") > 20)); do
    ((SECONDS < deadline)) || die "server binary not ready: $BIN"
    log "waiting for $BIN"
    sleep 10
done

PORT="${BENCH_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
[[ "$PORT" =~ ^[0-9]+$ ]] || die "BENCH_PORT must be a number"
BASE="http://127.0.0.1:${PORT}"
if curl -s -o /dev/null --max-time 2 "$BASE/" 2>/dev/null; then
    die "something already listens on 127.0.0.1:$PORT; set BENCH_PORT"
fi

DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/wspolnie-fuzz.XXXXXX")"
# A copy, so that a build replacing the file during the run changes nothing.
cp -p "$BIN" "$DATA_DIR/wspolnie"
ORIG_BIN="$BIN"
BIN="$DATA_DIR/wspolnie"

DB_URL="${BENCH_DATABASE_URL:-}"
PG_CREATED=""
if [[ -z "$DB_URL" && -n "${BENCH_PG:-}" ]]; then
    command -v psql >/dev/null || die "psql is required for BENCH_PG"
    dbname="wsp_fuzz_$(date -u +%Y%m%d%H%M%S)_$$"
    psql "${BENCH_PG%/}/postgres" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE $dbname" || die "cannot create $dbname"
    PG_CREATED="$dbname"
    DB_URL="${BENCH_PG%/}/$dbname"
fi

SERVER_PID=""
RC_FILE="$DATA_DIR/rc"
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ -n "$PG_CREATED" ]]; then
        psql "${BENCH_PG%/}/postgres" -qc "DROP DATABASE IF EXISTS $PG_CREATED WITH (FORCE)" >/dev/null 2>&1 ||
            log "could not drop database $PG_CREATED"
    fi
    if [[ $rc -ne 0 ]]; then
        tail -n 20 "$DATA_DIR/server.log" >&2 2>/dev/null || true
        rm -f "$DATA_DIR/wspolnie"
        log "data dir kept: $DATA_DIR (server.log)"
    else
        rm -rf "$DATA_DIR"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

unset WSPOLNIE_CONFIG DATABASE_URL
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep '^WSPOLNIE__' || true)
export WSPOLNIE__DATA_DIR="$DATA_DIR" WSPOLNIE__SERVER__LISTEN="127.0.0.1:$PORT" RUST_LOG=warn
[[ -n "$DB_URL" ]] && export DATABASE_URL="$DB_URL"

DB_KIND="sqlite"
[[ -n "$DB_URL" ]] && DB_KIND="postgres"
log "binary $ORIG_BIN of $(date -u -r "$BIN" +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
log "starting serve --demo on $BASE (data dir $DATA_DIR, database $DB_KIND)"
(cd "$DATA_DIR" && exec "$BIN" serve --demo >"$DATA_DIR/server.log" 2>&1 </dev/null) &
SERVER_PID=$!
deadline=$((SECONDS + 180))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/healthz" || true)" == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || die "server exited before /healthz answered"
    ((SECONDS < deadline)) || die "/healthz did not answer within 180 s"
    sleep 0.25
done

ADMIN_EMAIL="fuzz-admin@example.org"
ADMIN_PASSWORD="hasło administratora do fuzzingu"
# The administrator who fuzzes the panel, and two more whose sessions stay at the second factor
# (one with TOTP set: /konto/2fa; one at its first sign-in: /konto/2fa/konfiguracja).
MFA_EMAIL="fuzz-admin-2fa@example.org"
MFA_SETUP_EMAIL="fuzz-admin-setup@example.org"
for email in "$ADMIN_EMAIL" "$MFA_EMAIL" "$MFA_SETUP_EMAIL"; do
    (cd "$DATA_DIR" && printf '%s\n' "$ADMIN_PASSWORD" | "$BIN" create-admin --email "$email" --name "Fuzz Admin") \
        >>"$DATA_DIR/create-admin.log" 2>&1 || die "create-admin failed: $(cat "$DATA_DIR/create-admin.log")"
done

mkdir -p "$ROOT/bench/out"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
set +e
FUZZ_BASE="$BASE" FUZZ_ROOT="$ROOT" \
    FUZZ_DB_KIND="$DB_KIND" \
    FUZZ_DB="${DB_URL:-$DATA_DIR/wspolnie.db}" \
    FUZZ_ADMIN_EMAIL="$ADMIN_EMAIL" FUZZ_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
    FUZZ_MFA_EMAIL="$MFA_EMAIL" FUZZ_MFA_SETUP_EMAIL="$MFA_SETUP_EMAIL" FUZZ_MAIL_DIR="$DATA_DIR/mail" \
    FUZZ_LOG="$DATA_DIR/server.log" FUZZ_OUT="$ROOT/bench/out/fuzz-$STAMP.json" \
    python3 "$ROOT/bench/fuzz_forms.py"
rc=$?
set -e
kill -0 "$SERVER_PID" 2>/dev/null || die "the server died during the run"
((rc == 0)) || die "5xx answers or broken connections (see above and bench/out/fuzz-$STAMP.json)"
