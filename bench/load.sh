#!/usr/bin/env bash
# Load benchmark for the Wspólnie web server.
#
# Starts `wspolnie serve --demo` on 127.0.0.1 with a fresh data directory,
# drives a few read-only pages with wrk, and reports throughput, latency
# percentiles, non-2xx counts and the server's peak resident memory.
# See bench/README.md for the knobs (BENCH_* environment variables).
#
# All traffic goes to 127.0.0.1 only; every wrk run is bounded in time.
set -euo pipefail

CALLER_DIR="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT="${BENCH_PORT:-18080}"
CONNECTIONS="${BENCH_CONNECTIONS:-50}"
DURATION="${BENCH_DURATION:-15s}"
WARMUP="${BENCH_WARMUP:-3s}"
THREADS=2
HOST=127.0.0.1
BASE="http://${HOST}:${PORT}"
# BENCH_PATHS (space-separated) overrides the measured paths.
read -r -a PATHS <<<"${BENCH_PATHS:-/ /healthz /organizacje?q=fundacja}"
# BENCH_ORGANIZATIONS loads that many demo organisations before the server starts.
ORGS="${BENCH_ORGANIZATIONS:-}"
OUT_DIR="$ROOT/bench/out"

log() { printf '[bench] %s\n' "$*" >&2; }
die() {
    printf '\n[bench] FAILED: %s\n' "$*" >&2
    exit 1
}

[[ "$PORT" =~ ^[0-9]+$ ]] || die "BENCH_PORT must be a number, got '$PORT'"
if ! [[ "$CONNECTIONS" =~ ^[0-9]+$ ]] || ((CONNECTIONS < THREADS)); then
    die "BENCH_CONNECTIONS must be a number >= $THREADS, got '$CONNECTIONS'"
fi
[[ "$DURATION" =~ ^[0-9]+[smh]?$ ]] || die "BENCH_DURATION must look like 15s / 1m, got '$DURATION'"
[[ "$WARMUP" =~ ^[0-9]+[smh]?$ ]] || die "BENCH_WARMUP must look like 3s, got '$WARMUP'"
command -v curl >/dev/null || die "curl is required"

# ---------------------------------------------------------------- wrk -------
if ! command -v wrk >/dev/null 2>&1; then
    log "wrk not found; installing it from Debian (apt-get install -y wrk)"
    SUDO=""
    if [[ "$(id -u)" -ne 0 ]]; then
        command -v sudo >/dev/null || die "wrk is missing and we are not root (no sudo): apt-get install wrk"
        SUDO="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    if ! $SUDO apt-get install -y wrk; then
        $SUDO apt-get update
        $SUDO apt-get install -y wrk
    fi
    command -v wrk >/dev/null || die "wrk still not on PATH after apt-get install"
fi
WRK_VERSION="$(dpkg-query -W -f='${Version}' wrk 2>/dev/null || echo unknown)"

# ------------------------------------------------------------- binary -------
if [[ -n "${WSPOLNIE_BIN:-}" ]]; then
    BIN="$WSPOLNIE_BIN"
    [[ "$BIN" == /* ]] || BIN="$CALLER_DIR/$BIN" # relative to where we were called from
    log "using WSPOLNIE_BIN=$BIN (not building)"
else
    log "building release binary: cargo build --release -p wspolnie"
    cargo build --release -p wspolnie
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/wspolnie"
fi
[[ -x "$BIN" && -f "$BIN" ]] || die "server binary not found or not executable: $BIN"
# The server is started from inside the temp dir, so make the path absolute.
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

# -------------------------------------------------- port must be free -------
if curl -s -o /dev/null --max-time 2 "$BASE/" 2>/dev/null; then
    die "something is already listening on $HOST:$PORT; stop it or set BENCH_PORT"
fi

# -------------------------------------------------------------- server ------
DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/wspolnie-bench.XXXXXX")"
SERVER_LOG="$DATA_DIR/server.log"
SERVER_PID=""
WRK_PID=""

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n "$WRK_PID" ]] && kill -0 "$WRK_PID" 2>/dev/null; then
        kill -TERM "$WRK_PID" 2>/dev/null || true
        wait "$WRK_PID" 2>/dev/null || true
    fi
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            log "server did not stop on SIGTERM within 5 s; sending SIGKILL"
            kill -KILL "$SERVER_PID" 2>/dev/null || true
        fi
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ $rc -ne 0 && -s "$SERVER_LOG" ]]; then
        log "last lines of the server log ($SERVER_LOG):"
        tail -n 30 "$SERVER_LOG" >&2 || true
    fi
    if [[ -n "${BENCH_KEEP_DATA:-}" || $rc -ne 0 ]]; then
        log "data dir kept: $DATA_DIR"
    else
        rm -rf "$DATA_DIR"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A reproducible configuration: no WSPOLNIE__* settings or WSPOLNIE_CONFIG file
# inherited from the caller's shell, and the server runs from the temp dir, so
# no ./wspolnie.toml is picked up either. Only what is set below applies.
unset WSPOLNIE_CONFIG
while IFS= read -r var; do
    unset "$var"
done < <(compgen -e | grep '^WSPOLNIE__' || true)

if [[ -n "${BENCH_DATABASE_URL:-}" ]]; then
    export DATABASE_URL="$BENCH_DATABASE_URL"
    # Report the scheme and host only, never the credentials.
    DB_BACKEND="${BENCH_DATABASE_URL%%:*} ($(printf '%s' "$BENCH_DATABASE_URL" | sed -E 's#^([a-zA-Z0-9+.-]+://)[^@/]*@#\1***@#'))"
else
    # Do not let a DATABASE_URL from the caller's shell leak into the run.
    unset DATABASE_URL
    DB_BACKEND="sqlite (default: <temp data dir>/wspolnie.db)"
fi

if [[ -n "$ORGS" ]]; then
    [[ "$ORGS" =~ ^[0-9]+$ ]] || die "BENCH_ORGANIZATIONS must be a number, got '$ORGS'"
    log "loading $ORGS demo organisations"
    (cd "$DATA_DIR" && WSPOLNIE__DATA_DIR="$DATA_DIR" RUST_LOG=warn "$BIN" migrate >/dev/null \
        && WSPOLNIE__DATA_DIR="$DATA_DIR" RUST_LOG=warn "$BIN" demo --organizations "$ORGS" >&2) \
        || die "loading demo data failed"
fi

log "starting $BIN serve --demo on $HOST:$PORT (data dir $DATA_DIR)"
(
    cd "$DATA_DIR"
    WSPOLNIE__DATA_DIR="$DATA_DIR" \
        WSPOLNIE__SERVER__LISTEN="$HOST:$PORT" \
        RUST_LOG=warn \
        exec "$BIN" serve --demo >"$SERVER_LOG" 2>&1 </dev/null
) &
SERVER_PID=$! # the subshell execs, so this is the server's own pid

started=$SECONDS
deadline=$((started + 60))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/healthz" 2>/dev/null || true)" == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || die "server exited before /healthz answered 200"
    ((SECONDS < deadline)) || die "/healthz did not answer 200 within 60 s"
    sleep 0.25
done
log "server healthy after ~$((SECONDS - started)) s (pid $SERVER_PID)"

# VmRSS / VmHWM are reported by the kernel in kB (KiB).
proc_status_kib() { # field
    awk -v f="$1:" '$1 == f { print $2; found = 1 } END { if (!found) exit 1 }' "/proc/$SERVER_PID/status"
}
kib_to_mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

IDLE_RSS_KIB="$(proc_status_kib VmRSS)" || die "cannot read VmRSS of pid $SERVER_PID"
log "idle RSS: $(kib_to_mib "$IDLE_RSS_KIB") MiB"

# ------------------------------------------------------------ parsing -------
# wrk prints times like 812.00us, 1.23ms, 2.01s, 1.50m, 1.00h -> milliseconds.
to_ms() {
    awk -v t="$1" 'BEGIN {
        if (match(t, /^[0-9.]+/) == 0) exit 1
        v = substr(t, 1, RLENGTH); u = substr(t, RLENGTH + 1)
        if (u == "us") m = 0.001; else if (u == "ms") m = 1; else if (u == "s") m = 1000;
        else if (u == "m") m = 60000; else if (u == "h") m = 3600000; else exit 1
        printf "%.3f", v * m
    }'
}
# The line "  50%    1.23ms" inside the "Latency Distribution" block.
wrk_percentile() { # file pct
    awk -v p="$2%" '/Latency Distribution/ { in_d = 1; next }
        in_d && $1 == p { print $2; exit }' "$1"
}
wrk_reqs_per_sec() { awk '$1 == "Requests/sec:" { print $2; exit }' "$1"; }
wrk_total_requests() { awk '$2 == "requests" && $3 == "in" { print $1; exit }' "$1"; }
wrk_non2xx() { # absent line means zero
    awk '/Non-2xx or 3xx responses:/ { n = $NF } END { print n + 0 }' "$1"
}
wrk_socket_errors() { # "Socket errors: connect 0, read 0, write 0, timeout 0" -> sum
    awk '/Socket errors:/ { gsub(",", ""); s = $4 + $6 + $8 + $10 } END { print s + 0 }' "$1"
}

json_str() { # JSON string literal
    local s="$1"
    s="${s//\\/\\\\}"
    s="${s//\"/\\\"}"
    s="${s//$'\t'/\\t}"
    s="${s//$'\n'/\\n}"
    s="${s//$'\r'/\\r}"
    printf '"%s"' "$s"
}

# ------------------------------------------------------------- runs ---------
# wrk runs in the background and we `wait` for it, so that an INT/TERM sent to
# this script is handled at once (cleanup stops wrk and the server).
run_wrk() { # outfile wrk-args...
    local out="$1" rc=0
    shift
    wrk "$@" >"$out" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || rc=$?
    WRK_PID=""
    return "$rc"
}

# Other work on the machine skews the figures; record how busy it was.
LOADAVG_START="$(cut -d' ' -f1-3 /proc/loadavg)"
WRK_DIR="$DATA_DIR/wrk"
mkdir -p "$WRK_DIR"
declare -a R_PATH R_RPS R_P50 R_P99 R_NON2XX R_SOCKERR R_TOTAL
failures=()

i=0
for path in "${PATHS[@]}"; do
    url="$BASE$path"
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url" || true)"
    [[ "$code" == 200 ]] || die "GET $path answered HTTP $code (expected 200) before benchmarking"

    log "warm-up $WARMUP: $path"
    run_wrk "$WRK_DIR/warmup-$i.txt" -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$url" \
        || { cat "$WRK_DIR/warmup-$i.txt" >&2; die "wrk warm-up failed for $path"; }

    log "measuring $DURATION: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $url"
    out="$WRK_DIR/run-$i.txt"
    run_wrk "$out" -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$url" \
        || { cat "$out" >&2; die "wrk failed for $path"; }
    [[ -n "${BENCH_VERBOSE:-}" ]] && cat "$out" >&2

    rps="$(wrk_reqs_per_sec "$out")"
    p50_raw="$(wrk_percentile "$out" 50)"
    p99_raw="$(wrk_percentile "$out" 99)"
    if [[ -z "$rps" || -z "$p50_raw" || -z "$p99_raw" ]]; then
        cat "$out" >&2
        die "could not parse wrk output for $path (req/s='$rps' p50='$p50_raw' p99='$p99_raw')"
    fi
    p50="$(to_ms "$p50_raw")" || die "unrecognised latency '$p50_raw' for $path"
    p99="$(to_ms "$p99_raw")" || die "unrecognised latency '$p99_raw' for $path"
    non2xx="$(wrk_non2xx "$out")"
    sockerr="$(wrk_socket_errors "$out")"
    total="$(wrk_total_requests "$out")"

    R_PATH[i]="$path"
    R_RPS[i]="$rps"
    R_P50[i]="$p50"
    R_P99[i]="$p99"
    R_NON2XX[i]="$non2xx"
    R_SOCKERR[i]="$sockerr"
    R_TOTAL[i]="${total:-0}"
    if ((non2xx > 0)); then
        failures+=("$path: $non2xx non-2xx/3xx responses out of ${total:-?}")
        log "!!! $path: $non2xx non-2xx/3xx responses"
    fi
    ((sockerr == 0)) || log "warning: $path: $sockerr socket errors (connect/read/write/timeout)"
    i=$((i + 1))
done

kill -0 "$SERVER_PID" 2>/dev/null || die "server died during the benchmark"
PEAK_RSS_KIB="$(proc_status_kib VmHWM)" || die "cannot read VmHWM of pid $SERVER_PID"
LOADAVG_END="$(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------ report ---------
NPROC="$(nproc)"
CPU_MODEL="$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
[[ -n "$CPU_MODEL" ]] || CPU_MODEL="$(uname -m)"
MEM_TOTAL_KIB="$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)"
if COMMIT="$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null)"; then
    if [[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
        COMMIT="$COMMIT-dirty"
    fi
else
    COMMIT="none (no commit yet)"
fi
TS="$(date -u +%Y%m%dT%H%M%SZ)"
PEAK_MIB="$(kib_to_mib "$PEAK_RSS_KIB")"
IDLE_MIB="$(kib_to_mib "$IDLE_RSS_KIB")"

echo
echo "Wspólnie load benchmark  ($TS)"
echo "machine:  $NPROC CPUs, $CPU_MODEL, $(kib_to_mib "$MEM_TOTAL_KIB") MiB RAM"
echo "load avg: $LOADAVG_START before the runs, $LOADAVG_END after"
echo "commit:   $COMMIT"
echo "database: $DB_BACKEND"
echo "wrk:      $WRK_VERSION, -t$THREADS -c$CONNECTIONS -d$DURATION (warm-up $WARMUP), client and server share the CPUs"
echo
printf '%-25s %10s %10s %10s %8s %8s\n' path req/s p50 p99 non2xx sockerr
for ((j = 0; j < i; j++)); do
    printf '%-25s %10.1f %8.2fms %8.2fms %8d %8d\n' "${R_PATH[j]}" "${R_RPS[j]}" \
        "${R_P50[j]}" "${R_P99[j]}" "${R_NON2XX[j]}" "${R_SOCKERR[j]}"
done
echo
echo "server peak RSS: $PEAK_MIB MiB (idle $IDLE_MIB MiB)"

mkdir -p "$OUT_DIR"
JSON="$OUT_DIR/load-$TS.json"
{
    printf '{\n'
    printf '  "timestamp": %s,\n' "$(json_str "$TS")"
    printf '  "commit": %s,\n' "$(json_str "$COMMIT")"
    printf '  "database": %s,\n' "$(json_str "$DB_BACKEND")"
    printf '  "machine": {"nproc": %d, "cpu_model": %s, "mem_total_mib": %s, "loadavg_before": %s, "loadavg_after": %s},\n' \
        "$NPROC" "$(json_str "$CPU_MODEL")" "$(kib_to_mib "$MEM_TOTAL_KIB")" \
        "$(json_str "$LOADAVG_START")" "$(json_str "$LOADAVG_END")"
    printf '  "wrk": {"version": %s, "threads": %d, "connections": %d, "duration": %s, "warmup": %s},\n' \
        "$(json_str "$WRK_VERSION")" "$THREADS" "$CONNECTIONS" "$(json_str "$DURATION")" "$(json_str "$WARMUP")"
    printf '  "server_rss_mib": {"idle": %s, "peak": %s},\n' "$IDLE_MIB" "$PEAK_MIB"
    printf '  "results": [\n'
    for ((j = 0; j < i; j++)); do
        sep=","
        ((j == i - 1)) && sep=""
        printf '    {"path": %s, "requests_per_sec": %s, "p50_ms": %s, "p99_ms": %s, "requests": %s, "non_2xx": %d, "socket_errors": %d}%s\n' \
            "$(json_str "${R_PATH[j]}")" "${R_RPS[j]}" "${R_P50[j]}" "${R_P99[j]}" \
            "${R_TOTAL[j]}" "${R_NON2XX[j]}" "${R_SOCKERR[j]}" "$sep"
    done
    printf '  ],\n'
    printf '  "ok": %s\n' "$([[ ${#failures[@]} -eq 0 ]] && echo true || echo false)"
    printf '}\n'
} >"$JSON"
echo "json: ${JSON#"$ROOT"/}"

if ((${#failures[@]} > 0)); then
    printf '\n[bench] FAILED: non-2xx responses under load:\n' >&2
    printf '[bench]   %s\n' "${failures[@]}" >&2
    exit 1
fi
