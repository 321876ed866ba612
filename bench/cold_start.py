#!/usr/bin/env python3
"""Cold start of `mercato serve` until /readyz answers 200, in milliseconds.

usage: cold_start.py BINARY [RUNS]
Measures RUNS starts on an empty data folder (creates the SQLite file and
runs migrations) and RUNS starts on an existing one, printing each series and
its median. Standard library only.
"""
import os, shutil, signal, socket, statistics, subprocess, sys, tempfile, time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def ready(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as c:
            c.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return c.recv(16).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def start(binary, data_dir):
    port = free_port()
    t0 = time.perf_counter()
    p = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}", "--data-dir", data_dir],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not ready(port):
        if p.poll() is not None:
            raise SystemExit(f"mercato exited with {p.returncode}")
        if time.perf_counter() - t0 > 30:
            raise SystemExit("not ready after 30 s")
        time.sleep(0.001)
    ms = (time.perf_counter() - t0) * 1000
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=15)
    return ms


def main():
    binary = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    empty, existing = [], []
    for _ in range(runs):
        d = tempfile.mkdtemp(prefix="mercato-cold-")
        try:
            empty.append(start(binary, os.path.join(d, "data")))
            existing.append(start(binary, os.path.join(d, "data")))
        finally:
            shutil.rmtree(d, ignore_errors=True)
    for name, xs in (("empty data folder (create + migrate)", empty), ("existing data folder", existing)):
        print(f"{name}: median {statistics.median(xs):.1f} ms  min {min(xs):.1f}  max {max(xs):.1f}  runs {len(xs)}")


if __name__ == "__main__":
    main()
