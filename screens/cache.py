"""Short-lived memo of the home page's counts: they change only when the catalog does
(a sync, an import), and recounting 20,000 items on every touch is wasted work."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app

T = TypeVar("T")
LIFETIME_SECONDS = 30.0
MAX_ENTRIES = 2000  # browse steps come from URLs: never let them grow the memo without bound


class Memo:
    def __init__(self, lifetime: float = LIFETIME_SECONDS) -> None:
        self.lifetime = lifetime
        self.values: dict[Any, tuple[float, Any]] = {}
        self.lock = threading.Lock()

    def get(self, key: Any, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        with self.lock:
            hit = self.values.get(key)
        if hit is not None and now - hit[0] < self.lifetime:
            return hit[1]
        value = compute()
        with self.lock:
            if len(self.values) >= MAX_ENTRIES:
                self.values.clear()
            self.values[key] = (now, value)
        return value


def memo() -> Memo:
    return current_app.extensions.setdefault("screens_memo", Memo())
