"""Import a catalog file: read, validate every row, then apply all of it or nothing.

"Removed" means: items held for a (region, domain) pair that the file covers but that the
file no longer lists. A file is the whole catalog of the regions and domains it names;
regions and domains it does not mention are left alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.catalog.importing.rows import read_sheet
from kiosk.catalog.importing.tables import read_tables
from kiosk.catalog.importing.validate import validate_row
from kiosk.catalog.models import Item
from kiosk.catalog.services import (
    CONTENT_FIELDS,
    derive_code,
    item_values,
    remove_item,
    upsert_items,
)
from kiosk.errors import InputError
from kiosk.regions.services import ensure_region, list_regions, normalise_path

# Bound parameters per IN (...) query; SQLite allows a few thousand at most.
LOOKUP_CHUNK = 500


class ImportRejected(InputError):
    """The file has errors; nothing was applied. `errors` names sheet, row and column."""

    def __init__(self, name: str, errors: list[str]) -> None:
        super().__init__(f"{name}：有 {len(errors)} 处错误，整个文件都没有导入。")
        self.errors = errors


@dataclass
class ImportReport:
    name: str
    dry_run: bool
    rows: int = 0
    other_level: int = 0  # national layout rows ticked only for other levels
    counts: Counter = field(default_factory=Counter)
    ignored_columns: list[str] = field(default_factory=list)
    # Regions the file names that the catalog did not hold yet: a typo shows here.
    new_regions: list[str] = field(default_factory=list)

    def summary(self) -> str:
        counts = ", ".join(
            f"{self.counts[k]} {k}" for k in ("added", "updated", "unchanged", "removed")
        )
        lines = [
            f"{self.name}: {self.rows} rows; {counts}"
            + (" (dry run: nothing written)" if self.dry_run else "")
        ]
        if self.other_level:
            lines.append(f"{self.other_level} rows skipped: 公开层级 not ticked for this level")
        if self.new_regions:
            lines.append(
                ("new regions (would be created): " if self.dry_run else "new regions created: ")
                + ", ".join(self.new_regions)
            )
        if self.ignored_columns:
            lines.append("ignored columns: " + "; ".join(self.ignored_columns))
        return "\n".join(lines)


@dataclass
class Parsed:
    items: list[dict[str, str]]
    codes: list[str]  # each item's code, given or derived
    scope: set[tuple[str, str]]  # (region, domain) pairs the file covers
    report: ImportReport


def parse_file(path: Path, region: str | None = None, dry_run: bool = False) -> Parsed:
    """Read and validate the whole file; raises ImportRejected listing every problem."""
    sheets = read_tables(path)
    default_region = normalise_path(region) if region else ""
    report = ImportReport(path.name, dry_run)
    errors: list[str] = []
    items: list[dict[str, str]] = []
    codes: list[str] = []
    scope: set[tuple[str, str]] = set()
    first_seen: dict[str, str] = {}
    read_any = False
    for sheet in sheets:
        sheet_rows = read_sheet(sheet)
        errors.extend(sheet_rows.errors)
        if sheet_rows.header is None:
            continue
        read_any = True
        report.ignored_columns += [
            f"工作表“{sheet.name}”{c.describe()}" for c in sheet_rows.header.unknown()
        ]
        missing: set[str] = set()
        for row in sheet_rows.rows:
            values, belongs = validate_row(row, default_region, missing)
            errors.extend(row.errors)
            report.rows += 1
            if row.errors:
                continue
            scope.add((values["region"], values["domain"]))
            if not belongs:
                report.other_level += 1
                continue
            code = values["code"] or derive_code(values)
            if code in first_seen:
                named_by = "code" if values["code"] else "name"
                errors.append(
                    row.problem(named_by, f"与{first_seen[code]}是同一个事项（编码 {code}）")
                )
            first_seen.setdefault(code, f"工作表“{sheet.name}”{row.where}")
            items.append(values)
            codes.append(code)
        errors.extend(f"工作表“{sheet.name}”：缺少必填的“{label}”列" for label in sorted(missing))
    if not read_any and not errors:
        names = "、".join(f"“{sheet.name}”" for sheet in sheets)
        raise InputError(
            f"{path.name}：工作表{names}是空的。"
            if len(sheets) == 1
            else f"{path.name}：所有工作表都是空的（{names}）。"
        )
    if errors:
        raise ImportRejected(path.name, errors)
    return Parsed(items, codes, scope, report)


def import_catalog(
    session: Session,
    path: Path,
    region: str | None = None,
    dry_run: bool = False,
    actor: str = "import",
) -> ImportReport:
    """Apply a catalog file in the caller's transaction (dry run: only count)."""
    parsed = parse_file(Path(path), region, dry_run)
    report = parsed.report
    removed = _removed_codes(session, parsed)
    known = {region.path for region in list_regions(session)}
    report.new_regions = sorted({r for r, _domain in parsed.scope} - known)
    if dry_run:
        report.counts.update(_planned(session, parsed))
        report.counts["removed"] = len(removed)
        return report
    for region_path in sorted({r for r, _domain in parsed.scope}):
        ensure_region(session, region_path)
    # In batches of distinct codes (the parser refused repeats): one lookup and one flush
    # each instead of several per item.
    for start in range(0, len(parsed.items), LOOKUP_CHUNK):
        batch = [
            {**values, "code": code}
            for values, code in zip(
                parsed.items[start : start + LOOKUP_CHUNK],
                parsed.codes[start : start + LOOKUP_CHUNK],
                strict=True,
            )
        ]
        for _item, outcome in upsert_items(session, batch, actor, feed=True):
            report.counts[outcome] += 1
    for code in removed:
        remove_item(session, code, actor)
    report.counts["removed"] = len(removed)
    session.flush()
    return report


def _held(session: Session, codes: list[str]) -> dict[str, Item]:
    held: dict[str, Item] = {}
    for start in range(0, len(codes), LOOKUP_CHUNK):
        chunk = codes[start : start + LOOKUP_CHUNK]
        held.update(
            (item.code, item) for item in session.scalars(select(Item).where(Item.code.in_(chunk)))
        )
    return held


def _planned(session: Session, parsed: Parsed) -> Counter:
    """What upsert_item would answer for each item, without writing anything."""
    held = _held(session, parsed.codes)
    outcomes: Counter = Counter()
    for values, code in zip(parsed.items, parsed.codes, strict=True):
        item = held.get(code)
        if item is None:
            outcomes["added"] += 1
            continue
        before = item_values(item)
        same = all(before[f] == values.get(f, "") for f in CONTENT_FIELDS)
        outcomes["unchanged" if same else "updated"] += 1
    return outcomes


def _removed_codes(session: Session, parsed: Parsed) -> list[str]:
    if not parsed.scope:
        return []
    listed = set(parsed.codes)
    regions = sorted({r for r, _d in parsed.scope})
    query = select(Item.code, Item.region, Item.domain).where(Item.region.in_(regions))
    return sorted(
        code
        for code, item_region, domain in session.execute(query)
        if (item_region, domain) in parsed.scope and code not in listed
    )
