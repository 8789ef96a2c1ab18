#!/usr/bin/env bash
# A real S3-compatible server for the tests: moto in server mode (PyPI), installed on first use
# into a virtualenv under ~/.cache and started on 127.0.0.1 on a free port, with one bucket.
#
# Sourced by scripts/test.sh (`s3_start` / `s3_stop`); run directly to get a server by hand:
#
#   scripts/s3-server.sh          # prints the TEST_S3_* variables, serves until Ctrl-C
#
#   WSPOLNIE_S3_VENV=…   where the virtualenv lives (default ~/.cache/wsp-s3-venv)
#
# Exports for the tests: TEST_S3_ENDPOINT, TEST_S3_BUCKET, TEST_S3_REGION,
# TEST_S3_ACCESS_KEY_ID, TEST_S3_SECRET_ACCESS_KEY. moto accepts any credentials.

S3_MOTO_VERSION=5.2.6
S3_VENV=${WSPOLNIE_S3_VENV:-$HOME/.cache/wsp-s3-venv}
S3_PID=
S3_LOG=

# Installs moto into the virtualenv unless it is already there. Prints why on failure.
s3_install() {
  if [ -x "$S3_VENV/bin/moto_server" ] && "$S3_VENV/bin/python" -c 'import moto, boto3' 2>/dev/null; then
    return 0
  fi
  if ! command -v python3 >/dev/null; then
    echo "python3 is not installed (apt-get install -y python3 python3-venv)" >&2
    return 1
  fi
  echo "installing moto[server]==$S3_MOTO_VERSION into $S3_VENV" >&2
  rm -rf "$S3_VENV"
  python3 -m venv "$S3_VENV" >&2 || { echo "python3 -m venv failed (apt-get install -y python3-venv)" >&2; return 1; }
  "$S3_VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$S3_MOTO_VERSION" >&2 \
    || { echo "pip install moto[server] failed" >&2; rm -rf "$S3_VENV"; return 1; }
}

# Starts the server, waits until it answers, creates the bucket and exports TEST_S3_*.
s3_start() {
  s3_install || return 1
  local port
  port=$("$S3_VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])') || return 1
  S3_LOG=$(mktemp -t wsp-s3-XXXXXX.log)
  "$S3_VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$S3_LOG" 2>&1 &
  S3_PID=$!
  export TEST_S3_ENDPOINT="http://127.0.0.1:$port"
  export TEST_S3_BUCKET=wspolnie-test
  export TEST_S3_REGION=us-east-1
  export TEST_S3_ACCESS_KEY_ID=wspolnie-test
  export TEST_S3_SECRET_ACCESS_KEY=wspolnie-test-secret
  # Start-up takes a second or two; give up after 60 s (a loaded machine), or when it died.
  local i
  for i in $(seq 1 120); do
    if ! kill -0 "$S3_PID" 2>/dev/null; then
      echo "moto_server exited at start:" >&2; cat "$S3_LOG" >&2; S3_PID=; return 1
    fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then break; fi
    sleep 0.5
  done
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "moto_server did not answer on $TEST_S3_ENDPOINT:" >&2; cat "$S3_LOG" >&2; s3_stop; return 1
  fi
  "$S3_VENV/bin/python" - <<'EOF' || { echo "could not create the test bucket" >&2; s3_stop; return 1; }
import os, boto3
boto3.client(
    "s3",
    endpoint_url=os.environ["TEST_S3_ENDPOINT"],
    region_name=os.environ["TEST_S3_REGION"],
    aws_access_key_id=os.environ["TEST_S3_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["TEST_S3_SECRET_ACCESS_KEY"],
).create_bucket(Bucket=os.environ["TEST_S3_BUCKET"])
EOF
}

s3_stop() {
  if [ -n "$S3_PID" ]; then
    kill "$S3_PID" 2>/dev/null || true
    wait "$S3_PID" 2>/dev/null || true
    S3_PID=
  fi
  if [ -n "$S3_LOG" ]; then rm -f "$S3_LOG"; S3_LOG=; fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  trap s3_stop EXIT
  trap 'exit 130' INT TERM
  s3_start || exit 1
  env | grep '^TEST_S3_' | sed 's/^/export /'
  echo "# S3 server (moto, pid $S3_PID) running; Ctrl-C stops it" >&2
  wait "$S3_PID"
fi
