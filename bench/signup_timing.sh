#!/usr/bin/env bash
# Sign-up timing: does the response time tell whether an address already has an account?
#
# Against a running Wspólnie server, signs up BENCH_SIGNUPS (50) new addresses and as many
# times an address that is already registered, interleaved, and prints the median (and the
# 10th/90th percentiles) of the sign-up POST's response time for each.
#
#   bench/signup_timing.sh                          # server at http://127.0.0.1:8080
#   bench/signup_timing.sh http://127.0.0.1:18080   # another local server
#   BENCH_SIGNUPS=100 bench/signup_timing.sh
#
# Start a server for it with e.g.
#   WSPOLNIE__DATA_DIR=$(mktemp -d) WSPOLNIE__SERVER__LISTEN=127.0.0.1:18080 \
#     WSPOLNIE__SERVER__PUBLIC_URL=http://127.0.0.1:18080 target/release/wspolnie serve
#
# Sign-ups are throttled per client address (10 an hour). Against a server on 127.0.0.1 every
# request leaves from its own loopback address (curl --interface 127.0.x.y), so the throttle
# never answers in place of the real work. Against another host the run stops at the first
# throttled answer. Creates accounts (unverified) and mail jobs: use a scratch server.
set -euo pipefail

BASE="${1:-${BENCH_URL:-http://127.0.0.1:8080}}"
BASE="${BASE%/}"
N="${BENCH_SIGNUPS:-50}"
PASSWORD="hasło do pomiaru czasu rejestracji"

log() { printf '[signup-timing] %s\n' "$*" >&2; }
die() {
    printf '[signup-timing] FAILED: %s\n' "$*" >&2
    exit 1
}

[[ "$N" =~ ^[0-9]+$ ]] && ((N >= 5 && N <= 5000)) || die "BENCH_SIGNUPS must be 5…5000, got '$N'"
command -v curl >/dev/null || die "curl is required"
curl -fsS -o /dev/null "$BASE/healthz" || die "no server answering at $BASE/healthz"

HOST="$(sed -E 's#^[a-z]+://([^/:]+).*#\1#' <<<"$BASE")"
LOCAL=0
if [[ "$HOST" == 127.* || "$HOST" == localhost ]]; then
    LOCAL=1
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# The i-th loopback source address: 127.0.<1…>.<2…201>, one per request.
source_ip() {
    local i=$1
    printf '127.0.%d.%d' $((i / 200 + 1)) $((i % 200 + 2))
}

# Signs `email` up from source address `ip`; prints the POST's time in milliseconds.
sign_up() {
    local email=$1 ip=$2
    local jar="$TMP/jar" body="$TMP/body" iface=()
    ((LOCAL)) && iface=(--interface "$ip")
    rm -f "$jar"
    local html token
    html="$(curl -fsS "${iface[@]}" -c "$jar" "$BASE/konto/rejestracja")" || die "GET sign-up page"
    token="$(grep -o 'name="_csrf" value="[^"]*"' <<<"$html" | head -n1 | sed -E 's/.*value="([^"]*)"/\1/')"
    [[ -n "$token" ]] || die "no CSRF token on the sign-up page"
    local out code secs
    out="$(curl -sS "${iface[@]}" -b "$jar" -o "$body" -w '%{http_code} %{time_total}' \
        --data-urlencode "name=Pomiar Czasu" \
        --data-urlencode "email=$email" \
        --data-urlencode "password=$PASSWORD" \
        --data-urlencode "password_confirm=$PASSWORD" \
        --data-urlencode "privacy=yes" \
        --data-urlencode "_csrf=$token" \
        "$BASE/konto/rejestracja")"
    read -r code secs <<<"$out"
    [[ "$code" == 200 ]] || die "sign-up of $email answered HTTP $code"
    if grep -q 'class="error-summary"' "$body"; then
        die "sign-up of $email was refused (throttled or invalid): see $body"
    fi
    awk -v s="$secs" 'BEGIN { printf "%.2f\n", s * 1000 }'
}

# Percentile p (0–100) of the numbers in a file.
pct() {
    sort -n "$1" | awk -v p="$2" '{ a[NR] = $1 } END {
        i = int((NR - 1) * p / 100 + 0.5) + 1; if (i > NR) i = NR; printf "%.1f", a[i] }'
}

STAMP="$(date +%s)-$$"
REGISTERED="bench-registered-$STAMP@example.org"
log "server $BASE, $N sign-ups of each kind$( ((LOCAL)) && echo ', one loopback address per request')"
sign_up "$REGISTERED" "$(source_ip 0)" >/dev/null
# Warm-up (first requests pay for connections and caches), not measured.
for w in 1 2 3; do
    sign_up "bench-warmup-$STAMP-$w@example.org" "$(source_ip "$w")" >/dev/null
    sign_up "$REGISTERED" "$(source_ip $((w + 3)))" >/dev/null
done
: >"$TMP/new.ms"
: >"$TMP/registered.ms"
for ((i = 0; i < N; i++)); do
    ip_a="$(source_ip $((10 + 2 * i)))"
    ip_b="$(source_ip $((11 + 2 * i)))"
    # Alternate which kind goes first, so drift hits both alike.
    if ((i % 2 == 0)); then
        sign_up "bench-new-$STAMP-$i@example.org" "$ip_a" >>"$TMP/new.ms"
        sign_up "$REGISTERED" "$ip_b" >>"$TMP/registered.ms"
    else
        sign_up "$REGISTERED" "$ip_b" >>"$TMP/registered.ms"
        sign_up "bench-new-$STAMP-$i@example.org" "$ip_a" >>"$TMP/new.ms"
    fi
done

new_med="$(pct "$TMP/new.ms" 50)"
reg_med="$(pct "$TMP/registered.ms" 50)"
printf '\nsign-up POST response time, %d each (ms)\n' "$N"
printf '  %-22s median %8s   p10 %8s   p90 %8s\n' "new address" "$new_med" "$(pct "$TMP/new.ms" 10)" "$(pct "$TMP/new.ms" 90)"
printf '  %-22s median %8s   p10 %8s   p90 %8s\n' "registered address" "$reg_med" "$(pct "$TMP/registered.ms" 10)" "$(pct "$TMP/registered.ms" 90)"
awk -v a="$new_med" -v b="$reg_med" 'BEGIN { printf "  difference of medians: %.1f ms (%.0f%% of the new-address median)\n", a - b, (a - b) * 100 / a }'
