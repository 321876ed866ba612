#!/usr/bin/env bash
# cpumon.sh SECONDS [PID...] — print machine-wide busy CPU (in cores, of 2) and the
# given processes' CPU (in cores) over SECONDS, from /proc. Used to show how much of the
# machine other work took during a wrk run.
set -eu
secs=$1; shift
tick=$(getconf CLK_TCK)
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat; }
pcpu() { local s=0; for p in "$@"; do [ -r /proc/$p/stat ] && s=$((s + $(awk '{sub(/.*\) /,""); print $12+$13}' /proc/$p/stat))); done; echo $s; }
read b0 t0 < <(busy); p0=$(pcpu "$@")
sleep "$secs"
read b1 t1 < <(busy); p1=$(pcpu "$@")
ncpu=$(nproc)
awk -v b=$((b1-b0)) -v t=$((t1-t0)) -v p=$((p1-p0)) -v n=$ncpu -v tk=$tick -v s=$secs \
  'BEGIN{printf "machine busy %.2f of %d cores; watched pids %.2f cores; rest %.2f cores\n", b/t*n, n, p/tk/s, b/t*n - p/tk/s}'
