"""The `kiosk` command. Each command is a thin caller of the services."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

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
@click.option("--if-empty", is_flag=True, help="Only when the catalog holds no item yet "
              "(first start).")
@with_app
def demo(app: Flask, if_empty: bool) -> None:
    from kiosk.demo import has_catalog, load_demo

    with app.extensions["kiosk_db"].session() as session:
        if if_empty and has_catalog(session):
            click.echo("catalog already holds items; demo data not loaded")
            return
        summary = load_demo(session)
    click.echo(summary)


@cli.group(help="Staff accounts.")
def users() -> None:
    pass


@users.command("create", help="Create a staff account; the password comes from a prompt or "
               "KIOSK_PASSWORD.")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the user may do.")
@click.password_option(envvar="KIOSK_PASSWORD", prompt="Password",
                       confirmation_prompt=True, help="Read from KIOSK_PASSWORD if set.")
@with_app
def users_create(app: Flask, name: str, role: str, password: str) -> None:
    from kiosk.accounts.services import create_user

    with app.extensions["kiosk_db"].session() as session:
        create_user(session, name, role, password, actor="cli")
    click.echo(f"created user {name} ({role})")


@cli.group(help="Signage screens (信息发布屏).")
def signage() -> None:
    pass


@signage.command("emergency", help="Put an emergency notice on every screen until cleared.")
@click.argument("title")
@click.option("--body", default="", help="Text under the title.")
@click.option("--minutes", type=click.IntRange(min=1), default=None,
              help="Take it down by itself after this many minutes.")
@with_app
def signage_emergency(app: Flask, title: str, body: str, minutes: int | None) -> None:
    from datetime import timedelta

    from kiosk.db import utcnow
    from kiosk.signage.services import post_emergency

    expires = utcnow() + timedelta(minutes=minutes) if minutes else None
    with app.extensions["kiosk_db"].session() as session:
        notice = post_emergency(session, title, body, actor="cli", expires_at=expires)
        click.echo(f"emergency notice {notice.id} is on every screen")


@signage.command("clear", help="Take down every emergency notice.")
@with_app
def signage_clear(app: Flask) -> None:
    from kiosk.signage.services import active_emergencies, clear_emergency

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
