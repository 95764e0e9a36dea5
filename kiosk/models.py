"""Imports every model module so that Base.metadata knows all tables (Alembic, tests)."""

from kiosk.accounts.models import LoginAttempt, User
from kiosk.audit.models import AuditEntry
from kiosk.catalog.models import Item
from kiosk.db import Base
from kiosk.notices.models import Notice
from kiosk.outbox.models import OutboxEntry
from kiosk.regions.models import Region
from kiosk.signage import models as signage_models  # noqa: F401 - registers the tables

__all__ = ["AuditEntry", "Base", "Item", "LoginAttempt", "Notice", "OutboxEntry", "Region", "User"]
