"""JSON read from clients and files, refusing what no honest sender writes.

Python's json module takes NaN and Infinity, lone surrogates ("\\ud800", which cannot be
written to the database or a page) and nesting deep enough to exhaust the stack
(RecursionError, a server error). Every JSON body the app reads goes through here.
"""

from __future__ import annotations

import json
from typing import Any

from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 64  # far deeper than any document of ours; deeper is a probe


class BadJSON(ValueError):
    """Not JSON we take; the message says why (Chinese)."""


def _refuse_constant(name: str) -> Any:
    raise BadJSON(f"JSON 里不能有 {name}（不是数字）。")


def strict_loads(text: str | bytes) -> Any:
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise BadJSON(f"JSON 嵌套太深（最多 {MAX_DEPTH} 层）。") from None
    except UnicodeDecodeError:
        raise BadJSON("JSON 不是 UTF-8 编码。") from None
    check_document(document)
    return document


def check_document(document: Any) -> None:
    """BadJSON for nesting past MAX_DEPTH or a string holding a lone surrogate."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_DEPTH:
            raise BadJSON(f"JSON 嵌套太深（最多 {MAX_DEPTH} 层）。")
        if isinstance(value, dict):
            for key, inner in value.items():
                _check_text(key)
                stack.append((inner, depth + 1))
        else:
            stack.extend((inner, depth + 1) for inner in value)


def _check_text(text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadJSON("JSON 的文字里有无效的字符（单独的代理码位）。") from None


class StrictJSONProvider(DefaultJSONProvider):
    """Flask's JSON with strict reading; `request.get_json()` answers 400 for the rest."""

    ensure_ascii = False

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return strict_loads(s)
