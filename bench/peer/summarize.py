#!/usr/bin/env python3
"""Summarize wrk outputs written by run_wrk.sh: summarize.py RUNDIR... (prints one line per run)."""
import glob, re, sys
def ms(s):
    m = re.match(r'([\d.]+)(us|ms|s)$', s)
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == 'us' else v * 1000 if u == 's' else v
def parse(f):
    t = open(f).read()
    r = {'rps': float(re.search(r'Requests/sec:\s+([\d.]+)', t).group(1)),
         'n': int(re.search(r'(\d+) requests in', t).group(1)),
         'avg': ms(re.search(r'^\s+Latency\s+(\S+)', t, re.M).group(1))}
    for p in ('50', '90', '99'):
        r['p' + p] = ms(re.search(r'^\s+' + p + r'%\s+(\S+)', t, re.M).group(1))
    m = re.search(r'Non-2xx or 3xx responses: (\d+)', t); r['non2xx'] = int(m.group(1)) if m else 0
    m = re.search(r'Socket errors: (.*)', t); r['sock'] = m.group(1).strip() if m else 'none'
    return r
for d in sys.argv[1:]:
    for f in sorted(glob.glob(d + '/*.txt')):
        name = f.split('/')[-1][:-4]
        if 'warmup' in name:
            continue
        r = parse(f); c = int(name.rsplit('c', 1)[1])
        cpu = open(f[:-4] + '.cpu').read().split(';')[1].split()[2]
        print(f"{d.split('/')[-1]} {name:20s} {r['rps']:9.1f} req/s n={r['n']:7d} p50 {r['p50']:7.3f} p90 {r['p90']:7.3f} "
              f"p99 {r['p99']:7.3f} ms  avg {r['avg']:6.3f} ms  c/rps {c / r['rps'] * 1000:6.3f} ms  server {cpu} cores "
              f"= {float(cpu) / r['rps'] * 1000:.3f} ms CPU/req  non2xx {r['non2xx']} sockerr {r['sock']}")
