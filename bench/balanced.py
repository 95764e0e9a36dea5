"""The centre as one and as two `kiosk serve` processes behind HAProxy, on one PostgreSQL.

HAProxy runs with the project's own `deploy/haproxy.cfg`, unchanged: the addresses come from
the environment. Both processes share the database and one folder (`KIOSK_SHARED_PATH`).
For "1 process" the second server address points at a port where nothing listens, so HAProxy
marks it down and sends everything to the first: the same proxy, the same configuration.

Measured: the highest rate of no-change polls answered in full with p99 ≤ 50 ms
(`bench.centre_load`'s open-loop sweep, keep-alive, 2,000 node tokens), for 1 and 2
processes side by side; the CPU the processes, HAProxy and the load generator took (they
share the machine's two cores); and a hall's first sync through the proxy while the process
serving it is killed with SIGKILL mid-sync: the rounds it takes until the hall holds the whole
catalog.
Run with `python -m bench.balanced [ITEMS]` (or `make bench`).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import func, select

from bench import catalog_gen, centre_load
from bench.harness import ROOT, free_port, start_server, table, write_result
from bench.postgres import postgres_server
from kiosk.app import create_app
from kiosk.catalog.elements import PUBLIC_STATUSES
from kiosk.catalog.models import Item
from kiosk.db import Database
from kiosk.sync.changes import current_version
from kiosk.sync.hall.errors import SyncError
from kiosk.sync.hall.rounds import run_sync
from kiosk.sync.nodes import add_node

CONFIG = ROOT / "deploy" / "haproxy.cfg"
RATES = (100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1200, 1500, 1800)
COUNTY = "基准县"
VILLAGE = f"{COUNTY}/第1镇/第1村"
GEOGRAPHY = {"county": COUNTY, "townships": 1, "villages_per_township": 1}


@contextmanager
def haproxy(port: int, centres: list[int]) -> Iterator[subprocess.Popen]:
    """HAProxy in the foreground with deploy/haproxy.cfg, once it answers through a centre."""
    binary = shutil.which("haproxy") or "/usr/sbin/haproxy"
    env = dict(
        os.environ,
        KIOSK_LISTEN=f"127.0.0.1:{port}",
        KIOSK_CENTRE_1=f"127.0.0.1:{centres[0]}",
        KIOSK_CENTRE_2=f"127.0.0.1:{centres[1]}",
    )
    proxy = subprocess.Popen(
        [binary, "-db", "-f", str(CONFIG)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if proxy.poll() is not None:
                raise RuntimeError(f"haproxy did not start: {proxy.stderr.read()[-500:]}")
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("haproxy did not answer within 30 s")
            time.sleep(0.2)
        time.sleep(2.5)  # two failed health checks: a dead address is marked down
        yield proxy
    finally:
        proxy.terminate()
        proxy.wait(10)
        proxy.stderr.close()


def centre_process(port: int, instance: Path, url: str, shared: Path) -> subprocess.Popen:
    instance.mkdir()
    return start_server(
        ["kiosk", "serve", "--port", str(port)],
        port,
        KIOSK_INSTANCE_PATH=str(instance),
        KIOSK_DATABASE_URL=url,
        KIOSK_ROLE="central",
        KIOSK_SHARED_PATH=str(shared),
    )


def cpu_of(pids: list[int]) -> float:
    return sum(centre_load.cpu_seconds(pid) for pid in pids)


def polls(
    pool: ProcessPoolExecutor,
    proxy_port: int,
    centres: list[subprocess.Popen],
    tokens: list[str],
    rates: tuple[float, ...],
    duration: float,
    etag: str,
    path: str,
    proxy_pid: int,
) -> dict[str, Any]:
    pids = [centre.pid for centre in centres]
    cpu_before = cpu_of(pids), cpu_of([proxy_pid]), time.process_time()
    steps = centre_load.sweep(pool, proxy_port, path, etag, tokens, rates, duration, pids, False)
    return {
        "steps": steps,
        "max_sustained_per_s": max((s["achieved"] for s in steps if s["sustained"]), default=0.0),
        "cpu_s": {
            "kiosk": cpu_of(pids) - cpu_before[0],
            "haproxy": cpu_of([proxy_pid]) - cpu_before[1],
        },
    }


def held(hall) -> int:
    with hall.extensions["kiosk_db"].session() as session:
        return session.scalar(select(func.count(Item.id))) or 0


def sync_through_a_kill(
    root: Path,
    url: str,
    proxy_port: int,
    victim: subprocess.Popen,
    public: int,
    kill_after: float,
) -> dict[str, Any]:
    """A hall's first sync through the proxy; the first centre process is killed
    `kill_after` seconds in."""
    database = Database(url)
    with database.session() as session:
        token = add_node(session, "bench-hall", VILLAGE, "bench")[1]
    database.dispose()
    hall = create_app(
        {
            "KIOSK_INSTANCE_PATH": str(root / "hall"),
            "KIOSK_CENTRAL_URL": f"http://127.0.0.1:{proxy_port}",
            "KIOSK_NODE_TOKEN": token,
            "KIOSK_REGION": VILLAGE,
            "KIOSK_DATABASE_URL": f"sqlite:///{root / 'hall' / 'kiosk.db'}",
        }
    )
    killer = threading.Timer(kill_after, victim.send_signal, [signal.SIGKILL])
    rounds, errors = 0, []
    started = time.perf_counter()
    killer.start()
    try:
        while rounds < 5 and held(hall) < public:
            rounds += 1
            try:
                run_sync(hall)
            except SyncError as error:
                errors.append(str(error))
        seconds, holding = time.perf_counter() - started, held(hall)
    finally:
        killer.cancel()
        hall.extensions["kiosk_db"].dispose()
    return {
        "rounds": rounds,
        "seconds": seconds,
        "held": holding,
        "public_items": public,
        "errors": errors,
        "killed": victim.poll() is not None,
    }


def run(
    items: int = 20_000,
    nodes: int = 2000,
    rates: tuple[float, ...] = RATES,
    duration: float = 4.0,
    kill_after: float = 0.5,
) -> dict[str, Any]:
    """`kill_after`: seconds into the hall's sync; a tiny catalog syncs in less than 0.5 s."""
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        root = Path(tmp)
        url = stack.enter_context(postgres_server()).create_database()
        catalog_gen.load(url, items, **GEOGRAPHY)
        tokens = centre_load.add_nodes(url, nodes)
        database = Database(url)
        with database.session() as session:
            latest = current_version(session)[0]
            public = session.scalar(
                select(func.count(Item.id)).where(Item.status.in_(PUBLIC_STATUSES))
            )
        database.dispose()
        shared = root / "shared"
        shared.mkdir()
        ports = [free_port(), free_port()]
        centres = [
            centre_process(port, root / f"centre-{number}", url, shared)
            for number, port in enumerate(ports, 1)
        ]
        for centre in centres:
            stack.callback(centre.wait, 30)
            stack.callback(centre.send_signal, signal.SIGTERM)
        path = f"/api/v1/changes?cursor={latest}&limit=500"
        proxy_port = free_port()
        outcome: dict[str, Any] = {"items": items, "nodes": nodes, "duration_s": duration}
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(centre_load.CLIENT_PROCESSES, mp_context=context) as pool:
            list(pool.map(time.sleep, [0.5] * centre_load.CLIENT_PROCESSES))
            for processes in (1, 2):
                # One process: the second address is a port where nothing listens.
                backends = ports if processes == 2 else [ports[0], free_port()]
                with haproxy(proxy_port, backends) as proxy:
                    etag = first_polls(proxy_port, path, tokens)
                    outcome[f"{processes} process"] = polls(
                        pool,
                        proxy_port,
                        centres[:processes],
                        tokens,
                        rates,
                        duration,
                        etag,
                        path,
                        proxy.pid,
                    )
        with haproxy(proxy_port, ports):
            outcome["sync through a kill"] = sync_through_a_kill(
                root, url, proxy_port, centres[0], public or 0, kill_after
            )
        one = outcome["1 process"]["max_sustained_per_s"]
        two = outcome["2 process"]["max_sustained_per_s"]
        outcome["speedup"] = two / one if one else float("nan")
        return outcome


def first_polls(port: int, path: str, tokens: list[str]) -> str:
    """Every node polls once (it is then seen and holds the ETag); the ETag of the answer."""
    http = requests.Session()
    for token in tokens:
        answer = http.get(
            f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"}
        )
        answer.raise_for_status()
    http.close()
    return answer.headers["ETag"]


def report(outcome: dict[str, Any]) -> str:
    rows = []
    for processes in (1, 2):
        figures = outcome[f"{processes} process"]
        best = [s for s in figures["steps"] if s["sustained"]]
        top = max(best, key=lambda s: s["achieved"]) if best else None
        rows.append(
            [
                f"{processes} × kiosk serve behind HAProxy",
                f"{figures['max_sustained_per_s']:.0f}",
                f"{top['p99']:.1f}" if top else "—",
                f"{figures['cpu_s']['kiosk']:.1f}",
                f"{figures['cpu_s']['haproxy']:.1f}",
            ]
        )
    kill = outcome["sync through a kill"]
    return "\n".join(
        [
            table(
                [
                    "centre",
                    "max sustained polls/s (p99 ≤ 50 ms)",
                    "p99 ms there",
                    "kiosk CPU s",
                    "haproxy CPU s",
                ],
                rows,
            ),
            f"2 processes / 1 process: {outcome['speedup']:.2f}x",
            f"hall's first sync with a centre process killed 0.5 s in: "
            f"{kill['held']:,} of {kill['public_items']:,} items in {kill['rounds']} round(s), "
            f"{kill['seconds']:.1f} s"
            + (f" (errors on the way: {'; '.join(kill['errors'])})" if kill["errors"] else ""),
        ]
    )


def main(items: int = 20_000) -> dict[str, Any]:
    outcome = run(items)
    print(f"\n## Centre as two processes behind HAProxy ({outcome['items']:,} items, PostgreSQL)")
    print(report(outcome))
    write_result("balanced", outcome)
    return outcome


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
