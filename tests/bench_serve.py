#!/usr/bin/env python3
"""Save-to-browser latency of `enishi serve` (issue 6/8).

    tests/bench_serve.py --bin target/release/enishi --root CORPUS [--edits 10] [--title]

Starts `enishi serve --port 0`-like on a free port, connects to the
live-reload stream like a browser tab, then edits one page body several
times (a different page each time: its body, or with --title its title, which
lists, tag pages and feeds show too) and reports
per edit: save -> SSE `build` event, and save -> the page served with the new
text (what a reloading tab sees). Standard library only. The corpus is
modified in place; the edits append a line, so regenerate it afterwards if
byte-identical inputs matter.
"""
import argparse
import glob
import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--edits", type=int, default=10)
    ap.add_argument("--now", default="2026-11-01")
    ap.add_argument("--title", action="store_true",
                    help="edit titles (lists, tags and feeds change) instead of bodies")
    ap.add_argument("--gap", type=float, default=1.5,
                    help="seconds between an edit being visible and the next edit")
    a = ap.parse_args()
    port = free_port()
    proc = subprocess.Popen(
        [a.bin, "serve", "--root", a.root, "--port", str(port), "--now", a.now],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "ENISHI_SERVE_TIMINGS": "1"})
    lines = []
    ready = threading.Event()

    def pump():
        for line in proc.stdout:
            lines.append(line.rstrip())
            if line.startswith("Serving"):
                ready.set()
    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(600):
        proc.kill()
        sys.exit("serve did not start:\n" + "\n".join(lines))
    print(lines[0] if lines else "")

    events = []
    cond = threading.Condition()

    def sse():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        c.request("GET", "/__enishi/events")
        r = c.getresponse()
        while True:
            line = r.fp.readline()
            if not line:
                return
            if line.startswith(b"data:"):
                with cond:
                    events.append((time.monotonic(), line.strip()))
                    cond.notify_all()
    threading.Thread(target=sse, daemon=True).start()
    time.sleep(0.5)

    files = sorted(glob.glob(os.path.join(a.root, "content/news/*.md")))
    files = files[len(files) // 3:]
    sse_ms, vis_ms = [], []
    for i in range(a.edits):
        for k in range(len(files)):
            f = files[(i * 7 + k) % len(files)]
            slug = os.path.splitext(os.path.basename(f))[0]
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            c.request("GET", f"/news/{slug}/")
            if c.getresponse().status == 200:
                break
        marker = f"bench-edit-{time.time_ns()}"
        with cond:
            n0 = len(events)
        t0 = time.monotonic()
        if a.title:
            with open(f, encoding="utf-8") as fh:
                text = fh.read()
            with open(f, "w", encoding="utf-8") as fh:
                fh.write(text.replace("title: ", f"title: {marker} ", 1))
        else:
            with open(f, "a", encoding="utf-8") as fh:
                fh.write(f"\n\n{marker}\n")
        with cond:
            cond.wait_for(lambda: len(events) > n0, timeout=60)
            t_sse = events[-1][0] if len(events) > n0 else float("nan")
        # Then fetch the page like the reloading tab does.
        while True:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            c.request("GET", f"/news/{slug}/")
            body = c.getresponse().read()
            if marker.encode() in body:
                break
            if time.monotonic() - t0 > 60:
                break
        t_vis = time.monotonic()
        sse_ms.append((t_sse - t0) * 1000)
        vis_ms.append((t_vis - t0) * 1000)
        # Let the previous edit's deferred search index finish (serve builds
        # it after the page is out), so each edit is timed on an idle server,
        # as when a person saves, looks, and edits again.
        time.sleep(a.gap)
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    shown = [l for l in lines if l.startswith("Rebuilt") or l.startswith("  ")]
    print("\n".join(shown[-2 * a.edits:]))
    print(f"save->SSE ms: median {statistics.median(sse_ms):.0f}, max {max(sse_ms):.0f}; "
          f"save->page ms: median {statistics.median(vis_ms):.0f}, max {max(vis_ms):.0f} "
          f"({a.edits} {'title' if a.title else 'body'} edits)")


if __name__ == "__main__":
    main()
