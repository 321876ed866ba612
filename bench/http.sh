#!/usr/bin/env bash
# HTTP figures for BENCHMARKS.md against the release build on loopback.
# usage: bench/http.sh [BINARY]   (default target/release/mercato; needs wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${1:-${CARGO_TARGET_DIR:-target}/release/mercato}"
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 1; }
DATA="$(mktemp -d)"; PORT=18181; BASE="http://127.0.0.1:$PORT"
trap 'kill $PID 2>/dev/null || true; rm -rf "$DATA"' EXIT

echo "== cold start"
python3 bench/cold_start.py "$BIN" 10

MERCATO_ADMIN_EMAIL=bench@example.com MERCATO_ADMIN_PASSWORD='correct horse battery' \
  "$BIN" serve --listen 127.0.0.1:$PORT --data-dir "$DATA" 2>/dev/null & PID=$!
until curl -sf "$BASE/readyz" >/dev/null; do sleep 0.05; done

echo "== /healthz, 64 connections"
wrk -t2 -c64 -d10s --latency "$BASE/healthz"

echo "== POST /api/v1/auth/login, 8 connections (argon2id m=19MiB t=2 p=1)"
wrk -t2 -c8 -d10s --latency -s bench/login.lua "$BASE/api/v1/auth/login"
