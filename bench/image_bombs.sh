#!/usr/bin/env bash
# Image decompression bombs (issue 14): 50 uploads at once of a 35-byte GIF that declares a
# 10000×10000 logical screen (half of them a 1×1 screen with a 9000×9000 frame) as an
# organisation's logo. Prints how many were refused with the form's message and the server's
# peak resident memory (VmHWM). Before the fix each such upload cost ~460 MB and ~5 s of CPU.
#
#   WSPOLNIE_BIN=path/to/wspolnie   use this binary (else: cargo build --release -p wspolnie)
#   BENCH_PROFILE=dev               build and use the debug binary instead of release
#   BENCH_UPLOADS=50 BENCH_PORT=18081
#   BENCH_KIND=large                instead of bombs, a 6000×6000 one-colour PNG (36 MP, ~100 kB):
#                                   within the limits, so each is decoded — shows what the two
#                                   decode turns cost (it is a valid logo, so the form then asks
#                                   for the other fields; the answer is 200 either way)
#
# Everything runs on 127.0.0.1 with a fresh SQLite data directory, removed at the end.
set -euo pipefail

CALLER_DIR="$PWD"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT="${BENCH_PORT:-18081}"
UPLOADS="${BENCH_UPLOADS:-50}"
BASE="http://127.0.0.1:${PORT}"
EMAIL="bomby@example.org"
PASSWORD="hasło do testu bomb"

log() { printf '[bench] %s\n' "$*" >&2; }
die() {
    printf '\n[bench] FAILED: %s\n' "$*" >&2
    exit 1
}
[[ "$PORT" =~ ^[0-9]+$ ]] || die "BENCH_PORT must be a number"
[[ "$UPLOADS" =~ ^[0-9]+$ ]] || die "BENCH_UPLOADS must be a number"
for tool in curl sqlite3 python3; do
    command -v "$tool" >/dev/null || die "$tool is required"
done

if [[ -n "${WSPOLNIE_BIN:-}" ]]; then
    BIN="$WSPOLNIE_BIN"
    [[ "$BIN" == /* ]] || BIN="$CALLER_DIR/$BIN"
elif [[ "${BENCH_PROFILE:-release}" == dev ]]; then
    cargo build --locked -p wspolnie
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/wspolnie"
else
    cargo build --release --locked -p wspolnie
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/wspolnie"
fi
[[ -x "$BIN" ]] || die "server binary not found: $BIN"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

if curl -s -o /dev/null --max-time 2 "$BASE/" 2>/dev/null; then
    die "something already listens on 127.0.0.1:$PORT; set BENCH_PORT"
fi

DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/wspolnie-bombs.XXXXXX")"
SERVER_PID=""
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
    if [[ $rc -ne 0 ]]; then
        tail -n 30 "$DATA_DIR/server.log" >&2 2>/dev/null || true
        log "data dir kept: $DATA_DIR"
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

log "starting $BIN serve --demo on 127.0.0.1:$PORT (data dir $DATA_DIR)"
(
    cd "$DATA_DIR"
    WSPOLNIE__DATA_DIR="$DATA_DIR" WSPOLNIE__SERVER__LISTEN="127.0.0.1:$PORT" RUST_LOG=warn \
        exec "$BIN" serve --demo >"$DATA_DIR/server.log" 2>&1 </dev/null
) &
SERVER_PID=$!
deadline=$((SECONDS + 120))
until [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$BASE/healthz" || true)" == 200 ]]; do
    kill -0 "$SERVER_PID" 2>/dev/null || die "server exited before /healthz answered"
    ((SECONDS < deadline)) || die "/healthz did not answer within 120 s"
    sleep 0.25
done

kib() { awk -v f="$1:" '$1 == f { print $2 }' "/proc/$SERVER_PID/status"; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# A member of the public with a verified account (any signed-in person may register an
# organisation with a logo): signed up over HTTP, the e-mail confirmation done in the database.
JAR="$DATA_DIR/cookies"
token() { # page -> the CSRF token of its form
    curl -s -b "$JAR" -c "$JAR" "$BASE$1" | sed -n 's/.*name="_csrf" value="\([^"]*\)".*/\1/p' | head -n 1
}
t="$(token /konto/rejestracja)"
curl -s -o /dev/null -b "$JAR" -c "$JAR" "$BASE/konto/rejestracja" \
    --data-urlencode "name=Test Bomb" --data-urlencode "email=$EMAIL" \
    --data-urlencode "password=$PASSWORD" --data-urlencode "password_confirm=$PASSWORD" \
    --data-urlencode "privacy=yes" \
    --data-urlencode "_csrf=$t"
sqlite3 "$DATA_DIR/wspolnie.db" "UPDATE users SET email_verified_at = created_at WHERE email = '$EMAIL';"
t="$(token /konto/logowanie)"
where="$(curl -s -o /dev/null -w '%{redirect_url}' -b "$JAR" -c "$JAR" "$BASE/konto/logowanie" \
    --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" --data-urlencode "_csrf=$t")"
[[ "$where" == "$BASE/panel" ]] || die "sign-in did not lead to /panel (got '$where')"
FORM="/panel/organizacje/nowa"
t="$(token "$FORM")"
[[ -n "$t" ]] || die "no CSRF token on $FORM"

python3 - "$DATA_DIR" <<'EOF'
import struct, sys
def gif(sw, sh, fw, fh):
    return (b"GIF89a" + struct.pack("<HH", sw, sh) + bytes([0x80, 0, 0, 0, 0, 0, 255, 255, 255, 0x2C, 0, 0, 0, 0])
            + struct.pack("<HH", fw, fh) + bytes([0, 2, 2, 0x44, 0x01, 0, 0x3B]))
d = sys.argv[1]
open(f"{d}/screen.gif", "wb").write(gif(10000, 10000, 1, 1))
open(f"{d}/frame.gif", "wb").write(gif(1, 1, 9000, 9000))
import zlib
def chunk(t, data):
    return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data))
w = h = 6000
raw = (b"\x00" + b"\x30\x80\x30" * w) * h
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
open(f"{d}/large.png", "wb").write(png)
EOF
[[ "$(stat -c %s "$DATA_DIR/screen.gif")" == 35 ]] || die "the bomb is not 35 bytes"

IDLE="$(kib VmRSS)"
HWM_BEFORE="$(kib VmHWM)"
log "signed in; RSS $(mib "$IDLE") MiB (high-water mark so far $(mib "$HWM_BEFORE") MiB); $UPLOADS uploads at once"
mkdir -p "$DATA_DIR/out"
start=$(date +%s.%N)
pids=()
KIND="${BENCH_KIND:-bombs}"
for i in $(seq 1 "$UPLOADS"); do
    bomb=screen.gif
    ((i % 2 == 0)) && bomb=frame.gif
    [[ "$KIND" == large ]] && bomb=large.png
    curl -s -b "$JAR" -o "$DATA_DIR/out/$i.html" -w '%{http_code}\n' --max-time 600 \
        -F "name=Fundacja Bomba $i" -F "logo=@$DATA_DIR/$bomb;filename=logo.gif;type=image/gif" \
        "$BASE$FORM?_csrf=$t" >"$DATA_DIR/out/$i.code" &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || true; done
elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
kill -0 "$SERVER_PID" 2>/dev/null || die "the server died"
PEAK="$(kib VmHWM)"
refused=$( (grep -l "Obraz ma za duże wymiary" "$DATA_DIR"/out/*.html || true) | wc -l)
codes=$(cat "$DATA_DIR"/out/*.code | sort | uniq -c | awk '{ printf "%s×%s ", $1, $2 }')

echo
echo "Wspólnie image bombs ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, binary $BIN)"
if [[ "$KIND" == large ]]; then
    echo "uploads:         $UPLOADS at once (a 6000×6000 PNG of $(stat -c %s "$DATA_DIR/large.png") bytes, decoded)"
else
    echo "uploads:         $UPLOADS at once (35-byte GIFs: 10000×10000 screen / 9000×9000 frame)"
fi
echo "answers:         $codes; refused with the form's message: $refused"
echo "wall time:       $elapsed s for all of them"
echo "server RSS:      $(mib "$IDLE") MiB before, peak (VmHWM) $(mib "$PEAK") MiB"
if [[ "$KIND" == large ]]; then
    [[ "$codes" == "${UPLOADS}×200 " ]] || die "not every upload was answered 200"
else
    ((refused == UPLOADS)) || die "not every upload was refused with the message"
fi
