"""Shared pieces: a real waitress server in a thread, timing, percentiles, tables."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import requests

RESULTS = Path(__file__).resolve().parent / "results"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summarise(samples: list[float]) -> dict[str, float]:
    return {
        "n": len(samples), "p50": percentile(samples, 0.50), "p95": percentile(samples, 0.95),
        "p99": percentile(samples, 0.99), "mean": statistics.fmean(samples),
    }


def server_time_ms(response: requests.Response) -> float:
    timing = response.headers.get("Server-Timing", "")
    return float(timing.split("dur=", 1)[1]) if "dur=" in timing else float("nan")


def time_requests(http: requests.Session, url: str, count: int,
                  warmup: int = 10) -> dict[str, dict[str, float]]:
    """Server time (from Server-Timing) and client round trip, in ms."""
    for _ in range(warmup):
        http.get(url).raise_for_status()
    server, client = [], []
    for _ in range(count):
        started = time.perf_counter()
        response = http.get(url)
        client.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        server.append(server_time_ms(response))
    return {"server": summarise(server), "client": summarise(client)}


def table(headers: list[str], rows: Iterable[Iterable[Any]]) -> str:
    rows = [[_cell(value) for value in row] for row in rows]
    widths = [max(len(str(h)), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |"
    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
            for r in rows]
    return "\n".join([line, rule, *body])


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def write_result(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
