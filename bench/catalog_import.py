"""Catalog import: a 20,000-row county workbook (.xlsx) and a 45,000-row CSV.

Each case runs in its own process (so its peak RSS is its own): parsing the file alone
(the floor: read + validate, no database), then the whole import into an empty centre
database. Targets: .xlsx applied in <= 10 s, CSV in <= 30 s, <= 300 MB peak either way.

Run with `python -m bench.catalog_import` (or `make bench`); `--profile` writes a
pyinstrument profile of each full import to bench/results/.
"""

from __future__ import annotations

import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from bench import catalog_gen
from bench.harness import RESULTS, table, write_result
from kiosk.catalog.elements import ALL_ELEMENTS

CASES = (("xlsx", 20_000, 10.0), ("csv", 45_000, 30.0))
MEMORY_TARGET_MB = 300


def write_file(path: Path, rows: int) -> Path:
    header = [element.label for element in ALL_ELEMENTS]
    items = catalog_gen.items(rows)
    lines = ([item[element.field] for element in ALL_ELEMENTS] for item in items)
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(lines)
        return path
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("政务公开事项")
    sheet.append(header)
    for line in lines:
        sheet.append(line)
    workbook.save(path)
    return path


def child(mode: str, path: Path, database: Path, profile: bool) -> None:
    """In the measuring process: parse only, or the whole import; prints JSON."""
    from kiosk.catalog.importing.importer import import_catalog, parse_file
    from kiosk.db import Database
    from kiosk.migrate import upgrade

    started = time.perf_counter()
    if mode == "parse":
        rows = parse_file(path).report.rows
    else:
        db = Database(f"sqlite:///{database}")
        upgrade(db.engine)
        profiler = None
        if profile:
            from pyinstrument import Profiler

            profiler = Profiler()
            profiler.start()
        started = time.perf_counter()
        with db.session() as session:
            rows = import_catalog(session, path, actor="bench", checkpoint=session.commit).rows
        if profiler is not None:
            profiler.stop()
            RESULTS.mkdir(exist_ok=True)
            (RESULTS / f"catalog_import_{path.suffix[1:]}.html").write_text(profiler.output_html())
        db.dispose()
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": peak_mb}))


def measure(mode: str, path: Path, folder: Path, profile: bool) -> dict[str, float]:
    database = folder / f"{mode}-{path.suffix[1:]}.db"
    command = [sys.executable, "-m", "bench.catalog_import", "--child", mode, str(path)]
    command += [str(database)] + (["--profile"] if profile else [])
    done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=900)
    return json.loads(done.stdout.splitlines()[-1])


def main(
    profile: bool = False, cases: tuple[tuple[str, int, float], ...] = CASES
) -> dict[str, dict[str, object]]:
    results: dict[str, dict[str, object]] = {}
    lines = []
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-import-") as name:
        folder = Path(name)
        for suffix, rows, target in cases:
            path = write_file(folder / f"目录.{suffix}", rows)
            size_mb = path.stat().st_size / 1e6
            parse = measure("parse", path, folder, False)
            full = measure("import", path, folder, profile)
            results[suffix] = {"file_mb": size_mb, "parse": parse, "import": full}
            lines.append(
                [
                    f".{suffix} {rows:,} rows ({size_mb:.0f} MB)",
                    parse["seconds"],
                    rows / parse["seconds"],
                    parse["peak_mb"],
                    full["seconds"],
                    rows / full["seconds"],
                    full["peak_mb"],
                    "yes"
                    if full["seconds"] <= target and full["peak_mb"] <= MEMORY_TARGET_MB
                    else "NO",
                ]
            )
    print("\n## Catalog import (target: .xlsx <= 10 s, CSV <= 30 s, <= 300 MB)")
    print(
        table(
            [
                "file",
                "parse s",
                "parse rows/s",
                "parse peak MB",
                "import s",
                "import rows/s",
                "import peak MB",
                "on target",
            ],
            lines,
        )
    )
    write_result("catalog_import", results)
    return results


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]), "--profile" in sys.argv)
    else:
        main(profile="--profile" in sys.argv)
