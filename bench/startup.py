"""Start-up: how soon `cityhall serve` answers, and what each of its processes costs once it does.

    .venv/bin/python -m bench.startup [--rounds 3]

Serves a copy of the demo as `make run` prepares it (bench/demo_db.py), reads its output until the
line that says it serves (which `serve` prints once the web and live servers answer), then reads
from /proc each process's CPU seconds, resident memory and proportional share of it (PSS: memory
shared between forks counted once among them), asks the web server for its first pages, and stops
it. Prints; asserts nothing. Linux only (/proc). docs/architecture.md, "Start-up".
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.demo_db import serve_demo_copy
from bench.ports import free_port

READY = "is serving on"
FIRST_PAGES = ("/", "/requests", "/open311/v2/requests.json", "/report")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Process:
    pid: int
    role: str
    cpu_seconds: float
    rss_mb: float
    pss_mb: float


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _role(pid: int) -> str:
    command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    words = " ".join(part.decode() for part in command)
    for marker, role in (("gunicorn", "web"), ("uvicorn", "live streams"), ("db_worker", "task worker")):
        if marker in words:
            return role
    return "serve" if "serve" in words else words[:40]


def _measured(pid: int, role: str) -> Process:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime and stime, after the state field
    memory = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        memory[name] = int(value.split()[0]) / 1024
    return Process(pid, role, cpu, memory["Rss"], memory["Pss"])


def _tree(root: int) -> list[Process]:
    found = [_measured(root, "serve")]
    for child in _children(root):
        role = _role(child)
        found.append(_measured(child, role))
        found += [_measured(grandchild, f"{role} worker") for grandchild in _children(child)]
    return found


def _first_page_ms(port: int, path: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def one_round() -> None:
    port = free_port()
    cityhall = Path(sys.executable).parent / "cityhall"
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(cityhall), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert server.stdout is not None
    for line in server.stdout:
        if READY in line:
            break
    else:
        raise SystemExit(f"cityhall serve stopped before it served (exit {server.wait()})")
    ready = time.perf_counter() - started
    # The rest of its output is read and dropped, so the pipe never fills while it runs.
    threading.Thread(target=lambda: [None for _ in server.stdout or ()], daemon=True).start()
    processes = _tree(server.pid)
    pages = {path: _first_page_ms(port, path) for path in FIRST_PAGES}
    server.terminate()
    server.wait(timeout=30)
    print(f"answering after {ready:.1f} s")
    print(f"  {'process':<20} {'CPU s':>6} {'RSS MB':>7} {'PSS MB':>7}")
    for process in processes:
        print(f"  {process.role:<20} {process.cpu_seconds:>6.1f} {process.rss_mb:>7.0f} {process.pss_mb:>7.0f}")
    total_cpu = sum(process.cpu_seconds for process in processes)
    total_pss = sum(process.pss_mb for process in processes)
    print(f"  {'all':<20} {total_cpu:>6.1f} {'':>7} {total_pss:>7.0f}")
    print("  first answers: " + ", ".join(f"{path} {ms:.0f} ms" for path, ms in pages.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    serve_demo_copy()
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} cores")
    for _ in range(args.rounds):
        one_round()


if __name__ == "__main__":
    main()
