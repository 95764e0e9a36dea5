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
    # One pass (the slow part of an import): each syllable's first letter is its initial.
    syllables = lazy_pinyin(simplified(text), style=Style.NORMAL, errors="ignore")
    initials = "".join(syllable[0] for syllable in syllables if syllable)
    return initials.lower(), "".join(syllables).lower()
