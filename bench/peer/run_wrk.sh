#!/usr/bin/env bash
# run_wrk.sh vendure|mercato OUTDIR — the wrk runs of bench/vendure-compare.md for one server
# (which must already be running, the other one stopped). A 3 s warm-up at -t2 -c4 comes
# first; before each measured run the script waits (QUIET_WAIT s, default 300) until other
# work on the machine uses < 0.3 cores; cpumon.sh records machine-wide and server CPU during
# each run and /usr/bin/time the CPU wrk itself used.
#   vendure: product(slug:) at -t1 -c1 and -t2 -c8, 15 s each
#   mercato: product detail at -t1 -c1, -t2 -c8, -t2 -c64 (15 s each), /healthz -t2 -c64 10 s
#   RAW=1:   instead, raw latency with rawlat.lua at -t1 -c1 and -t8 -c8 (15 s each)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
server=$1; out=$2; mkdir -p "$out"
case $server in
  vendure) url=http://127.0.0.1:3000; script=$HERE/vendure_product.lua
           pid=$(cat /tmp/peer-vendure/server.pid) ;;
  mercato) url=http://127.0.0.1:18300; script=$HERE/mercato_product.lua
           pid=$(cat /tmp/mercato-bench.pid) ;;
  *) echo "usage: $0 vendure|mercato OUTDIR" >&2; exit 2 ;;
esac
quiet() {  # wait (up to QUIET_WAIT s, default 300) until other work uses < 0.3 cores for 5 s
  local end=$(( $(date +%s) + ${QUIET_WAIT:-300} )) m
  while :; do
    m=$("$HERE/cpumon.sh" 5)
    awk -v r="$(echo "$m" | awk "{print \$(NF-1)}")" 'BEGIN{exit !(r<0.3)}' && return 0
    [ "$(date +%s)" -ge "$end" ] && { echo "   (machine not quiet: $m)"; return 0; }
  done
}
run() {  # name duration wrk-args...
  local name=$1 d=$2; shift 2
  [ "$name" = warmup ] || quiet
  "$HERE/cpumon.sh" "$d" "$pid" > "$out/$server-$name.cpu" &
  local mon=$!
  /usr/bin/time -f "wrk cpu %U user %S sys s" -o "$out/$server-$name.wrkcpu" \
    wrk "$@" -d"${d}s" --latency "$url${path:-}" > "$out/$server-$name.txt" 2>&1
  wait "$mon"
  echo "== $server $name: $(grep -E 'Requests/sec' "$out/$server-$name.txt") | $(cat "$out/$server-$name.cpu") | $(cat "$out/$server-$name.wrkcpu")"
}
path= run warmup 3 -t2 -c4 -s "$script" >/dev/null
if [ "${RAW:-0}" = 1 ]; then  # supplementary: raw latency (rawlat.lua), one connection per thread
  export BASE_SCRIPT=$script
  path= run raw-c1 15 -t1 -c1 -s "$HERE/rawlat.lua"
  path= run raw-c8 15 -t8 -c8 -s "$HERE/rawlat.lua"
  exit 0
fi
path= run c1 15 -t1 -c1 -s "$script"
path= run c8 15 -t2 -c8 -s "$script"
if [ "$server" = mercato ]; then
  path= run c64 15 -t2 -c64 -s "$script"
  path=/healthz run healthz-c64 10 -t2 -c64
fi
