"""`kiosk catalog import|export` run as real processes: output, one-line errors, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from kiosk.catalog.models import Item
from tests.catalog.files import LIST_ROWS, write_list_csv, write_national_xlsx
from tests.commands import count, kiosk


def test_import_dry_run_export_and_reimport(tmp_path):
    instance, path = tmp_path / "node", write_national_xlsx(tmp_path / "社会救助.xlsx")
    dry = kiosk(instance, "catalog", "import", str(path), "--region", "示范县", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        "社会救助.xlsx: 4 rows; 3 added, 0 changed, 0 unchanged, 0 removed "
        "(dry run: nothing written)",
        "1 rows skipped: 公开层级 not ticked for this level",
        "new regions (would be created): 示范县",
    ]
    assert held(instance) == 0
    done = kiosk(instance, "catalog", "import", str(path), "--region", "示范县")
    assert done.returncode == 0, done.stderr
    assert held(instance) == 3
    exported = kiosk(instance, "catalog", "export", str(tmp_path / "out.csv"))
    assert exported.stdout.strip() == f"{tmp_path / 'out.csv'}: 3 items written"
    again = kiosk(instance, "catalog", "import", str(tmp_path / "out.csv"))
    assert again.stdout.startswith("out.csv: 3 rows; 0 added, 0 changed, 3 unchanged, 0 removed")


def test_rejected_file_lists_its_errors_and_applies_nothing(tmp_path):
    rows = [list(row) for row in LIST_ROWS]
    rows[0][14] = "公开了吧"
    rows[2][12] = "看心情"
    path = write_list_csv(tmp_path / "目录.csv", "gb18030", rows)
    result = kiosk(tmp_path, "catalog", "import", str(path))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "工作表“目录.csv”第 4 行，O 列（公开状态）：“公开了吧”不是有效的公开状态，"
        "请用：已公开、待公开、部分公开、近期不公开、涉密不予公开",
        "工作表“目录.csv”第 8 行，M 列（公开形式）：“看心情”不是有效的公开形式，"
        "请用：主动公开、依申请公开",
        "Error: 目录.csv：有 2 处错误，整个文件都没有导入。",
    ]
    assert held(tmp_path) == 0


def empty_workbook(path: Path) -> Path:
    Workbook().save(path)
    return path


def spreadsheet_of_another_kind(path: Path) -> Path:
    path.write_bytes(b"PK")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.xlsx", "Error: {d}/missing.xlsx：文件不存在。"),
        (
            lambda d: spreadsheet_of_another_kind(d / "catalog.ods"),
            "Error: catalog.ods：不认识“.ods”这种文件；"
            "请用 .xlsx、.xls、.et、.csv、.json、.docx、.doc、.wps 文件。",
        ),
        (lambda d: empty_workbook(d / "empty.xlsx"), "Error: empty.xlsx：工作表“Sheet”是空的。"),
    ],
)
def test_one_line_errors(tmp_path, make, message):
    result = kiosk(tmp_path / "node", "catalog", "import", str(make(tmp_path)))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [message.format(d=tmp_path)]


def test_usage_errors_exit_2(tmp_path):
    result = kiosk(tmp_path, "catalog", "import")
    assert result.returncode == 2
    assert "Missing argument 'PATH'" in result.stderr


def held(instance: Path) -> int:
    return count(instance, Item)
