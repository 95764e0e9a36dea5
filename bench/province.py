"""A province streamed once: 1,000,000 items of 100 counties (`catalog_gen.province_items`),
written as gzip JSON Lines to a temporary file.

Measured: items a second (the generator alone, and with JSON and gzip), total characters,
the file's size, and the resident size of the generating process, which runs on its own (a
fresh interpreter) so that its peak is the generator's and nothing else's.
Run with `python -m bench.province [COUNTIES]` (or `make bench`).
"""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bench.catalog_gen import province_items
from bench.harness import rss_mb, table, write_result

# zlib's default: level 9 takes twice as long here for a file a few percent smaller.
GZIP_LEVEL = 6


def stream(counties: int, per_county: int, path: Path) -> dict[str, Any]:
    """Generate the province into `path`; runs in the measured process."""
    rss = {"before": rss_mb(os.getpid())}
    generating = 0.0
    count = characters = json_bytes = 0
    started = time.perf_counter()
    provinces = province_items(counties, per_county)
    with gzip.open(path, "wb", compresslevel=GZIP_LEVEL) as out:
        while True:
            begun = time.perf_counter()
            item = next(provinces, None)
            generating += time.perf_counter() - begun
            if item is None:
                break
            count += 1
            characters += sum(map(len, item.values()))
            line = (json.dumps(item, ensure_ascii=False) + "\n").encode()
            json_bytes += len(line)
            out.write(line)
            if count == per_county:
                rss["after_first_county"] = rss_mb(os.getpid())
    seconds = time.perf_counter() - started
    rss["end"] = rss_mb(os.getpid())
    rss["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return {
        "items": count,
        "counties": counties,
        "seconds": seconds,
        "generator_seconds": generating,
        "items_per_s": count / seconds,
        "generator_items_per_s": count / generating,
        "characters": characters,
        "json_bytes": json_bytes,
        "gzip_bytes": path.stat().st_size,
        "gzip_level": GZIP_LEVEL,
        "rss_mb": rss,
    }


def run(counties: int = 100, per_county: int = 10_000) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory() as folder,
        ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as process,
    ):
        return process.submit(
            stream, counties, per_county, Path(folder) / "province.jsonl.gz"
        ).result()


def report(outcome: dict[str, Any]) -> str:
    rss = outcome["rss_mb"]
    per_county = outcome["items"] // outcome["counties"]
    return table(
        ["measure", "value"],
        [
            [
                "items (counties × items)",
                f"{outcome['items']:,} ({outcome['counties']} × {per_county:,})",
            ],
            ["generator alone, items/s", f"{outcome['generator_items_per_s']:,.0f}"],
            ["with JSON and gzip, items/s", f"{outcome['items_per_s']:,.0f}"],
            ["whole pass (s)", f"{outcome['seconds']:.1f}"],
            ["characters in all fields", f"{outcome['characters']:,}"],
            ["JSON Lines, UTF-8 (MB)", f"{outcome['json_bytes'] / 1e6:,.0f}"],
            [f"gzip level {outcome['gzip_level']} (MB)", f"{outcome['gzip_bytes'] / 1e6:,.0f}"],
            [
                "RSS before / after the first county / at the end (MB)",
                f"{rss['before']:.0f} / {rss.get('after_first_county', float('nan')):.0f} / "
                f"{rss['end']:.0f}",
            ],
            ["peak RSS of the generating process, imports included (MB)", f"{rss['peak']:.0f}"],
        ],
    )


def main(counties: int = 100) -> dict[str, Any]:
    outcome = run(counties)
    print(
        f"\n## Province: {outcome['items']:,} items of {outcome['counties']} counties, "
        "streamed to gzip JSON Lines"
    )
    print(report(outcome))
    write_result("province", outcome)
    return outcome


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
