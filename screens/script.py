"""Traditional-character pages: the same HTML with its visible text converted.

Only text between tags and the few attributes people read (aria-label, title, alt,
placeholder) change; links and form values keep their simplified form, so every URL
works whichever script the resident chose.
"""

from __future__ import annotations

import re

from flask import request

from kiosk.catalog.text import traditional

COOKIE = "script"
TRADITIONAL = "hant"
TEXT = re.compile(r">([^<]+)<")
READ_ATTRIBUTES = re.compile(r'\b(aria-label|title|alt|placeholder)="([^"]*)"')


def wants_traditional() -> bool:
    return request.cookies.get(COOKIE) == TRADITIONAL


def to_traditional_html(html: str) -> str:
    html = TEXT.sub(lambda match: ">" + traditional(match.group(1)) + "<", html)
    html = READ_ATTRIBUTES.sub(
        lambda match: f'{match.group(1)}="{traditional(match.group(2))}"', html
    )
    return html.replace('<html lang="zh-CN"', '<html lang="zh-Hant"', 1)
