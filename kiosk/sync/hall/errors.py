"""What a sync round raises. Messages are Chinese: they are stored as the node's last error
and shown to the hall's staff on the admin sync page."""

from __future__ import annotations


class SyncError(Exception):
    """A sync round failed; the catalog is as it was before the failing page."""


class SyncBusy(Exception):
    """Another sync of this node is running."""
