"""Re-imports: dry-run counts, nothing changes twice, only changed items change, removals."""

from __future__ import annotations

from sqlalchemy import func, select

from kiosk.audit.models import AuditEntry
from kiosk.catalog.importing.importer import apply_import, import_catalog, preview_import
from kiosk.catalog.models import Item
from tests.catalog.files import LIST_ROWS, NATIONAL_ROWS, write_list_xlsx, write_national_xlsx


def counts(report) -> tuple[int, int, int, int]:
    return tuple(report.counts[k] for k in ("added", "changed", "unchanged", "removed"))


def changed_at(db) -> dict[str, object]:
    db.expire_all()
    return {item.name: item.changed_at for item in db.scalars(select(Item))}


def test_dry_run_counts_without_writing(db, tmp_path):
    path = write_list_xlsx(tmp_path / "a.xlsx")
    report = import_catalog(db, path, dry_run=True)
    assert counts(report) == (3, 0, 0, 0)
    assert "(dry run: nothing written)" in report.summary()
    assert db.scalar(select(func.count()).select_from(Item)) == 0
    import_catalog(db, path)
    db.commit()
    changed = [list(row) for row in LIST_ROWS[:2]]
    changed[1][6] = "城乡低保标准及调整（2027年）"
    report = import_catalog(db, write_list_xlsx(tmp_path / "b.xlsx", changed), dry_run=True)
    assert counts(report) == (0, 1, 1, 1)
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Item)) == 3


def test_reimport_changes_nothing(db, tmp_path):
    path = write_list_xlsx(tmp_path / "a.xlsx")
    import_catalog(db, path)
    db.commit()
    before = changed_at(db)
    audits = db.scalar(select(func.count()).select_from(AuditEntry))
    assert counts(import_catalog(db, path)) == (0, 0, 3, 0)
    db.commit()
    assert changed_at(db) == before
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == audits


def test_changed_file_updates_only_changed_items_and_removes_dropped_ones(db, tmp_path):
    import_catalog(db, write_list_xlsx(tmp_path / "a.xlsx"), actor="importer")
    db.commit()
    before = changed_at(db)
    rows = [list(row) for row in LIST_ROWS[:2]]
    rows[0][9] = "15个工作日"  # 公开时限 of 最低生活保障 审批; 臨時救助申請 dropped
    report = import_catalog(db, write_list_xlsx(tmp_path / "b.xlsx", rows), actor="importer")
    db.commit()
    assert counts(report) == (0, 1, 1, 1)
    after = changed_at(db)
    assert set(after) == {"最低生活保障 审批", "最低生活保障标准"}
    assert after["最低生活保障 审批"] > before["最低生活保障 审批"]
    assert after["最低生活保障标准"] == before["最低生活保障标准"]
    update = db.scalars(select(AuditEntry).where(AuditEntry.action == "item.update")).one()
    assert (update.before, update.after) == (
        {"time_limit": "20个工作日"},
        {"time_limit": "15个工作日"},
    )
    assert (
        db.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "item.remove", AuditEntry.actor == "importer")
        )
        == 1
    )


def test_removal_is_limited_to_the_regions_and_domains_in_the_file(db, tmp_path):
    national = write_national_xlsx(tmp_path / "n.xlsx")
    import_catalog(db, national, region="示范县")
    import_catalog(db, national, region="示范县/城关镇")
    pension = write_national_xlsx(tmp_path / "p.xlsx", domain="养老服务")
    import_catalog(db, pension, region="示范县")
    db.commit()
    # The county's 社会救助 catalog without 办事指南: only that item goes.
    fewer = write_national_xlsx(tmp_path / "fewer.xlsx", [NATIONAL_ROWS[0], *NATIONAL_ROWS[2:]])
    report = import_catalog(db, fewer, region="示范县")
    db.commit()
    assert counts(report) == (0, 0, 2, 1)
    kept = {(i.region, i.domain, i.name) for i in db.scalars(select(Item))}
    assert ("示范县", "社会救助", "办事指南") not in kept
    assert ("示范县/城关镇", "社会救助", "办事指南") in kept
    assert ("示范县", "养老服务", "办事指南") in kept


def test_preview_lists_each_change_element_by_element_and_writes_nothing(db, tmp_path):
    import_catalog(db, write_list_xlsx(tmp_path / "a.xlsx"))
    db.commit()
    rows = [list(row) for row in LIST_ROWS[:2]]
    rows[0][9] = "15个工作日"
    rows[1][5] = "最低生活保障标准（新）"  # a new name: a new item, the old one removed
    preview = preview_import(db, write_list_xlsx(tmp_path / "b.xlsx", rows))
    assert counts(preview.report) == (1, 1, 0, 2)
    by_outcome = {(c.outcome, c.name): c for c in preview.changes}
    changed = by_outcome[("changed", "最低生活保障 审批")]
    assert changed.diff == {"time_limit": ("20个工作日", "15个工作日")}
    added = by_outcome[("added", "最低生活保障标准（新）")]
    assert added.before is None and added.diff["name"] == ("", "最低生活保障标准（新）")
    assert {name for outcome, name in by_outcome if outcome == "removed"} == {
        "最低生活保障标准",
        "臨時救助申請",
    }
    db.rollback()
    assert db.scalar(select(Item.time_limit).where(Item.name == "最低生活保障 审批")) == (
        "20个工作日"
    )
    report = apply_import(db, preview, "importer", checkpoint=db.commit)
    assert counts(report) == (1, 1, 0, 2) and not report.dry_run
    db.rollback()  # the checkpoints committed each batch and the removals
    assert db.scalar(select(func.count()).select_from(Item)) == 2
