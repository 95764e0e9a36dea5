"""The `kiosk` command. Each command is a thin caller of the services."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TextIO

import click
from flask import Flask

from kiosk.accounts.models import ROLES
from kiosk.errors import InputError


def with_app(command: Callable[..., Any]) -> Callable[..., Any]:
    """Build the app from the environment and pass it in; bad settings exit with one line."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from kiosk.app import create_app

        try:
            app = create_app()
        except InputError as error:
            raise click.ClickException(str(error)) from None
        with app.app_context():
            try:
                return command(app, *args, **kwargs)
            except InputError as error:
                raise click.ClickException(str(error)) from None

    return wrapper


@click.group(help="Hall kiosks and signage for government-affairs disclosure.")
def cli() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)


@cli.command(help="Serve the node with waitress and run its background jobs.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, show_default=True, type=int)
@click.option("--threads", type=int, default=None, help="Worker threads (KIOSK_THREADS).")
@with_app
def serve(app: Flask, host: str, port: int, threads: int | None) -> None:
    from kiosk.serve import serve_forever

    serve_forever(app, host, port, threads or app.config["KIOSK_THREADS"])


@cli.command(help="Load the fictional demo county (演示数据); running it twice changes nothing.")
@click.option(
    "--if-empty", is_flag=True, help="Only when the catalog holds no item yet (first start)."
)
@with_app
def demo(app: Flask, if_empty: bool) -> None:
    from kiosk.blobs.services import store_of
    from kiosk.demo import has_catalog, load_demo
    from kiosk.demo.signage import load_demo_signage

    with app.extensions["kiosk_db"].session() as session:
        if if_empty and has_catalog(session):
            click.echo("catalog already holds items; demo data not loaded")
            return
        summary = load_demo(session)
        signage = load_demo_signage(session, store_of(app))
    click.echo(summary)
    click.echo(signage)


@cli.group(help="Staff accounts.")
def users() -> None:
    pass


@users.command(
    "create", help="Create a staff account; the password comes from a prompt or KIOSK_PASSWORD."
)
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the user may do.")
@click.password_option(
    envvar="KIOSK_PASSWORD",
    prompt="Password",
    confirmation_prompt=True,
    help="Read from KIOSK_PASSWORD if set.",
)
@with_app
def users_create(app: Flask, name: str, role: str, password: str) -> None:
    from kiosk.accounts.services import create_user

    with app.extensions["kiosk_db"].session() as session:
        create_user(session, name, role, password, actor="cli")
    click.echo(f"created user {name} ({role})")


@cli.group(help="The disclosure catalog: import and export spreadsheets.")
def catalog() -> None:
    pass


@catalog.command(
    "import",
    help="Import a catalog file (.xlsx, .xls, .et, .csv, .json, .docx, .doc, .wps) in the "
    "16-element or the national standard-catalog layout; all of it or nothing.",
)
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--region",
    help="Region path for rows that name none, e.g. 示范县/城关镇 (needed by the national layout).",
)
@click.option("--dry-run", is_flag=True, help="Only report what would change.")
@with_app
def catalog_import(app: Flask, path: Path, region: str | None, dry_run: bool) -> None:
    from kiosk.blobs.store import file_sha256
    from kiosk.catalog.desk.versions import Source, changes_from
    from kiosk.catalog.importing.importer import ImportRejected, import_catalog
    from kiosk.regions.services import check_region

    try:
        with app.extensions["kiosk_db"].session() as session:
            region = check_region(session, region, "region") if region else None
            sha256 = file_sha256(path) if path.is_file() else ""
            # Committed batch by batch: halls' polls go on being answered meanwhile.
            with changes_from(session, Source("cli", path.name, sha256)):
                report = import_catalog(
                    session,
                    path,
                    region,
                    dry_run,
                    actor="cli",
                    checkpoint=session.commit,
                    max_mb=app.config["KIOSK_IMPORT_MAX_MB"],
                )
    except ImportRejected as rejected:
        for line in rejected.errors:
            click.echo(line, err=True)
        raise
    click.echo(report.summary())


@catalog.command("export", help="Write the whole catalog to PATH (.xlsx, .csv or .json).")
@click.argument("path", type=click.Path(path_type=Path))
@with_app
def catalog_export(app: Flask, path: Path) -> None:
    from kiosk.catalog.importing.exporter import export_catalog

    with app.extensions["kiosk_db"].session() as session:
        written = export_catalog(session, path)
    click.echo(f"{path}: {written} items written")


@cli.group(help="Central: hall nodes allowed to pull the catalog.")
def nodes() -> None:
    pass


def central_only(app: Flask) -> None:
    if app.config["KIOSK_ROLE"] != "central":
        raise InputError("node tokens are issued by the centre: run this where KIOSK_ROLE=central")


@nodes.command("add", help="Register a hall node and print its new token (shown only once).")
@click.argument("name")
@click.option("--region", required=True, help="The hall's region path, e.g. 示范县/城关镇/东村.")
@with_app
def nodes_add(app: Flask, name: str, region: str) -> None:
    central_only(app)
    from kiosk.regions.services import check_region
    from kiosk.sync.nodes import add_node

    with app.extensions["kiosk_db"].session() as session:
        node, token = add_node(session, name, check_region(session, region), actor="cli")
    click.echo(f"node {node.name} ({node.region}) added; its KIOSK_NODE_TOKEN:", err=True)
    click.echo(token)


@nodes.command("revoke", help="Revoke a hall node's token: its next request gets HTTP 401.")
@click.argument("name")
@with_app
def nodes_revoke(app: Flask, name: str) -> None:
    central_only(app)
    from kiosk.sync.nodes import revoke_node

    with app.extensions["kiosk_db"].session() as session:
        node = revoke_node(session, name, actor="cli")
    click.echo(f"node {node.name} revoked")


@nodes.command(
    "snapshot",
    help="Write the whole catalog of a node's scope to FILE, for a "
    "hall without network (`kiosk sync --snapshot FILE` there).",
)
@click.argument("name")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the snapshot (.json.gz).",
)
@with_app
def nodes_snapshot(app: Flask, name: str, output: Path) -> None:
    central_only(app)
    from kiosk.sync.snapshot import export_snapshot, snapshot_root

    with app.extensions["kiosk_db"].session() as session:
        manifest = export_snapshot(session, snapshot_root(app.config), name, output)
    click.echo(
        f"{output}: catalog version {manifest['cursor']}, {manifest['items']} items, "
        f"{manifest['size']} bytes, sha256 {manifest['sha256']}"
    )


@cli.command(
    help="Hall: pull catalog changes from the centre and deliver the outbox, as the "
    "catalog-sync job of `kiosk serve` (back-off on failure; a failed round never ends it) "
    "until SIGTERM or Ctrl-C."
)
@click.option("--once", is_flag=True, help="One round, print the status, exit (1 on failure).")
@click.option(
    "--snapshot",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Instead: replace the catalog by this snapshot file (`kiosk nodes "
    "snapshot` at the centre, e.g. carried on a USB stick), print the status.",
)
@with_app
def sync(app: Flask, once: bool, snapshot: Path | None) -> None:
    from kiosk.settings import hall_zone
    from kiosk.sync.hall.errors import SyncBusy, SyncError
    from kiosk.sync.hall.rounds import JOB, run_sync
    from kiosk.sync.hall.snapshot_fetch import load_snapshot
    from kiosk.sync.hall.status import sync_status

    if not once and snapshot is None:
        jobs = app.extensions["kiosk_jobs"]
        if JOB not in jobs.jobs:
            raise click.ClickException(
                "本节点没有目录同步任务：未设置 KIOSK_CENTRAL_URL，或本节点是县中心"
            )
        logging.getLogger().setLevel(app.config["KIOSK_LOG_LEVEL"].upper())
        # The job `kiosk serve` runs, with its back-off; a failed round never ends it.
        jobs.run_until_signalled([JOB])
        return
    failure = None
    try:
        click.echo((load_snapshot(app, snapshot) if snapshot else run_sync(app)).summary())
    except (SyncError, SyncBusy) as error:
        failure = error
    with app.extensions["kiosk_db"].session() as session:
        click.echo("\n".join(sync_status(session).lines(hall_zone(app.config))))
    if failure is not None:
        raise click.ClickException(str(failure))


@cli.command(
    "data-key",
    help="Print a new KIOSK_DATA_KEY (the centre's key for identity numbers); keep it safe.",
)
def data_key() -> None:
    from cryptography.fernet import Fernet

    click.echo(Fernet.generate_key().decode())


@cli.command(help="Read TEXT (or --file F) aloud into a WAV file (.ogg gives Ogg Opus).")
@click.argument("text", required=False)
@click.option(
    "--file",
    "source",
    type=click.File("r", encoding="utf-8"),
    help="Read the text from this UTF-8 file instead.",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Where to write the audio.",
)
@click.option("--rate", type=click.Choice(["normal", "slow"]), default="normal", show_default=True)
@with_app
def say(app: Flask, text: str | None, source: TextIO | None, output: str, rate: str) -> None:
    from kiosk.speech.services import save_speech

    if source is not None:
        text = None if text is not None else source.read()
    if text is None:
        raise InputError("give either TEXT or --file F")
    seconds = save_speech(app, text, rate, output)
    click.echo(f"wrote {output} ({seconds:.1f} s of speech)")


@cli.group(help="Signage screens (信息发布屏).")
def signage() -> None:
    pass


@signage.command(
    "emergency",
    help="Put an emergency notice over the screens until cleared: every screen of this hall, "
    "or at the centre every hall (of --region and below).",
)
@click.argument("title")
@click.option("--body", default="", help="Text under the title.")
@click.option(
    "--minutes",
    type=click.IntRange(min=1),
    default=None,
    help="Take it down by itself after this many minutes.",
)
@click.option(
    "--region",
    default="",
    help="Central: only halls in this region and below "
    "receive it, e.g. 示范县/青山乡 (default: every hall).",
)
@with_app
def signage_emergency(app: Flask, title: str, body: str, minutes: int | None, region: str) -> None:
    from datetime import timedelta

    from kiosk.db import utcnow
    from kiosk.regions.services import check_region
    from kiosk.signage.emergency import post_emergency

    expires = utcnow() + timedelta(minutes=minutes) if minutes else None
    with app.extensions["kiosk_db"].session() as session:
        region = check_region(session, region, "region") if region.strip() else ""
        notice = post_emergency(
            session, title, body, actor="cli", expires_at=expires, region=region
        )
        scope = f"the halls of {notice.region} and below" if notice.region else "every screen"
        click.echo(f"emergency notice {notice.id} is on {scope}")


@signage.command("clear", help="Take down every emergency notice.")
@with_app
def signage_clear(app: Flask) -> None:
    from kiosk.signage.emergency import active_emergencies, clear_emergency

    with app.extensions["kiosk_db"].session() as session:
        active = active_emergencies(session)
        for notice in active:
            clear_emergency(session, notice, "cli")
    click.echo(f"cleared {len(active)} emergency notice(s)")


def main() -> None:
    try:
        cli(prog_name="kiosk")
    except KeyboardInterrupt:
        sys.exit(130)
