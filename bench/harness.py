"""Shared pieces: a server in its own process, timing, percentiles, tables."""

from __future__ import annotations

import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests

from bench.postgres import free_port

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[1]
__all__ = ["free_port", "rss_mb", "start_server"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(args: list[str], port: int, **settings: str) -> subprocess.Popen:
    """`python -m ARGS` with only these KIOSK_* settings; returns once /healthz answers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(KIOSK_LOG_LEVEL="WARNING", **settings)
    server = subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and server.poll() is None:
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except requests.ConnectionError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"bench server {' '.join(args)} did not start")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summarise(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples),
        "p50": percentile(samples, 0.50),
        "p95": percentile(samples, 0.95),
        "p99": percentile(samples, 0.99),
        "mean": statistics.fmean(samples),
    }


def server_time_ms(response: requests.Response) -> float:
    timing = response.headers.get("Server-Timing", "")
    return float(timing.split("dur=", 1)[1]) if "dur=" in timing else float("nan")


def time_requests(
    http: requests.Session, url: str | list[str], count: int, warmup: int = 10
) -> dict[str, dict[str, float]]:
    """Server time (from Server-Timing) and client round trip, in ms. Given several URLs,
    the requests go through them in turn (warm-up first, so measured ones come after)."""
    urls = itertools.cycle([url] if isinstance(url, str) else url)
    for _ in range(warmup):
        http.get(next(urls)).raise_for_status()
    server, client = [], []
    for _ in range(count):
        started = time.perf_counter()
        response = http.get(next(urls))
        client.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        server.append(server_time_ms(response))
    return {"server": summarise(server), "client": summarise(client)}


def table(headers: list[str], rows: Iterable[Iterable[Any]]) -> str:
    rows = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    return "\n".join([line, rule, *body])


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def write_result(name: str, data: dict[str, Any]) -> Path:
    """bench/results/NAME.json, stamped with when, at which commit and how busy the machine
    was (the README's tables say which run each figure comes from)."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    stamped = {"measured": stamp(), **data}
    path.write_text(json.dumps(stamped, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def stamp() -> dict[str, Any]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit,
        "load_average": round(os.getloadavg()[0], 2),
    }


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    info = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            info["cpu"] = line.split(":", 1)[1].strip()
            break
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            info["ram_gib"] = round(int(line.split()[1]) / 1024**2, 1)
    release = Path("/etc/os-release")
    if release.exists():
        fields = dict(
            line.split("=", 1) for line in release.read_text().splitlines() if "=" in line
        )
        info["os"] = fields.get("PRETTY_NAME", "").strip('"')
    info["load_average"] = round(os.getloadavg()[0], 2)
    return info
