"""The one CSV helper: formula-safe cells, UTF-8 with a BOM, a download Chinese names fit."""

from __future__ import annotations

import csv
import io
from urllib.parse import unquote

import pytest
from flask import Flask

from kiosk.exports import csv_download, csv_safe, without_formula_guard


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("大厅屏", "大厅屏"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (-3, "-3"),  # a number we wrote is a number, not a formula
        (2.5, "2.5"),
    ],
)
def test_cells_never_run_as_formulas(cell, written):
    assert csv_safe(cell) == written
    if isinstance(cell, str):
        assert without_formula_guard(csv_safe(cell)) == cell  # the importer reads it back


def test_an_apostrophe_the_text_had_is_kept():
    assert without_formula_guard("'quoted") == "'quoted"
    assert csv_safe("'=x") == "'=x" and without_formula_guard("'=x") == "=x"


def test_download_is_utf8_with_a_bom_and_a_chinese_file_name():
    with Flask(__name__).test_request_context():
        response = csv_download("播放记录-20261201.csv", ["屏幕", "标题"], [["=大厅", "+1"]])
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [["屏幕", "标题"], ["'=大厅", "'+1"]]
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; ") and disposition.isascii()
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == "播放记录-20261201.csv"
