"""Cell text: full-width forms folded, white space tidied, ticks recognised."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kiosk.exports import without_formula_guard

# Chinese sentence punctuation stays full-width, as Chinese text writes it (and as the
# catalog stores it); every other full-width form (letters, digits, spaces, symbols) folds.
KEEP_FULL_WIDTH = frozenset("，：；！？（）")
# "V" is how many clerks type a tick.
TICKS = frozenset({"√", "✓", "✔", "☑", "■", "●", "V", "是", "Y", "YES"})
NOT_TICKS = frozenset({"", "□", "☐", "×", "✗", "否", "-", "—", "/", "无", "N", "NO"})


KEPT = re.compile(f"([{''.join(sorted(KEEP_FULL_WIDTH))}])")


# Most cells repeat from row to row (domain, publisher, status...): each is tidied once.
@lru_cache(maxsize=16384)
def clean_line(text: str) -> str:
    if not text.isascii():
        # NFKC between the kept punctuation marks (one C call per stretch, not per character).
        text = "".join(
            part if part in KEEP_FULL_WIDTH else unicodedata.normalize("NFKC", part)
            for part in KEPT.split(text)
        )
    return " ".join(text.split())


def clean_text(text: str, multiline: bool = False) -> str:
    """One line, or (multiline) tidy lines without blank ones, e.g. numbered content."""
    text = without_formula_guard(str(text))  # what a CSV export wrote before a formula
    lines = [clean_line(line) for line in text.splitlines()]
    return ("\n" if multiline else " ").join(line for line in lines if line)


def tick(text: str) -> bool | None:
    """True for a tick, False for an empty or crossed cell, None for anything else."""
    mark = clean_line(text).upper()
    if mark in TICKS:
        return True
    if mark in NOT_TICKS:
        return False
    return None
