"""Hall kiosks and signage for grassroots government-affairs disclosure."""

from kiosk.app import create_app

__all__ = ["create_app"]
