"""Resident search: Chinese (simplified or traditional), pinyin initials and full pinyin.

Names rank before categories and content; each hit carries the name split into
highlighted and plain parts, so templates never need to mark up text themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pypinyin import Style, lazy_pinyin
from sqlalchemy import Select, case, func, literal_column, or_, select, table
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from kiosk.catalog import search_index
from kiosk.catalog.models import Item
from kiosk.catalog.services import visible_items
from kiosk.catalog.text import normalise_text, simplified, traditional

PER_PAGE = 8
MAX_QUERY = 40
PINYIN = re.compile(r"[a-z]+")
SNIPPET_RADIUS = 24

Parts = list[tuple[str, bool]]  # (text, highlighted)


@dataclass
class Hit:
    item: Item
    name_parts: Parts
    snippet_parts: Parts


@dataclass
class SearchPage:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0


def clean_query(raw: str) -> str:
    return normalise_text(raw).lower()[:MAX_QUERY].strip()


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _indexed(column: str, term: str, indexed: bool) -> ColumnElement | None:
    """Items whose indexed column contains the term, from the full-text index."""
    query = search_index.phrase_query(term) if indexed else None
    if query is None:
        return None
    found: Select[Any] = (
        select(literal_column("rowid"))
        .select_from(table(search_index.TABLE))
        .where(literal_column(search_index.TABLE).op("MATCH")(f"{column} : ({query})"))
    )
    return Item.id.in_(found)


def _conditions(term: str, indexed: bool) -> tuple[ColumnElement, ColumnElement]:
    """(match condition, rank expression) for one term: lower rank sorts first."""
    if PINYIN.fullmatch(term):
        prefix = _like(term)[1:]
        matched = _indexed("pinyin", term, indexed)
        if matched is None:
            matched = Item.search_pinyin.like(_like(term), escape="\\")
        return matched, case((Item.search_pinyin.like(prefix, escape="\\"), 0), else_=1)
    forms = {simplified(term), traditional(term)}
    in_name = or_(*(Item.name.like(_like(form), escape="\\") for form in forms))
    name_first = or_(*(Item.name.like(_like(form)[1:], escape="\\") for form in forms))
    matched = _indexed("body", simplified(term), indexed)
    if matched is None:
        matched = or_(in_name, Item.search_text.like(_like(simplified(term)), escape="\\"))
    return matched, case((name_first, 0), (in_name, 1), else_=2)


def search(
    session: Session, region: str, raw_query: str, page: int = 1, per_page: int = PER_PAGE
) -> SearchPage:
    query = clean_query(raw_query)
    terms = query.split()
    if not terms:
        return SearchPage(query=query)
    indexed = search_index.available(session.connection())
    conditions = [_conditions(term, indexed) for term in terms]
    matching = visible_items(region).where(*(matched for matched, _rank in conditions))
    total = session.scalar(select(func.count()).select_from(matching.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rank = conditions[0][1]
    ordered = matching.order_by(rank, func.length(Item.name), Item.name, Item.code)
    items = session.scalars(ordered.offset((page - 1) * per_page).limit(per_page))
    hits = [
        Hit(item, highlight_name(item.name, terms[0]), snippet(item.content, terms[0]))
        for item in items
    ]
    return SearchPage(query=query, hits=hits, total=total, page=page, pages=pages)


def _split(text: str, start: int, end: int) -> Parts:
    parts = [(text[:start], False), (text[start:end], True), (text[end:], False)]
    return [part for part in parts if part[0]]


def highlight_name(name: str, term: str) -> Parts:
    if PINYIN.fullmatch(term):
        span = _pinyin_span(name, term)
        return _split(name, *span) if span else [(name, False)]
    folded = simplified(name)
    at = folded.find(simplified(term))
    if at < 0 or len(folded) != len(name):
        return [(name, False)]
    return _split(name, at, at + len(term))


def _pinyin_span(name: str, term: str) -> tuple[int, int] | None:
    """The characters of name whose initials, or whose full pinyin, spell the term."""
    chars = list(simplified(name))
    if len(chars) != len(name):
        return None
    syllables = [
        lazy_pinyin(char, style=Style.NORMAL, errors=lambda c: c.lower())[0] for char in chars
    ]
    initials = "".join(syllable[:1] for syllable in syllables)
    at = initials.find(term)
    if at >= 0:
        return at, at + len(term)
    spelled, starts = "", []
    for syllable in syllables:
        starts.append(len(spelled))
        spelled += syllable
    at = spelled.find(term)
    if at < 0:
        return None
    first = max(i for i, start in enumerate(starts) if start <= at)
    last = max(i for i, start in enumerate(starts) if start < at + len(term))
    return first, last + 1


def snippet(content: str, term: str) -> Parts:
    """A short piece of the content around the term, or its opening."""
    folded = simplified(content)
    at = (
        -1
        if PINYIN.fullmatch(term) or len(folded) != len(content)
        else folded.find(simplified(term))
    )
    if at < 0:
        opening = content[: SNIPPET_RADIUS * 2]
        return [(opening + ("…" if len(content) > len(opening) else ""), False)]
    start = max(0, at - SNIPPET_RADIUS)
    end = min(len(content), at + len(term) + SNIPPET_RADIUS)
    parts = _split(content[start:end], at - start, at - start + len(term))
    if start > 0:
        parts.insert(0, ("…", False))
    if end < len(content):
        parts.append(("…", False))
    return parts
