"""Every setting, declared once as data: name, environment variable, default and help.

The app reads them from the environment; the README's configuration table is checked
against this list by a test.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.errors import InputError

log = logging.getLogger("kiosk.settings")


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    kind: type = str
    renamed_from: str = ""  # an older name still read, with a deprecation line in the log

    @property
    def env(self) -> str:
        return "KIOSK_" + self.name

    def parse(self, raw: str) -> Any:
        if self.kind is int:
            try:
                return int(raw)
            except ValueError:
                raise InputError(f"{self.env} must be a whole number, not {raw!r}") from None
        if self.kind is float:
            try:
                return float(raw)
            except ValueError:
                raise InputError(f"{self.env} must be a number, not {raw!r}") from None
        return raw


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "INSTANCE_PATH",
        "instance",
        "Folder holding all state of the node (database, secret key, uploads, audio cache).",
    ),
    Setting(
        "SHARED_PATH",
        "",
        "Centre run as several processes or machines: a folder all of them share (snapshots, "
        "stored files, the secret key); empty keeps these under the instance path.",
    ),
    Setting(
        "DATABASE_URL",
        "",
        "SQLAlchemy URL; default SQLite `kiosk.db` under the instance path (WAL mode).",
    ),
    Setting(
        "DATABASE_READ_URL",
        "",
        "Centre: a read replica of the database (PostgreSQL streaming replication) that "
        "answers the halls' change feed and snapshots; empty reads from the database itself.",
    ),
    Setting("ROLE", "hall", "`hall` (a hall node) or `central` (the county catalog service)."),
    Setting("CENTRAL_URL", "", "Hall node: base URL of the county's central catalog."),
    Setting("NODE_TOKEN", "", "Hall node: the token the central catalog issued to this node."),
    Setting(
        "REGION",
        "",
        "This hall's region path, e.g. `示范县/城关镇/东村`; empty shows every region held.",
    ),
    Setting(
        "SECRET_KEY",
        "",
        "Session signing key; when empty one is generated once and kept in the shared folder "
        "(or the instance folder).",
    ),
    Setting("HALL_NAME", "", "Name shown on the screens' header; default is the region's name."),
    Setting(
        "SESSION_SECURE",
        0,
        "1 when the node is served over HTTPS (behind a proxy): staff session cookies are "
        "then sent over HTTPS only (Secure flag).",
        int,
    ),
    Setting("THREADS", 8, "Waitress worker threads for `kiosk serve`.", int),
    Setting(
        "IDLE_SECONDS", 60, "Touch screens: seconds without a touch before the idle warning.", int
    ),
    Setting(
        "IDLE_WARNING_SECONDS",
        15,
        "Touch screens: seconds the idle warning waits for a "
        "touch before going back home and forgetting what was typed.",
        int,
    ),
    Setting(
        "PUBLIC_URL",
        "",
        "Base address residents' phones can open (the county's public "
        "site or centre) for QR codes of items without an online address; default: this "
        "node's own address.",
    ),
    Setting(
        "IMPORT_MAX_MB",
        200,
        "Catalog import: the most a file may unpack to (MB); a workbook or document that "
        "unpacks to more is refused (zip bombs).",
        int,
    ),
    Setting(
        "PRESENTATION",
        "auto",
        "How the resident pages look: `kiosk` (touch screens: large keys, on-screen keyboard, "
        "idle return home, attract loop), `public` (phones and desktops: compact header, the "
        "device's own keyboard, cacheable pages, robots.txt and sitemap), or `auto`: public on "
        "the centre (`KIOSK_ROLE=central`, where `KIOSK_PUBLIC_URL` points phones), kiosk on a "
        "hall node.",
    ),
    Setting("SYNC_INTERVAL", 300, "Hall node: seconds between catalog polls (with jitter).", int),
    Setting(
        "SYNC_PAGE_SIZE",
        500,
        "Hall node: catalog changes asked per page (smaller on a poor link).",
        int,
    ),
    Setting(
        "SYNC_PAGE_TIMEOUT",
        120.0,
        "Hall node: seconds one request to the centre may take in all (a snapshot "
        "download: this plus its size at 16 KiB/s); slower answers are cut and the round "
        "goes on with the outbox.",
        float,
    ),
    Setting(
        "TOMBSTONE_DAYS",
        400,
        "Central: days a deletion is kept in the change feed; a node "
        "offline longer resyncs in full.",
        int,
    ),
    Setting("LOG_LEVEL", "INFO", "Logging level for `kiosk serve`."),
    Setting(
        "TIMEZONE",
        "Asia/Shanghai",
        "The hall's time zone (IANA name): broadcast and "
        "signage schedules and dates are in its local time.",
    ),
    Setting(
        "BROADCAST_GRACE_MINUTES",
        10,
        "Broadcast: a read-out missed while the node was "
        "off still plays this many minutes late; later it is logged as missed.",
        int,
    ),
    Setting(
        "BROADCAST_SINK",
        "folder",
        "Broadcast output: `aplay` or `paplay` (sound card), "
        "`folder` (`broadcast/` under the instance path) or `folder:/path` for an IP "
        "broadcast system that picks up WAV files.",
    ),
    Setting(
        "REVIEW_STEPS",
        1,
        "Approvals by other staff before a notice, a playlist or a catalog change reaches "
        "residents (审核把关); 0 for a one-person station.",
        int,
        renamed_from="SIGNAGE_REVIEW_STEPS",
    ),
    Setting(
        "ANSWER_DAYS",
        5,
        "Centre: working days within which a resident's question should be answered; "
        "older unanswered questions are flagged on the dashboard.",
        int,
    ),
    Setting(
        "DATA_KEY",
        "",
        "Centre: the Fernet key (44 characters) identity numbers of information applications "
        "are encrypted with; kept out of the database and its backups. `kiosk data-key` "
        "makes one; a lost key makes the stored numbers unreadable.",
    ),
    Setting(
        "HOLIDAYS_FILE",
        "",
        "Centre: the holiday calendar (CSV `日期,安排,说明`, 安排 休 or 班 for an official "
        "调休 working weekend) the working-day clocks count by; default `holidays.csv` in the "
        "instance folder, which county admins replace in the admin, else the calendar shipped.",
    ),
    Setting("SIGNAGE_MAX_UPLOAD_MB", 50, "Signage: largest upload (image, video, PDF) in MB.", int),
    Setting(
        "SIGNAGE_DISPLAY_SCREEN",
        "",
        "Signage: the screen (its name in `/player/NAME`) whose display is attached to this "
        "machine; its standby and wake commands below run here.",
    ),
    Setting(
        "SIGNAGE_STANDBY_COMMAND",
        "",
        "Signage: command run when that screen goes on standby, e.g. `xset dpms force off`.",
    ),
    Setting(
        "SIGNAGE_WAKE_COMMAND",
        "",
        "Signage: command run when that screen wakes, e.g. `xset dpms force on`.",
    ),
    Setting(
        "ATTACHMENT_MAX_MB",
        100,
        "Catalog desk: largest file attached to an item (image, PDF, video, table), in MB.",
        int,
    ),
    Setting(
        "ATTACHMENT_CACHE_MB",
        4096,
        "Hall: the most space item attachments may take, in MB; files past it wait.",
        int,
    ),
    Setting(
        "SIGNAGE_CACHE_MB",
        4096,
        "Hall: the most space county signage files may take, in MB; files past it wait.",
        int,
    ),
    Setting(
        "SIGNAGE_WEB_ORIGINS",
        "",
        "Deprecated: the county admin manages the sites web-page entries may show in the "
        "admin (信息发布 → 网页白名单); when set, these comma-separated origins are the "
        "list's first entries once, on the first start that finds it empty.",
    ),
)
BY_NAME = {setting.name: setting for setting in SETTINGS}
ROLES = ("hall", "central")
PRESENTATIONS = ("auto", "kiosk", "public")


def is_public(config: Mapping[str, Any]) -> bool:
    """The public presentation (phones, desktops) rather than the hall's touch screens:
    decided by the node's role and KIOSK_PRESENTATION, never by the browser."""
    chosen = config["KIOSK_PRESENTATION"]
    return chosen == "public" or (chosen == "auto" and config["KIOSK_ROLE"] == "central")


def hall_name(config: Mapping[str, Any]) -> str:
    """The hall's name on the touch screens' and signage screens' headers."""
    region = config["KIOSK_REGION"]
    if config["KIOSK_HALL_NAME"]:
        return str(config["KIOSK_HALL_NAME"])
    return region.rsplit("/", 1)[-1] + "政务公开" if region else "政务公开查询"


def hall_zone(config: Mapping[str, Any]) -> ZoneInfo:
    """The hall's local time zone (checked when the settings are read)."""
    return ZoneInfo(config["KIOSK_TIMEZONE"])


def read_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Settings from the environment, as app config keys (`KIOSK_...`)."""
    source: Mapping[str, str] = os.environ if environ is None else environ
    config: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = source.get(setting.env)
        old = "KIOSK_" + setting.renamed_from if setting.renamed_from else ""
        if raw in (None, "") and old and source.get(old):
            log.warning("%s is deprecated: use %s instead", old, setting.env)
            raw = source[old]
        config[setting.env] = setting.default if raw in (None, "") else setting.parse(raw)
    return config


def finish_settings(config: dict[str, Any]) -> None:
    """Resolve paths, check values and fill the derived defaults, in place."""
    if config["KIOSK_ROLE"] not in ROLES:
        raise InputError(
            f"KIOSK_ROLE must be one of {', '.join(ROLES)}, not {config['KIOSK_ROLE']!r}"
        )
    if config["KIOSK_PRESENTATION"] not in PRESENTATIONS:
        raise InputError(
            f"KIOSK_PRESENTATION must be one of {', '.join(PRESENTATIONS)}, "
            f"not {config['KIOSK_PRESENTATION']!r}"
        )
    try:
        ZoneInfo(config["KIOSK_TIMEZONE"])
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"KIOSK_TIMEZONE must be a time zone name like Asia/Shanghai, not "
            f"{config['KIOSK_TIMEZONE']!r}"
        ) from None
    instance = Path(config["KIOSK_INSTANCE_PATH"]).expanduser().resolve()
    try:
        instance.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create instance directory {instance}: {error.strerror}") from None
    if not os.access(instance, os.W_OK | os.X_OK):
        raise InputError(f"instance directory {instance} is not writable")
    config["KIOSK_INSTANCE_PATH"] = str(instance)
    if not config["KIOSK_DATABASE_URL"]:
        config["KIOSK_DATABASE_URL"] = f"sqlite:///{instance / 'kiosk.db'}"
    shared = instance
    if config["KIOSK_SHARED_PATH"]:
        shared = Path(config["KIOSK_SHARED_PATH"]).expanduser().resolve()
        if not shared.is_dir() or not os.access(shared, os.W_OK | os.X_OK):
            raise InputError(
                f"KIOSK_SHARED_PATH 指向的 {shared} 不是可写的文件夹：请先建好它并给本服务写权限。"
            )
    config["KIOSK_SHARED_PATH"] = str(shared)
    if not config["KIOSK_SECRET_KEY"]:
        config["KIOSK_SECRET_KEY"] = persisted_secret(shared / "secret_key")


def persisted_secret(path: Path) -> str:
    """The node's own secret key, generated on first start and kept private."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(32)
    # Written whole under another name, then linked: processes starting together on one
    # shared folder all end up with the key of whichever linked first.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
    return path.read_text().strip()
