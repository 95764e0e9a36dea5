"""Files as counties publish them: old Excel, Word tables, WPS and old Word via LibreOffice."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from kiosk.catalog.importing.importer import import_catalog
from kiosk.catalog.models import Item
from kiosk.errors import InputError
from tests.catalog.documents import convert, write_national_docx
from tests.catalog.files import (
    NATIONAL_ROWS,
    NATIONAL_SUB,
    NATIONAL_TOP,
    national_three,
    write_list_xlsx,
    write_national_xlsx,
)
from tests.catalog.test_import_vocabulary import seed_rows

COUNTY = {"政策法规文件", "办事指南", "临时救助"}


def held(db) -> set[tuple[str, str, str]]:
    return {(i.domain, i.category1, i.name) for i in db.scalars(select(Item))}


def test_xls_and_et_in_both_layouts(db, tmp_path):
    top, sub, rows = national_three(("县", "乡镇", "村（社区）"))
    national = convert(
        write_national_xlsx(tmp_path / "社会救助.xlsx", rows, top=top, sub=sub),
        "xls",
        tmp_path / "x",
    )
    report = import_catalog(db, national, region="示范县")
    assert report.counts["added"] == 3 and report.warnings == []
    guide = db.scalars(select(Item).where(Item.name == "办事指南")).one()
    assert guide.category1 == "最低生活保障"  # merged down in the old workbook too
    assert guide.basis == "《社会救助暂行办法》《政府信息公开条例》"  # 同上
    seed = convert(write_list_xlsx(tmp_path / "seed.xlsx", seed_rows()), "xls", tmp_path / "y")
    et = seed.with_suffix(".et")  # WPS spreadsheets are old Excel files under another name
    shutil.copyfile(seed, et)
    for path in (seed, et):
        report = import_catalog(db, path)
        assert report.warnings == [] and report.counts["added"] + report.counts["unchanged"] == 17


def test_docx_tables_each_named_by_the_title_above_them(db, tmp_path):
    top, sub, rows = national_three(("县级", "乡级", "村级"))
    path = write_national_docx(
        tmp_path / "目录.docx",
        [
            ("社会救助领域基层政务公开标准目录", NATIONAL_TOP, NATIONAL_SUB, NATIONAL_ROWS),
            ("附件2 养老服务领域基层政务公开标准目录", top, sub, rows),
        ],
    )
    report = import_catalog(db, path, region="示范县")
    assert report.counts["added"] == 6 and report.warnings == []
    assert held(db) == {
        (domain, category, name)
        for domain in ("社会救助", "养老服务")
        for category, name in (
            ("最低生活保障", "政策法规文件"),
            ("最低生活保障", "办事指南"),
            ("临时救助", "临时救助"),
        )
    }


def test_doc_through_libreoffice(db, tmp_path):
    source = write_national_docx(
        tmp_path / "社会救助.docx",
        [("社会救助领域基层政务公开标准目录", NATIONAL_TOP, NATIONAL_SUB, NATIONAL_ROWS)],
    )
    doc = convert(source, "doc", tmp_path / "d")
    report = import_catalog(db, doc, region="示范县")
    assert report.counts["added"] == 3
    assert {name for _d, _c, name in held(db)} == COUNTY


def test_without_libreoffice_the_message_says_what_to_install(db, tmp_path, monkeypatch):
    path = tmp_path / "目录.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on it
    with pytest.raises(InputError) as caught:
        import_catalog(db, path)
    assert str(caught.value) == (
        "目录.doc：要导入 .doc 文件，服务器上需要安装 LibreOffice（Debian 软件包 "
        "libreoffice-writer-nogui 和 libreoffice-calc-nogui）；也可以先另存为 .docx 再导入。"
    )
