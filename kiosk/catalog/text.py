"""Text forms used to find items: simplified Chinese and pinyin."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc
from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=1)
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def simplified(text: str) -> str:
    return _to_simplified().convert(text)


def traditional(text: str) -> str:
    return _to_traditional().convert(text)


def normalise_text(text: str) -> str:
    """NFKC folds full-width letters, digits and spaces; runs of white space become one."""
    folded = unicodedata.normalize("NFKC", text)
    return " ".join(folded.split())


def pinyin_forms(text: str) -> tuple[str, str]:
    """(initials, full pinyin) of the Chinese in text, lower case, no separators."""
    han = simplified(text)
    initials = "".join(lazy_pinyin(han, style=Style.FIRST_LETTER, errors="ignore"))
    full = "".join(lazy_pinyin(han, style=Style.NORMAL, errors="ignore"))
    return initials.lower(), full.lower()
