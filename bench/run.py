"""`make bench`: every benchmark in turn, a table each, JSON in bench/results/."""

from __future__ import annotations

import time

from bench import (
    balanced,
    catalog_import,
    centre_load,
    hall_pages,
    player_heap,
    province,
    speech,
    sync,
)
from bench.harness import machine, write_result


def main() -> None:
    started = time.perf_counter()
    described = machine()
    print("## Machine\n" + ", ".join(f"{key}: {value}" for key, value in described.items()))
    timings = {}
    for name, bench in (
        ("hall_pages", hall_pages.main),
        ("sync", sync.main),
        ("centre_load", centre_load.main),
        ("balanced", balanced.main),
        ("speech", speech.main),
        ("province", province.main),
        ("player_heap", player_heap.main),
        ("catalog_import", catalog_import.main),
    ):
        begun = time.perf_counter()
        bench()
        timings[name] = time.perf_counter() - begun
    total = time.perf_counter() - started
    print(
        f"\nmake bench: {total:.0f} s ("
        + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items())
        + ")"
    )
    write_result("run", {"machine": described, "seconds": timings, "total_seconds": total})


if __name__ == "__main__":
    main()
