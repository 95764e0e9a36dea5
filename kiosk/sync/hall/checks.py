"""Validation of the centre's answers before anything of them is applied.

The shape is checked against the API's own schemas (kiosk/sync/schema.py, the objects the
OpenAPI document shows), compiled once with fastjsonschema; then what a schema cannot say:
the order of sequence numbers, counts, a cursor that would go backwards, an item's code
against its change's. A failure is a SyncError naming, in Chinese, the first thing wrong and
where (the field's path, for IT staff).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import requests

from kiosk.sync.hall.errors import SyncError
from kiosk.sync.validation import misfit, shown

PAGE = "县中心发来的目录变更"
MANIFEST = "县中心发来的目录快照清单"
ACKNOWLEDGEMENT = "县中心对上报记录的确认"


def rejected(what: str, reason: str) -> SyncError:
    return SyncError(f"{what}不合格，本站没有采用：{reason}")


def conform(what: str, name: str, document: Any, many: bool = False, root: str = "") -> None:
    """SyncError unless `document` (or, `many`, each element of it) fits schema `name`."""
    problem = misfit(name, document, many, root)
    if problem is not None:
        raise rejected(what, problem)


def _moment(what: str, where: str, value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise rejected(what, f"{where}为“{shown(value)}”，不是有效的时间") from None


def _check_item(what: str, where: str, code: str, item: dict[str, Any]) -> None:
    if item["code"] != code:
        raise rejected(what, f"{where}.code（事项编码）“{shown(item['code'])}”与 {code} 不符")
    _moment(what, f"{where}.changed_at（变更时间）", item["changed_at"])


def check_page(page: Any, since: int, after: dict[str, int] | None = None) -> dict[str, Any]:
    """The page asked for after cursor `since` (and the answers and application statuses
    after `after`'s), if every part of it is sound; its emergencies' expiry times read as
    datetimes."""
    conform(PAGE, "ChangePage", page)
    changes, cursor, latest = page["changes"], page["cursor"], page["latest"]
    if page["since"] != since:
        raise rejected(PAGE, f"它答的是游标 {page['since']} 之后的变更，本站问的是 {since} 之后")
    if page["count"] != len(changes):
        raise rejected(PAGE, f"count 说有 {page['count']} 条变更，实有 {len(changes)} 条")
    if cursor < since:
        # The centre's catalog would be older than ours: never go backwards.
        raise rejected(PAGE, f"游标 {cursor} 落后于本站的目录版本 {since}，拒绝回退")
    if cursor > latest:
        raise rejected(PAGE, f"游标 {cursor} 超过了中心目录版本 {latest}")
    if page["more"] and not changes:
        raise rejected(PAGE, "它说后面还有变更，这一页却一条也没有")
    previous = since
    for index, change in enumerate(changes):
        where = f"changes[{index}]"
        if not previous < change["seq"] <= cursor:
            raise rejected(
                PAGE,
                f"{where}.seq（序号）{change['seq']} 没有按顺序排在 {previous} 之后、"
                f"游标 {cursor} 之内",
            )
        previous = change["seq"]
        if change["op"] == "upsert":
            _check_item(PAGE, f"{where}.item", change["code"], change["item"])
    for name in ("answers", "applications"):
        previous = (after or {}).get(name, 0)
        for index, entry in enumerate(page.get(name, [])):
            if entry["seq"] <= previous:
                raise rejected(
                    PAGE,
                    f"{name}[{index}].seq（序号）{entry['seq']} 没有按顺序排在 {previous} 之后",
                )
            previous = entry["seq"]
    for index, answer in enumerate(page.get("answers", [])):
        where = f"answers[{index}]"
        _moment(PAGE, f"{where}.answered_at（答复时间）", answer["answered_at"])
        if answer["asked_at"] is not None:
            _moment(PAGE, f"{where}.asked_at（提问时间）", answer["asked_at"])
    if "emergencies" in page:
        page["emergencies"] = [
            {
                **emergency,
                "expires_at": None
                if emergency["expires_at"] is None
                else _moment(PAGE, f"emergencies[{index}].expires_at", emergency["expires_at"]),
            }
            for index, emergency in enumerate(page["emergencies"])
        ]
    return page


@contextmanager
def storable(what: str) -> Iterator[None]:
    """Around applying a snapshot: text no database can store (a lone UTF-16 surrogate,
    written as an escape like \\ud800) makes it a bad one, found only then (cheaper than
    looking at every string of 20,000 items first); the transaction inside is rolled back.
    Answers of the API are read with kiosk.jsonio, which refuses such text already."""
    try:
        yield
    except UnicodeEncodeError as failure:
        character = failure.object[failure.start : failure.end]
        raise rejected(
            what, f"其中有无法保存的字符 {character!r}（孤立的 UTF-16 代理码位）"
        ) from None


def check_manifest(manifest: Any) -> dict[str, Any]:
    conform(MANIFEST, "SnapshotManifest", manifest)
    return manifest


def check_snapshot_items(what: str, items: list[Any]) -> None:
    """Every item of a snapshot sound, and no code twice."""
    conform(what, "Item", items, many=True, root="items")
    codes: set[str] = set()
    for index, item in enumerate(items):
        where = f"items[{index}]"
        if item["code"] in codes:
            raise rejected(what, f"{where}.code（事项编码）“{shown(item['code'])}”重复")
        codes.add(item["code"])
        _moment(what, f"{where}.changed_at（变更时间）", item["changed_at"])


def check_acknowledgement(answer: Any, keys: list[str]) -> None:
    """The centre holds every record of the batch sent (their keys came back)."""
    conform(ACKNOWLEDGEMENT, "OutboxAck", answer)
    missing = set(keys) - set(answer["acknowledged"])
    if missing:
        raise SyncError(
            f"县中心没有确认收到全部上报记录（{len(missing)} / {len(keys)} 条未确认）；"
            "这些记录留在本站，下一轮再发"
        )


def error_message(response: requests.Response) -> str:
    """What the centre said about a refusal: its Error document's message, or the text."""
    try:
        document = response.json()
        conform("", "Error", document)
    except (ValueError, SyncError):
        return response.text[:200]
    return str(document["message"])[:200]
