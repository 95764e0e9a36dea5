"""The preview of a desk import: the importer's own `preview_import` for each file, plus what
only the desk needs on top of it.

On top: several files at once (two files may not cover the same region and domain, nor list
the same code), regions checked against the tree, and the result frozen as plain JSON in the
import and in its review, so the reviewer approves what the uploader saw. Applying writes the
very previews the plan was made from (`Plan.previews`), through the importer's `apply_import`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

from sqlalchemy.orm import Session

from kiosk.blobs.store import BlobStore
from kiosk.catalog.elements import BY_FIELD
from kiosk.catalog.importing import importer
from kiosk.catalog.importing.problems import ERROR, WARNING, ImportRejected, Problem
from kiosk.catalog.services import CONTENT_FIELDS
from kiosk.errors import InputError
from kiosk.regions.services import check_region

# Items and problems listed one by one in a plan; the counts always cover all of them.
LISTED_MAX = 500


@dataclass
class Plan:
    previews: list[tuple[dict[str, Any], importer.ImportPreview]]  # (stored file, its preview)
    shown: dict[str, Any]  # what the desk shows and freezes: counts, items, errors, warnings


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


def shown_problem(file_name: str, problem: Problem) -> dict[str, Any]:
    """A Problem as the plan keeps it: with the file it is in."""
    return {"file": file_name, **problem.as_dict()}


def _whole_file(file_name: str, reason: str, severity: str = ERROR) -> dict[str, Any]:
    # One-line errors (InputError) name the file first; the plan has a column for it.
    return shown_problem(
        file_name, Problem("", None, "", reason.removeprefix(f"{file_name}："), severity)
    )


def make_plan(
    session: Session, store: BlobStore, files: list[dict[str, Any]], region: str, max_mb: int
) -> Plan:
    """Counts, per-item diffs, errors and warnings of importing `files` into `region`."""
    errors: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    previews: list[tuple[dict[str, Any], importer.ImportPreview]] = []
    with named_copies(store, files) as paths:
        for held, path in zip(files, paths, strict=True):
            try:
                preview = importer.preview_import(session, path, region or None, max_mb=max_mb)
            except ImportRejected as rejected:
                errors += [shown_problem(path.name, problem) for problem in rejected.errors]
                warnings += [shown_problem(path.name, problem) for problem in rejected.warnings]
            except InputError as error:
                errors.append(_whole_file(path.name, str(error)))
            else:
                previews.append((held, preview))
    covered: dict[tuple[str, str], str] = {}
    codes: dict[str, str] = {}
    for held, preview in previews:
        name, report = held["name"], preview.report
        warnings += [
            shown_problem(name, problem) for problem in [*report.ignored_columns, *preview.warnings]
        ]
        if report.other_level:
            warnings.append(
                _whole_file(name, f"{report.other_level} 行的公开层级没有勾选本级，未导入", WARNING)
            )
        for pair in sorted({(values["region"], values["domain"]) for values in preview.items}):
            if covered.setdefault(pair, name) != name:
                errors.append(
                    _whole_file(
                        name,
                        f"与 {covered[pair]} 都含有“{pair[0]}”的“{pair[1]}”领域："
                        "请分开导入，或合成一个文件",
                    )
                )
        for values in preview.items:
            if codes.setdefault(values["code"], name) != name:
                errors.append(
                    _whole_file(
                        name, f"事项编码 {values['code']} 在 {codes[values['code']]} 里也有"
                    )
                )
    named_in: dict[str, str] = {}
    for (region_written, _domain), name in sorted(covered.items()):
        named_in.setdefault(region_written, name)
    for region_written, name in named_in.items():
        try:
            check_region(session, region_written)
        except InputError as error:
            errors.append(_whole_file(name, f"文件里的区域：{error}"))
    return Plan(previews, _shown(previews, errors, warnings))


def _shown(
    previews: list[tuple[dict[str, Any], importer.ImportPreview]],
    errors: list[dict[str, Any]],
    warnings: list[dict[str, Any]],
) -> dict[str, Any]:
    counts = {outcome: 0 for outcome in importer.OUTCOMES}
    listed: list[dict[str, Any]] = []
    for _held, preview in previews:
        for outcome in importer.OUTCOMES:
            counts[outcome] += preview.counts[outcome]
        listed += [
            {
                "code": change.code,
                "name": change.name,
                "change": change.outcome,
                "diff": diff(change.before, change.after),
            }
            for change in preview.changes
        ]
    listed.sort(key=lambda one: one["code"])
    return {
        "counts": counts,
        "items": listed[:LISTED_MAX],
        "errors": errors[:LISTED_MAX],
        "warnings": warnings[:LISTED_MAX],
        "totals": {"errors": len(errors), "warnings": len(warnings)},
    }
