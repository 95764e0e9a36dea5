"""Import a catalog file in two steps: preview (read, validate, compare) and apply.

`preview_import` reads and validates the whole file and says what applying it would change
(added / changed / unchanged / removed, element by element) without writing anything;
`apply_import` writes a preview. The CLI and the catalog desk both call these two.

"Removed" means: items held for a (region, domain) pair that the file covers but that the
file no longer lists. A file is the whole catalog of the regions and domains it names;
regions and domains it does not mention are left alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.catalog.bulk import held_rows
from kiosk.catalog.elements import ITEM_FIELDS
from kiosk.catalog.importing.apply import write_items
from kiosk.catalog.importing.documents import read_tables
from kiosk.catalog.importing.packages import DEFAULT_MAX_MB
from kiosk.catalog.importing.problems import WARNING, ImportRejected, Problem
from kiosk.catalog.importing.rows import read_sheet
from kiosk.catalog.importing.validate import validate_row
from kiosk.catalog.models import Item
from kiosk.catalog.services import CONTENT_FIELDS, derive_code
from kiosk.errors import InputError
from kiosk.regions.services import list_regions, normalise_path

OUTCOMES = ("added", "changed", "unchanged", "removed")

__all__ = [
    "ImportPreview",
    "ImportRejected",
    "ImportReport",
    "ItemChange",
    "Problem",
    "apply_import",
    "import_catalog",
    "preview_import",
]


@dataclass
class ImportReport:
    name: str
    dry_run: bool
    rows: int = 0
    other_level: int = 0  # national layout rows ticked only for other levels
    counts: Counter = field(default_factory=Counter)
    ignored_columns: list[Problem] = field(default_factory=list)  # warnings, one per column
    # Regions the file names that the catalog did not hold yet: a typo shows here.
    new_regions: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        counts = ", ".join(f"{self.counts[k]} {k}" for k in OUTCOMES)
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
            lines.append("ignored columns: " + "; ".join(c.where for c in self.ignored_columns))
        lines += [f"warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)


@dataclass
class ItemChange:
    """One item the file adds, changes or removes (unchanged ones are only counted)."""

    code: str
    outcome: str  # "added", "changed" or "removed"
    before: dict[str, str] | None  # the catalog's values (None: added)
    after: dict[str, str] | None  # the file's values (None: removed)

    @property
    def name(self) -> str:
        return (self.after or self.before or {}).get("name", "")

    @property
    def diff(self) -> dict[str, tuple[str, str]]:
        """element field -> (before, after) for every element that differs."""
        before, after = self.before or {}, self.after or {}
        return {
            f: (before.get(f, ""), after.get(f, ""))
            for f in CONTENT_FIELDS
            if before.get(f, "") != after.get(f, "")
        }


@dataclass
class ImportPreview:
    """What applying the file would do; `apply_import` writes it."""

    report: ImportReport
    items: list[dict[str, str]]  # every item of the file, with its code
    changes: list[ItemChange]  # added, changed and removed items, in file order

    @property
    def counts(self) -> Counter:
        return self.report.counts

    @property
    def warnings(self) -> list[Problem]:
        return self.report.warnings


@dataclass
class Parsed:
    items: list[dict[str, str]]  # with their code, given or derived
    scope: set[tuple[str, str]]  # (region, domain) pairs the file covers
    report: ImportReport


def parse_file(
    path: Path, region: str | None = None, dry_run: bool = False, max_mb: int = DEFAULT_MAX_MB
) -> Parsed:
    """Read and validate the whole file; raises ImportRejected listing every problem."""
    sheets = read_tables(path, max_mb)
    default_region = normalise_path(region) if region else ""
    report = ImportReport(path.name, dry_run)
    errors: list[Problem] = []
    items: list[dict[str, str]] = []
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
            Problem(sheet.name, None, c.describe(), "未识别的列，已忽略", WARNING, sheet.unit)
            for c in sheet_rows.header.unknown()
        ]
        missing: set[str] = set()
        for row in sheet_rows.rows:
            values, belongs = validate_row(row, default_region, missing)
            errors.extend(row.errors)
            report.warnings.extend(row.warnings)
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
            first_seen.setdefault(code, row.where)
            values["code"] = code
            items.append(values)
        errors.extend(
            Problem(sheet.name, None, "", f"缺少必填的“{label}”列", unit=sheet.unit)
            for label in sorted(missing)
        )
    if not read_any and not errors:
        names = "、".join(f"“{sheet.name}”" for sheet in sheets)
        raise InputError(
            f"{path.name}：工作表{names}是空的。"
            if len(sheets) == 1
            else f"{path.name}：所有工作表都是空的（{names}）。"
        )
    if errors:
        raise ImportRejected(path.name, errors, [*report.ignored_columns, *report.warnings])
    return Parsed(items, scope, report)


def preview_import(
    session: Session,
    path: Path,
    region: str | None = None,
    dry_run: bool = True,
    max_mb: int = DEFAULT_MAX_MB,
) -> ImportPreview:
    """Read, validate and compare with the catalog; writes nothing.

    Raises ImportRejected (its `errors` are Problems) when any row has an error, and
    InputError (one line) for a file that cannot be read at all. max_mb: the app's
    KIOSK_IMPORT_MAX_MB.
    """
    parsed = parse_file(Path(path), region, dry_run, max_mb)
    report = parsed.report
    known = {region.path for region in list_regions(session)}
    report.new_regions = sorted({r for r, _domain in parsed.scope} - known)
    held = _held(session, [values["code"] for values in parsed.items])
    changes: list[ItemChange] = []
    for values in parsed.items:
        before = held.get(values["code"])
        if before is None:
            changes.append(ItemChange(values["code"], "added", None, values))
            continue
        if all(before[f] == values[f] for f in CONTENT_FIELDS):
            report.counts["unchanged"] += 1
        else:
            changes.append(ItemChange(values["code"], "changed", before, values))
    changes += [
        ItemChange(values["code"], "removed", values, None) for values in _removed(session, parsed)
    ]
    for change in changes:
        report.counts[change.outcome] += 1
    return ImportPreview(report, parsed.items, changes)


def apply_import(
    session: Session,
    preview: ImportPreview,
    actor: str,
    checkpoint: Callable[[], None] | None = None,
) -> ImportReport:
    """Write a preview in the caller's transaction, batch by batch.

    `checkpoint` (e.g. the CLI's session.commit) is called after each batch, so that a long
    import does not hold the database's write lock throughout; without it, all of the
    import lands in one transaction.
    """
    report = preview.report
    removed = [change.code for change in preview.changes if change.outcome == "removed"]
    regions = sorted({values["region"] for values in preview.items})
    report.counts = write_items(session, preview.items, removed, regions, actor, checkpoint)
    report.dry_run = False
    return report


def import_catalog(
    session: Session,
    path: Path,
    region: str | None = None,
    dry_run: bool = False,
    actor: str = "import",
    checkpoint: Callable[[], None] | None = None,
    max_mb: int = DEFAULT_MAX_MB,
) -> ImportReport:
    """Preview, then (unless dry run) apply a catalog file."""
    preview = preview_import(session, path, region, dry_run, max_mb)
    if dry_run:
        return preview.report
    return apply_import(session, preview, actor, checkpoint)


def _held(session: Session, codes: list[str]) -> dict[str, dict[str, str]]:
    """code -> the catalog's element values (what a preview compares and shows)."""
    return {
        code: {field: row[field] for field in ITEM_FIELDS}
        for code, row in held_rows(session, codes).items()
    }


def _removed(session: Session, parsed: Parsed) -> list[dict[str, str]]:
    if not parsed.scope:
        return []
    listed = {values["code"] for values in parsed.items}
    regions = sorted({r for r, _d in parsed.scope})
    query = select(Item.code, Item.region, Item.domain).where(Item.region.in_(regions))
    gone = sorted(
        code
        for code, region, domain in session.execute(query)
        if (region, domain) in parsed.scope and code not in listed
    )
    held = _held(session, gone)
    return [held[code] for code in gone]
