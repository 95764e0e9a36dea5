"""Public-site fixtures: the demo county served in the public presentation (as the centre
serves it) and in the kiosk one (as a hall serves it), on the same code path."""

from __future__ import annotations

import pytest


@pytest.fixture
def public_app(app_factory):
    """The demo county at the centre: KIOSK_ROLE=central, presentation left on auto."""
    return app_factory(demo=True, name="centre", KIOSK_ROLE="central")


@pytest.fixture
def public_client(public_app):
    return public_app.test_client()
