"""Text forms used to find items: simplified Chinese and pinyin."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import RE_HANS


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


# pypinyin reads runs of Chinese characters and runs of other characters apart (its
# simple_seg), with its own character class: the same runs, found by one regular expression.
_HANS = RE_HANS.pattern.removeprefix("^(?:[").removesuffix("])+$")
RUNS = re.compile(f"[{_HANS}]+|[^{_HANS}]+")


@lru_cache(maxsize=65536)
def _run_pinyin(run: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(run, style=Style.NORMAL, errors="ignore"))


def pinyin_forms(text: str) -> tuple[str, str]:
    """(initials, full pinyin) of the Chinese in text, lower case, no separators."""
    # The slow part of an import, made fast by reading each run once: the same runs come
    # back in name after name (职业培训办理指南, 第, 号...); pypinyin segments each run on
    # its own, so the result is what it gives for the whole text.
    syllables = [
        syllable
        for run in RUNS.findall(simplified(text))
        for syllable in _run_pinyin(run)
        if syllable
    ]
    initials = "".join(syllable[0] for syllable in syllables)
    return initials.lower(), "".join(syllables).lower()
