"""Catalog files in Word and old Office formats, written at test time (LibreOffice converts)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx

from tests.catalog.files import header_merges, item_merges


def write_national_docx(
    path: Path, tables: list[tuple[str, list[str], list[str], list[list[str]]]]
) -> Path:
    """One table per (title, top, sub, rows), the title a paragraph above it; header groups
    merged across, 一级事项 merged down, as county documents have them."""
    document = docx.Document()
    document.add_paragraph("示范县基层政务公开标准目录（汇编）")
    for title, top, sub, rows in tables:
        document.add_paragraph(title)
        table = document.add_table(rows=2 + len(rows), cols=len(top))
        for r, line in enumerate([top, sub, *rows]):
            for c, text in enumerate(line):
                table.cell(r, c).text = text
        for row, column, end_row, end_column in header_merges(top, sub):
            label = top[column]
            table.cell(row, column).merge(table.cell(end_row, end_column)).text = label
        for first, last in item_merges(rows):
            label = rows[first][1]
            table.cell(2 + first, 1).merge(table.cell(2 + last, 1)).text = label
        document.add_paragraph("")
    document.save(str(path))
    return path


def convert(path: Path, kind: str, folder: Path) -> Path:
    """path converted by LibreOffice into folder (kind: "xls", "doc")."""
    soffice = shutil.which("soffice")
    assert soffice, "make system-packages installs LibreOffice"
    folder.mkdir(exist_ok=True)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            kind,
            "--outdir",
            str(folder),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return folder / f"{path.stem}.{kind}"
