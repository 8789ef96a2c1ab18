#!/usr/bin/env bash
# Every public page, feed and public API call against /healthz, in the same run (issue 15).
#
# Builds the release binary once, then for SQLite (and PostgreSQL when 127.0.0.1:5432 answers
# for user postgres: a fresh database made with psql and dropped afterwards) starts
# `wspolnie serve --demo` on 127.0.0.1, finds one organisation, event, article, page, activity
# and meeting of the demo data, and drives each public GET route with wrk. Prints req/s, p99
# and the share of /healthz's req/s per path; the goal is >= 40 % and p99 < 20 ms everywhere.
#
# Knobs: BENCH_PORT (18081), BENCH_CONNECTIONS (50), BENCH_DURATION (5s per path),
# BENCH_WARMUP (1s), BENCH_DATABASES ("sqlite postgres"), WSPOLNIE_BIN (skip the build),
# BENCH_PG_ADMIN (postgres://postgres@127.0.0.1:5432/postgres).
# All traffic goes to 127.0.0.1 only; every wrk run is bounded in time.
set -euo pipefail

CALLER_DIR="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT="${BENCH_PORT:-18081}"
CONNECTIONS="${BENCH_CONNECTIONS:-50}"
DURATION="${BENCH_DURATION:-5s}"
WARMUP="${BENCH_WARMUP:-1s}"
THREADS=2
HOST=127.0.0.1
BASE="http://${HOST}:${PORT}"
PG_ADMIN="${BENCH_PG_ADMIN:-postgres://postgres@127.0.0.1:5432/postgres}"
read -r -a DATABASES <<<"${BENCH_DATABASES:-sqlite postgres}"
OUT_DIR="$ROOT/bench/out"

log() { printf '[bench] %s\n' "$*" >&2; }
die() {
    printf '\n[bench] FAILED: %s\n' "$*" >&2
    exit 1
}

[[ "$PORT" =~ ^[0-9]+$ ]] || die "BENCH_PORT must be a number, got '$PORT'"
[[ "$DURATION" =~ ^[0-9]+[smh]?$ ]] || die "BENCH_DURATION must look like 5s, got '$DURATION'"
command -v curl >/dev/null || die "curl is required"
if ! command -v wrk >/dev/null 2>&1; then
    log "wrk not found; installing it from Debian (apt-get install -y wrk)"
    SUDO=""
    [[ "$(id -u)" -ne 0 ]] && SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y wrk || { $SUDO apt-get update && $SUDO apt-get install -y wrk; }
    command -v wrk >/dev/null || die "wrk still not on PATH"
fi

# ------------------------------------------------------------- binary -------
if [[ -n "${WSPOLNIE_BIN:-}" ]]; then
    BIN="$WSPOLNIE_BIN"
    [[ "$BIN" == /* ]] || BIN="$CALLER_DIR/$BIN"
    log "using WSPOLNIE_BIN=$BIN (not building)"
else
    log "building release binary: nice cargo build --release -p wspolnie"
    nice -n 10 cargo build --release --locked -p wspolnie
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/wspolnie"
fi
[[ -x "$BIN" ]] || die "server binary not found: $BIN"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

if curl -s -o /dev/null --max-time 2 "$BASE/" 2>/dev/null; then
    die "something is already listening on $HOST:$PORT; stop it or set BENCH_PORT"
fi

unset WSPOLNIE_CONFIG
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep '^WSPOLNIE__' || true)

DATA_DIR=""
SERVER_PID=""
WRK_PID=""
PG_DB=""

stop_server() {
    if [[ -n "$WRK_PID" ]] && kill -0 "$WRK_PID" 2>/dev/null; then
        kill -TERM "$WRK_PID" 2>/dev/null || true
        wait "$WRK_PID" 2>/dev/null || true
    fi
    WRK_PID=""
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$SERVER_PID" 2>/dev/null && kill -KILL "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
    if [[ -n "$PG_DB" ]]; then
        psql "$PG_ADMIN" -q -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
        PG_DB=""
    fi
    if [[ -n "$DATA_DIR" ]]; then
        rm -rf "$DATA_DIR"
        DATA_DIR=""
    fi
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ $rc -ne 0 && -n "$DATA_DIR" && -s "$DATA_DIR/server.log" ]]; then
        tail -n 30 "$DATA_DIR/server.log" >&2 || true
    fi
    stop_server
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

to_ms() {
    awk -v t="$1" 'BEGIN {
        if (match(t, /^[0-9.]+/) == 0) exit 1
        v = substr(t, 1, RLENGTH); u = substr(t, RLENGTH + 1)
        if (u == "us") m = 0.001; else if (u == "ms") m = 1; else if (u == "s") m = 1000;
        else if (u == "m") m = 60000; else exit 1
        printf "%.2f", v * m
    }'
}
wrk_percentile() { awk -v p="$2%" '/Latency Distribution/ { d = 1; next } d && $1 == p { print $2; exit }' "$1"; }
wrk_rps() { awk '$1 == "Requests/sec:" { print $2; exit }' "$1"; }
wrk_non2xx() { awk '/Non-2xx or 3xx responses:/ { n = $NF } END { print n + 0 }' "$1"; }

run_wrk() { # outfile args...
    local out="$1" rc=0
    shift
    wrk "$@" >"$out" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    return "$rc"
}

# The first link on a page to prefix + slug (one path segment), skipping the listed slugs.
first_link() { # page prefix except...
    local page="$1" prefix="$2"
    shift 2
    local html
    html="$(curl -s --max-time 10 "$BASE$page")"
    local re="href=\"${prefix}[^\"/?#]+\""
    local link
    while IFS= read -r link; do
        link="${link#href=\"}"
        link="${link%\"}"
        local slug="${link#"$prefix"}" skip=""
        for e in "$@"; do [[ "$slug" == "$e" ]] && skip=1; done
        [[ -z "$skip" ]] && { printf '%s' "$link"; return 0; }
    done < <(grep -oE "$re" <<<"$html")
    die "no link $prefix… on $page"
}

TS="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT_DIR"
REPORT="$OUT_DIR/public-pages-$TS.txt"
COMMIT="$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo none)"
{
    echo "Wspólnie public pages benchmark ($TS), commit $COMMIT"
    echo "machine: $(nproc) CPUs, $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo); load avg $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION (warm-up $WARMUP) per path; client and server share the CPUs"
} | tee "$REPORT"

for db in "${DATABASES[@]}"; do
    DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/wspolnie-pages.XXXXXX")"
    case "$db" in
    sqlite)
        unset DATABASE_URL
        ;;
    postgres)
        if ! command -v psql >/dev/null || ! psql "$PG_ADMIN" -q -c "SELECT 1" >/dev/null 2>&1; then
            log "PostgreSQL not reachable at 127.0.0.1:5432 (user postgres): skipped"
            rm -rf "$DATA_DIR"
            DATA_DIR=""
            continue
        fi
        PG_DB="wsp_bench_$(date +%s)_$$"
        psql "$PG_ADMIN" -q -c "CREATE DATABASE $PG_DB" >/dev/null || die "CREATE DATABASE failed"
        export DATABASE_URL="${PG_ADMIN%/*}/$PG_DB"
        ;;
    *) die "unknown database '$db' (sqlite or postgres)" ;;
    esac
    log "$db: starting $BIN serve --demo on $HOST:$PORT"
    (
        cd "$DATA_DIR"
        WSPOLNIE__DATA_DIR="$DATA_DIR" WSPOLNIE__SERVER__LISTEN="$HOST:$PORT" RUST_LOG=warn \
            exec "$BIN" serve --demo >"$DATA_DIR/server.log" 2>&1 </dev/null
    ) &
    SERVER_PID=$!
    deadline=$((SECONDS + 120))
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/healthz" 2>/dev/null || true)" == 200 ]]; do
        kill -0 "$SERVER_PID" 2>/dev/null || die "server exited before /healthz answered"
        ((SECONDS < deadline)) || die "/healthz did not answer within 120 s"
        sleep 0.25
    done

    ORG="$(first_link /organizacje /organizacje/)"
    EVENT="$(first_link /kalendarz /kalendarz/)"
    ARTICLE="$(first_link /aktualnosci /aktualnosci/)"
    ACTIVITY="$(first_link /wspolpraca /wspolpraca/ promocja)"
    MEETING="$(first_link /spotkania /spotkania/)"
    ORG_SLUG="${ORG#/organizacje/}"
    EVENT_SLUG="${EVENT#/kalendarz/}"
    # Every public GET route that is the same for every visitor (pages behind a personal token
    # — confirmations, unsubscribe, answers — are not in the list).
    PATHS=(
        /healthz
        /
        /organizacje
        "/organizacje?q=fundacja"
        "$ORG"
        /organizacje.csv
        /organizacje.json
        /api/v1/organizations
        "/api/v1/organizations/$ORG_SLUG"
        /api/v1/openapi.json
        /kalendarz
        "/kalendarz?widok=miesiac"
        "$EVENT"
        /kalendarz.ics
        "/kalendarz/$EVENT_SLUG/wydarzenie.ics"
        "/organizacje/$ORG_SLUG/kalendarz.ics"
        /aktualnosci
        /aktualnosci.atom
        "$ARTICLE"
        /spotkania
        "$MEETING"
        /wspolpraca
        "$ACTIVITY"
        /wspolpraca/promocja
        /kontakt
        /dostepnosc
        /strony/jak-korzystac
        /newsletter
        /prywatnosc
        /otwarte-dane
        /ustawienia
    )
    declare -a R_RPS R_P99 R_BAD
    i=0
    for path in "${PATHS[@]}"; do
        url="$BASE$path"
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url" || true)"
        [[ "$code" == 200 ]] || die "$db: GET $path answered $code"
        run_wrk "$DATA_DIR/warm.txt" -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" || die "wrk $path"
        out="$DATA_DIR/run-$i.txt"
        run_wrk "$out" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" || die "wrk $path"
        R_RPS[i]="$(wrk_rps "$out")"
        R_P99[i]="$(to_ms "$(wrk_percentile "$out" 99)")" || die "cannot parse p99 for $path"
        R_BAD[i]="$(wrk_non2xx "$out")"
        log "$db $path: ${R_RPS[i]} req/s, p99 ${R_P99[i]} ms"
        i=$((i + 1))
    done
    HEALTH="${R_RPS[0]}"
    {
        echo
        echo "database: $db"
        printf '%-60s %10s %10s %8s %7s %s\n' path req/s p99 share non2xx ok
        for ((j = 0; j < i; j++)); do
            share="$(awk -v a="${R_RPS[j]}" -v h="$HEALTH" 'BEGIN { printf "%.0f", 100 * a / h }')"
            ok="$(awk -v s="$share" -v p="${R_P99[j]}" -v b="${R_BAD[j]}" \
                'BEGIN { print (s >= 40 && p < 20 && b == 0) ? "yes" : "NO" }')"
            printf '%-60s %10.0f %8.2fms %7s%% %7d %s\n' "${PATHS[j]}" "${R_RPS[j]}" "${R_P99[j]}" \
                "$share" "${R_BAD[j]}" "$ok"
        done
    } | tee -a "$REPORT"
    stop_server
done
echo
echo "report: ${REPORT#"$ROOT"/}"
