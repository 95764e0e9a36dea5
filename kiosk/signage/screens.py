"""Screens: a browser at /player/<slug> pairs with a code a manager enters, then reports
what it shows. Only the browser a screen is bound to (by its device cookie) speaks for it."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.audit.services import record, record_removal
from kiosk.db import utcnow
from kiosk.errors import InputError
from kiosk.parsing import FULL_WIDTH, LARGEST, required_text
from kiosk.signage.entries import MAX_PAGE, entry_name
from kiosk.signage.groups import check_group, check_layout
from kiosk.signage.models import PlaylistEntry, Screen

log = logging.getLogger("kiosk.signage")

SLUG = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
RESERVED_SLUGS = {"attract", "media", "preview"}
MAX_UNCLAIMED = 20  # a stray script cannot fill the table with pairing requests
ONLINE_SECONDS = 75  # two and a half heartbeats


class ScreenTaken(InputError):
    """Another browser asks to be a screen that is paired already."""


def get_screen(session: Session, slug: str) -> Screen | None:
    return session.scalar(select(Screen).where(Screen.slug == slug))


def device_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_screen_slug(slug: str) -> None:
    if not SLUG.match(slug) or slug in RESERVED_SLUGS:
        raise InputError("屏幕地址里的名称只能用字母、数字、- 和 _，最多 40 个字符。")


def check_screen_free(session: Session, slug: str, device: str) -> None:
    """ScreenTaken if the screen is paired with another browser (nothing is written)."""
    screen = get_screen(session, slug)
    if (
        screen is not None
        and screen.claimed_at is not None
        and screen.device_hash is not None
        and not hmac.compare_digest(screen.device_hash, device)
    ):
        raise ScreenTaken(
            f"屏幕“{slug}”已经和另一台设备配对；如需换用这台设备，请大厅管理员在后台重新配对。"
        )


def register_screen(session: Session, slug: str, device: str | None = None) -> Screen:
    """The screen at /player/<slug> for the browser whose device-cookie hash is `device`
    (None: not bound to a browser yet; the first one to register gets it).

    A new screen gets a pairing code. An unpaired screen opened in another browser moves
    to it with a fresh code, so a code is only ever shown by the browser it will claim.
    A paired screen refuses other browsers until a manager re-pairs it.
    """
    check_screen_slug(slug)
    screen = get_screen(session, slug)
    if screen is not None and device is not None:
        check_screen_free(session, slug, device)
        if screen.device_hash is None or hmac.compare_digest(screen.device_hash, device):
            screen.device_hash = device
            return screen
        screen.device_hash = device
        screen.pairing_code = _new_code(_taken_codes(session))
        return screen
    if screen is not None:
        return screen
    unclaimed = session.scalar(
        select(func.count()).select_from(Screen).where(Screen.claimed_at.is_(None))
    )
    if (unclaimed or 0) >= MAX_UNCLAIMED:
        raise InputError("等待配对的屏幕太多了，请先配对或删除一些再接入新屏幕。")
    screen = Screen(slug=slug, pairing_code=_new_code(_taken_codes(session)), device_hash=device)
    session.add(screen)
    session.flush()
    return screen


def screen_for_device(session: Session, slug: str, device: str | None) -> Screen | None:
    """The screen if `device` is the browser bound to it (it registers first)."""
    screen = get_screen(session, slug)
    if screen is None or device is None or screen.device_hash is None:
        return None
    return screen if hmac.compare_digest(screen.device_hash, device) else None


def _taken_codes(session: Session) -> set[str]:
    return set(session.scalars(select(Screen.pairing_code).where(Screen.pairing_code.is_not(None))))


def _new_code(taken: set[str]) -> str:
    while True:
        code = f"{secrets.randbelow(1_000_000):06d}"
        if code not in taken:
            return code


def claim_screen(
    session: Session, code: str, name: str, group_id: int | None, actor: str
) -> Screen:
    """Pair the screen showing `code` and give it a name (and a group)."""
    code = "".join(code.split()).translate(FULL_WIDTH)  # “１２３ ４５６” is 123456
    name = required_text(name, "屏幕名称", 100, field="name")
    screen = (
        session.scalar(
            select(Screen).where(Screen.pairing_code == code, Screen.claimed_at.is_(None))
        )
        if code
        else None
    )
    if screen is None:
        raise InputError(f"没有正在等待配对码“{code}”的屏幕：请核对屏幕上显示的 6 位数字。", "code")
    check_group(session, group_id)
    screen.pairing_code = None
    screen.name = name
    screen.group_id = group_id
    screen.claimed_at = utcnow()
    record(
        session,
        actor,
        "signage.screen.claim",
        f"screen:{screen.slug}",
        None,
        {"name": name, "group_id": group_id},
    )
    return screen


def unpair_screen(session: Session, screen: Screen, actor: str) -> Screen:
    """Forget the screen's browser and show a new pairing code (a replaced screen)."""
    screen.claimed_at = None
    screen.device_hash = None
    screen.pairing_code = _new_code(_taken_codes(session))
    record(
        session,
        actor,
        "signage.screen.unpair",
        f"screen:{screen.slug}",
        {"name": screen.name},
        {"paired": False},
    )
    return screen


def update_screen(
    session: Session,
    screen: Screen,
    name: str,
    group_id: int | None,
    layout: str | None,
    actor: str,
) -> Screen:
    """Name, group and layout (None: the group's layout) of a paired screen."""
    before = {"name": screen.name, "group_id": screen.group_id, "layout": screen.layout}
    check_group(session, group_id)
    if layout is not None:
        check_layout(layout)
    screen.name = required_text(name, "屏幕名称", 100, field="name")
    screen.group_id = group_id
    screen.layout = layout
    record(
        session,
        actor,
        "signage.screen.update",
        f"screen:{screen.slug}",
        before,
        {"name": screen.name, "group_id": group_id, "layout": layout},
    )
    return screen


def remove_screen(session: Session, screen: Screen, actor: str) -> None:
    record_removal(
        session,
        actor,
        "signage.screen.remove",
        f"screen:{screen.slug}",
        {"name": screen.name},
        screen,
    )


def list_screens(session: Session) -> list[Screen]:
    """Screens waiting for pairing first, then by name."""
    return list(
        session.scalars(
            select(Screen).order_by(Screen.claimed_at.is_(None).desc(), Screen.name, Screen.slug)
        )
    )


def is_online(screen: Screen, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return screen.last_seen_at is not None and now - screen.last_seen_at <= timedelta(
        seconds=ONLINE_SECONDS
    )


def record_heartbeat(session: Session, screen: Screen, report: Mapping[str, Any]) -> None:
    """What the player says it shows now (every 30 s); no audit: it is not a change."""
    screen.last_seen_at = utcnow()
    screen.current_entry_id = _entry_id(report.get("entry"))
    screen.current_title = str(report.get("title") or "")[:300]
    screen.reported_version = str(report.get("version") or "")[:40]
    screen.viewport = str(report.get("viewport") or "")[:20]
    page = report.get("page")
    screen.current_page = page if isinstance(page, int) and 0 < page <= MAX_PAGE else 0


def report_failure(
    session: Session, screen: Screen, entry: Any, reason: Any, detail: Any = ""
) -> None:
    """An entry the player could not show and skipped: the admin shows the last one, with
    the player's reason (Chinese); the browser's own words (`detail`) go to the log."""
    log.warning(
        "screen %s skipped entry %s: %s (%s)",
        screen.slug,
        str(entry)[:20],
        str(reason)[:200],
        str(detail)[:200],
    )
    entry_id = _entry_id(entry)
    found = session.get(PlaylistEntry, entry_id) if entry_id is not None else None
    what = entry_name(session, found) if found else f"编号 {str(entry)[:20]}"
    screen.last_error = f"“{what[:100]}”未能播放，已跳过：{str(reason)[:200]}"
    screen.last_error_at = utcnow()


def _entry_id(value: Any) -> int | None:
    """An entry id a player reported, if it is one (a database id fits in 64 bits)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= LARGEST:
        return value
    return None
