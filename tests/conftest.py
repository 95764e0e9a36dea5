"""Shared fixtures: a fresh migrated database per test, apps, clients, users, sign-in."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.accounts.models import User
from kiosk.accounts.services import create_user
from kiosk.app import create_app
from kiosk.db import Database
from kiosk.demo import load_demo
from kiosk.migrate import upgrade
from kiosk.serve import serve_in_thread

TEST_PASSWORD = "correct horse battery"  # noqa: S105 - test-only credential


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the developer's own KIOSK_* settings."""
    for name in list(os.environ):
        if name.startswith("KIOSK_"):
            monkeypatch.delenv(name)


def _template(tmp_path_factory: pytest.TempPathFactory, name: str, demo: bool) -> Path:
    path = tmp_path_factory.mktemp(name) / "kiosk.db"
    database = Database(f"sqlite:///{path}")
    upgrade(database.engine)
    if demo:
        with database.session() as session:
            load_demo(session)
    database.dispose()
    return path


@pytest.fixture(scope="session")
def empty_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory, "empty-template", demo=False)


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory, "demo-template", demo=True)


def _app_from(template: Path, instance: Path, overrides: dict | None) -> Flask:
    instance.mkdir(parents=True, exist_ok=True)
    shutil.copy(template, instance / "kiosk.db")
    settings = {"KIOSK_INSTANCE_PATH": str(instance), "TESTING": True}
    settings.update(overrides or {})
    return create_app(settings)


@pytest.fixture
def app_factory(tmp_path: Path, request: pytest.FixtureRequest) -> Callable[..., Flask]:
    """make_app(demo=False, **settings): a new app over its own copy of a migrated database."""
    made: list[Flask] = []

    def make_app(demo: bool = False, name: str = "instance", **overrides) -> Flask:
        template = request.getfixturevalue("demo_db_template" if demo else "empty_db_template")
        app = _app_from(template, tmp_path / name, overrides)
        made.append(app)
        return app

    yield make_app
    for app in made:
        app.extensions["kiosk_db"].dispose()


@pytest.fixture
def app(app_factory: Callable[..., Flask]) -> Flask:
    return app_factory()


@pytest.fixture
def demo_app(app_factory: Callable[..., Flask]) -> Flask:
    return app_factory(demo=True)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator:
    """A session on the app's database; the test commits what it wants to keep."""
    session = app.extensions["kiosk_db"].sessions()
    yield session
    session.close()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    def make(
        name: str = "manager", role: str = "hall_manager", password: str = TEST_PASSWORD
    ) -> User:
        with app.extensions["kiosk_db"].session() as session:
            return create_user(session, name, role, password, actor="test")

    return make


CSRF_FIELD = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|'
    r'name="csrf_token" value="([^"]+)"'
)


def csrf_token_of(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


class Auth:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def login(self, name: str = "manager", password: str = TEST_PASSWORD):
        page = self.client.get("/admin/login")
        token = csrf_token_of(page.get_data(as_text=True))
        return self.client.post(
            "/admin/login",
            data={
                "name": name,
                "password": password,
                "csrf_token": token,
            },
        )

    def token(self, path: str = "/admin/") -> str:
        return csrf_token_of(self.client.get(path).get_data(as_text=True))


def signed_in(app: Flask, name: str, role: str = "hall_manager") -> FlaskClient:
    """A client of `app` signed in as a new staff account `name` with `role`."""
    with app.extensions["kiosk_db"].session() as session:
        create_user(session, name, role, TEST_PASSWORD, actor="test")
    client = app.test_client()
    Auth(client).login(name)
    return client


@pytest.fixture
def auth(client: FlaskClient) -> Auth:
    return Auth(client)


@pytest.fixture
def live_demo(demo_app: Flask) -> Iterator[str]:
    """The demo node served by a real waitress on a 127.0.0.1 port; yields its base URL."""
    with serve_in_thread(demo_app) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """Debian's headless Chromium through Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is missing: run `make test`, which installs it"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True)
        yield launched
        launched.close()


PORTRAIT = {"width": 1080, "height": 1920}
LANDSCAPE = {"width": 1920, "height": 1080}


@pytest.fixture(params=[PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def viewport(request: pytest.FixtureRequest) -> dict[str, int]:
    return request.param


@pytest.fixture
def page(browser, viewport: dict[str, int]) -> Iterator:
    """A fresh browser page at a hall screen's size (both orientations)."""
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    opened = context.new_page()
    yield opened
    context.close()
