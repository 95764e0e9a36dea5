"""The preview of a desk import: what the files would change, computed without writing.

A thin dry run over the importer's own parser (`parse_file`): the same rows, codes and
scope the apply step will use, compared with the items held now. The plan is plain JSON,
frozen in the import and in its review, so the reviewer approves what the uploader saw.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.blobs.store import BlobStore
from kiosk.catalog.elements import BY_FIELD
from kiosk.catalog.importing.importer import LOOKUP_CHUNK, ImportRejected, Parsed, parse_file
from kiosk.catalog.models import Item
from kiosk.catalog.services import CONTENT_FIELDS, item_values
from kiosk.errors import InputError
from kiosk.regions.services import check_region

# Items listed one by one in a plan; the counts always cover every item.
LISTED_MAX = 500


@contextmanager
def named_copies(store: BlobStore, files: list[dict[str, Any]]) -> Iterator[list[Path]]:
    """The stored files under their uploaded names (the importer reads the suffix)."""
    with TemporaryDirectory(prefix="kiosk-import-") as folder:
        paths = []
        for number, held in enumerate(files):
            place = Path(folder) / str(number)
            place.mkdir()
            path = place / held["name"]
            path.symlink_to(store.path(held["sha256"]))
            paths.append(path)
        yield paths


def diff(before: dict[str, str] | None, after: dict[str, str] | None) -> list[list[str]]:
    """[label, before, after] for every element that differs."""
    return [
        [BY_FIELD[field].label, (before or {}).get(field, ""), (after or {}).get(field, "")]
        for field in CONTENT_FIELDS
        if (before or {}).get(field, "") != (after or {}).get(field, "")
    ]


def make_plan(
    session: Session, store: BlobStore, files: list[dict[str, Any]], region: str
) -> dict[str, Any]:
    """Counts, per-item diffs, errors and warnings of importing `files` into `region`."""
    errors: list[str] = []
    warnings: list[str] = []
    parsed: list[Parsed] = []
    with named_copies(store, files) as paths:
        for path in paths:
            try:
                parsed.append(parse_file(path, region or None, dry_run=True))
            except ImportRejected as rejected:
                errors += [f"{path.name}：{line}" for line in rejected.errors]
            except InputError as error:
                errors.append(str(error))
    items: dict[str, dict[str, str]] = {}
    scope: dict[tuple[str, str], str] = {}
    for one in parsed:
        report = one.report
        warnings += [f"{report.name}：未识别的列，已忽略：{c}" for c in report.ignored_columns]
        if report.other_level:
            warnings.append(f"{report.name}：{report.other_level} 行的公开层级没有勾选本级，未导入")
        for pair in sorted(one.scope):
            if pair in scope and scope[pair] != report.name:
                errors.append(
                    f"{report.name} 与 {scope[pair]} 都含有“{pair[0]}”的“{pair[1]}”领域："
                    "请分开导入，或合成一个文件"
                )
            scope.setdefault(pair, report.name)
        for values, code in zip(one.items, one.codes, strict=True):
            if code in items:
                errors.append(f"{report.name}：事项编码 {code} 在另一个文件里也有")
            items[code] = {**values, "code": code}
    for path_written in sorted({pair[0] for pair in scope}):
        try:
            check_region(session, path_written)
        except InputError as error:
            errors.append(f"文件里的区域：{error}")
    return _compare(session, items, scope, errors, warnings)


def _compare(
    session: Session,
    items: dict[str, dict[str, str]],
    scope: dict[tuple[str, str], str],
    errors: list[str],
    warnings: list[str],
) -> dict[str, Any]:
    held: dict[str, dict[str, str]] = {}
    codes = list(items)
    for start in range(0, len(codes), LOOKUP_CHUNK):
        query = select(Item).where(Item.code.in_(codes[start : start + LOOKUP_CHUNK]))
        held.update((item.code, item_values(item)) for item in session.scalars(query))
    regions = sorted({pair[0] for pair in scope})
    for item in session.scalars(select(Item).where(Item.region.in_(regions))):
        if (item.region, item.domain) in scope and item.code not in items:
            held[item.code] = item_values(item)
    counts = {"added": 0, "changed": 0, "unchanged": 0, "removed": 0}
    listed: list[dict[str, Any]] = []
    for code in sorted(held.keys() | items.keys()):
        before, after = held.get(code), items.get(code)
        change = "added" if before is None else "removed" if after is None else "changed"
        changes = diff(before, after)
        if change == "changed" and not changes:
            change = "unchanged"
        counts[change] += 1
        if change != "unchanged" and len(listed) < LISTED_MAX:
            name = (after or before or {}).get("name", "")
            listed.append({"code": code, "name": name, "change": change, "diff": changes})
    return {
        "counts": counts,
        "items": listed,
        "errors": errors,
        "warnings": warnings,
    }
