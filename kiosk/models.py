"""Imports every model module so that Base.metadata knows all tables (Alembic, tests)."""

from kiosk.accounts.keys import StaffKey
from kiosk.accounts.models import LoginThrottle, User
from kiosk.answers.models import Answer, AskedQuestion, HallAnswer
from kiosk.applications.models import Application, ApplicationStatus, HallApplication
from kiosk.audit.models import AuditEntry
from kiosk.broadcast.models import BroadcastRun, BroadcastSchedule
from kiosk.catalog.desk.models import CatalogImport, ItemVersion
from kiosk.catalog.models import Item
from kiosk.db import Base
from kiosk.notices.models import Notice
from kiosk.outbox.models import OutboxEntry
from kiosk.regions.models import Region
from kiosk.review.models import Review
from kiosk.signage import models as signage_models  # noqa: F401 - registers the tables
from kiosk.sync.models import (
    CatalogChange,
    CatalogSequence,
    CatalogTombstone,
    ReceivedRecord,
    ResyncSeen,
    SyncNode,
    SyncState,
)
from kiosk.usage.models import UsageEvent

__all__ = [
    "Answer",
    "Application",
    "ApplicationStatus",
    "HallApplication",
    "AskedQuestion",
    "HallAnswer",
    "AuditEntry",
    "Base",
    "BroadcastRun",
    "BroadcastSchedule",
    "CatalogChange",
    "CatalogImport",
    "CatalogSequence",
    "CatalogTombstone",
    "Item",
    "ItemVersion",
    "LoginThrottle",
    "Notice",
    "OutboxEntry",
    "ReceivedRecord",
    "Region",
    "ResyncSeen",
    "Review",
    "StaffKey",
    "SyncNode",
    "SyncState",
    "UsageEvent",
    "User",
]
