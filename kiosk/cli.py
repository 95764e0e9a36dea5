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


@cli.command(help="Read TEXT (or --file F) aloud into a WAV file (.ogg gives Ogg Opus).")
@click.argument("text", required=False)
@click.option("--file", "source", type=click.File("r", encoding="utf-8"),
              help="Read the text from this UTF-8 file instead.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="Where to write the audio.")
@click.option("--rate", type=click.Choice(["normal", "slow"]), default="normal",
              show_default=True)
@with_app
def say(app: Flask, text: str | None, source, output: str, rate: str) -> None:
    from kiosk.speech.services import save_speech

    if (text is None) == (source is None):
        raise InputError("give either TEXT or --file F")
    seconds = save_speech(app, source.read() if source else text, rate, output)
    click.echo(f"wrote {output} ({seconds:.1f} s of speech)")


def main() -> None:
    try:
        cli(prog_name="kiosk")
    except KeyboardInterrupt:
        sys.exit(130)
