"""Signage fixtures: built through the services, like a hall manager would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from kiosk.accounts.services import create_user
from kiosk.notices.models import Notice
from kiosk.signage import services
from kiosk.signage.models import Playlist, Screen
from tests.conftest import TEST_PASSWORD, Auth

ITEM_BASE = "http://hall.example"


def add_notice(session: Session, title: str, body: str = "正文", region: str = "示范县") -> Notice:
    notice = Notice(title=title, body=body, region=region, publisher="示范县政务服务中心")
    session.add(notice)
    session.flush()
    return notice


def make_playlist(
    session: Session, name: str, entries: list[dict[str, Any]], publish: bool = True, **roles: bool
) -> Playlist:
    playlist = services.create_playlist(session, name, "manager")
    for values in entries:
        if values.get("kind", "notice") == "notice" and "notice_id" not in values:
            values = {**values, "notice_id": add_notice(session, values["title"]).id}
        services.add_entry(session, playlist, {"kind": "notice", **values}, [], "manager")
    for role, on in roles.items():
        services.set_playlist_role(session, playlist, role, on, "manager")
    if publish:
        services.submit_for_review(session, playlist, 0, ITEM_BASE, "manager")
    return playlist


def claimed_screen(
    session: Session, slug: str, name: str | None = None, group_id: int | None = None
) -> Screen:
    screen = services.register_screen(session, slug)
    return services.claim_screen(session, screen.pairing_code, name or slug, group_id, "manager")


@pytest.fixture
def signage_app(app_factory: Callable[..., Flask]) -> Flask:
    """A one-person station: playlists go on screens when submitted."""
    return app_factory(KIOSK_REVIEW_STEPS=0, KIOSK_REGION="示范县")


@pytest.fixture
def sdb(signage_app: Flask):
    session = signage_app.extensions["kiosk_db"].sessions()
    yield session
    session.close()


@pytest.fixture
def player_context(browser):
    """One landscape browser context (long player runs need only one orientation)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    yield context
    context.close()


@pytest.fixture
def users(signage_app: Flask) -> Callable[..., None]:
    """users(name=role, ...): staff accounts on the signage app."""

    def make(**roles: str) -> None:
        with signage_app.extensions["kiosk_db"].session() as session:
            for name, role in roles.items():
                create_user(session, name, role, TEST_PASSWORD, actor="test")

    return make


@pytest.fixture
def signed_in(signage_app: Flask, users):
    """signed_in(name, role): a test client signed in as a new account of that role."""

    def make(name: str = "manager", role: str = "hall_manager"):
        users(**{name: role})
        client = signage_app.test_client()
        auth = Auth(client)
        assert auth.login(name).status_code == 302
        client.csrf = auth.token("/admin/signage/")
        return client

    return make


def open_player(client, slug: str):
    """What a screen's browser does: open the player page, then register itself (POST)."""
    page = client.get(f"/player/{slug}")
    if page.status_code == 200:
        client.post(f"/player/{slug}/register")
    return page
