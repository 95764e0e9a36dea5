"""A full-text index of items for resident search, kept in step with the catalog.

SQLite's FTS5 does not segment Chinese, so each item's simplified text and its pinyin are
stored as overlapping character pairs ("低保申请" → "低保 保申 申请"); a query becomes the
phrase of its own pairs, which matches exactly the items containing it as a substring. The
index is maintained by mapper events, so every writer (demo, import, sync) keeps it current.
Other databases (the centre on PostgreSQL) have no index; search falls back to LIKE there.
"""

from __future__ import annotations

import re

from sqlalchemy import event, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper

from kiosk.catalog.models import Item

TABLE = "catalog_search"
# Runs of characters worth indexing: CJK ideographs, letters and digits.
RUN = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def pairs(value: str) -> str:
    """Space-separated overlapping pairs of each run; a one-character run stays itself."""
    grams: list[str] = []
    for run in RUN.findall(value.lower()):
        grams += [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
    return " ".join(grams)


def phrase_query(term: str) -> str | None:
    """The FTS5 query for a term, or None when it is too short for pairs (one character)."""
    runs = RUN.findall(term.lower())
    if not runs or any(len(run) < 2 for run in runs):
        return None
    return " AND ".join('"' + pairs(run) + '"' for run in runs)


def available(connection: Connection) -> bool:
    return connection.dialect.name == "sqlite"


CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "body, pinyin, tokenize = 'unicode61 remove_diacritics 0')"
)


# Built once: an import indexes thousands of items, one mapper event each.
UNINDEX = text(f"DELETE FROM {TABLE} WHERE rowid = :id")  # noqa: S608
INDEX = text(f"INSERT INTO {TABLE} (rowid, body, pinyin) VALUES (:id, :body, :pinyin)")  # noqa: S608


def index_item(connection: Connection, item_id: int, search_text: str, search_pinyin: str) -> None:
    connection.execute(UNINDEX, {"id": item_id})
    connection.execute(
        INDEX, {"id": item_id, "body": pairs(search_text), "pinyin": pairs(search_pinyin)}
    )


def index_rows(connection: Connection, rows: list[tuple[int, str, str]], replacing: bool) -> None:
    """Index items written without the ORM: (id, search_text, search_pinyin) each;
    `replacing`: some of them were indexed before."""
    if not rows or not available(connection):
        return
    if replacing:
        connection.execute(UNINDEX, [{"id": item_id} for item_id, _text, _pinyin in rows])
    connection.execute(
        INDEX,
        [
            {"id": item_id, "body": pairs(body), "pinyin": pairs(pinyin)}
            for item_id, body, pinyin in rows
        ],
    )


def rebuild(connection: Connection) -> None:
    """Index every item again (after bulk loads that bypass the ORM)."""
    if not available(connection):
        return
    connection.execute(text(f"DELETE FROM {TABLE}"))  # noqa: S608
    rows = [
        {"id": row.id, "body": pairs(row.search_text), "pinyin": pairs(row.search_pinyin)}
        for row in connection.execute(
            text("SELECT id, search_text, search_pinyin FROM catalog_item")
        )
    ]
    if rows:
        connection.execute(INDEX, rows)


@event.listens_for(Item, "after_insert")
@event.listens_for(Item, "after_update")
def _index(_mapper: Mapper[Item], connection: Connection, item: Item) -> None:
    if available(connection):
        index_item(connection, item.id, item.search_text, item.search_pinyin)


@event.listens_for(Item, "after_delete")
def _unindex(_mapper: Mapper[Item], connection: Connection, item: Item) -> None:
    if available(connection):
        connection.execute(UNINDEX, {"id": item.id})
