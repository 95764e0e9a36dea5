"""Catalog fixtures: a browser page at the size county staff use the desk at."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

DESK = {"width": 1366, "height": 768}


@pytest.fixture
def desk(browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESK, locale="zh-CN")
    yield context.new_page()
    context.close()
