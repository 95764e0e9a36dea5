"""Zip packages (.xlsx, .docx) opened with their size bounded, and files' real kinds.

A zip bomb declares or unpacks to far more than any catalog: the declared sizes are checked
before anything is unpacked, and a sheet's XML is counted as it streams (zipfile never
unpacks past a member's declared size). The same pass over a sheet finds its merged ranges
and its last row, which openpyxl's streaming mode does not give.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import InputError

DEFAULT_MAX_MB = 200
EXCEL_ROWS = 1_048_576
CHUNK = 1 << 20
ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")
MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\"")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
KINDS = {".xlsx": "zip", ".docx": "zip", ".xls": "ole", ".doc": "ole", ".et": "ole", ".wps": "ole"}


def real_kind(path: Path) -> str:
    """'zip', 'ole', 'pdf', 'text' or 'other', from the file's first bytes."""
    with path.open("rb") as file:
        head = file.read(8)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head == OLE2:
        return "ole"
    if head.startswith(b"%PDF"):
        return "pdf"
    return "other"


KIND_NAMES = {"zip": "新版 Office 文件（.xlsx/.docx）", "ole": "旧版 Office 文件（.xls/.doc）"}
KIND_NAMES |= {"pdf": "PDF 文件", "other": "别的文件"}


def check_kind(path: Path) -> None:
    """InputError when the file is not what its extension says (a renamed file)."""
    wanted = KINDS.get(path.suffix.lower())
    if wanted is None:
        return
    found = real_kind(path)
    if found != wanted:
        raise InputError(
            f"{path.name}：文件内容不是 {path.suffix.lower()}，而是{KIND_NAMES[found]}；"
            "请用原来的程序另存为正确的格式。"
        )


def open_package(path: Path, max_mb: int) -> zipfile.ZipFile:
    """The zip of an .xlsx/.docx, refused when it declares more than max_mb unpacked."""
    try:
        package = zipfile.ZipFile(path)
        declared = sum(member.file_size for member in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"{path.name}：文件已损坏或不完整，无法打开。") from None
    if declared > max_mb * 1_000_000:
        package.close()
        raise too_big(path, max_mb)
    return package


def too_big(path: Path, max_mb: int) -> InputError:
    return InputError(
        f"{path.name}：解压后超过 {max_mb} MB（可能是“压缩炸弹”），不予导入；"
        "真实的目录请分成几个文件导入。"
    )


@dataclass
class SheetScan:
    rows: int  # the last row number the sheet's XML names
    merges: list[str]  # merged ranges, e.g. "B5:B7"


def scan_sheet(path: Path, package: zipfile.ZipFile, member: str, sheet: str) -> SheetScan:
    """One streaming pass over a sheet's XML: its last row and its merged ranges."""
    last, merges, tail = 0, [], b""
    try:
        with package.open(member) as stream:
            while chunk := stream.read(CHUNK):
                data = tail + chunk
                # Keep the end of the chunk: a tag may straddle two chunks.
                cut = max(data.rfind(b"<"), 0)
                scanned, tail = data[:cut], data[cut:]
                for match in ROW_NUMBER.finditer(scanned):
                    last = max(last, int(match.group(1)))
                merges += [m.group(1).decode() for m in MERGE.finditer(scanned)]
                if last > EXCEL_ROWS:
                    raise InputError(
                        f"{path.name}：工作表“{sheet}”第 {EXCEL_ROWS + 1} 行超过了 Excel 的行数上限"
                        f"（{EXCEL_ROWS:,} 行），文件不完整或不是 Excel 做的。"
                    )
            for match in ROW_NUMBER.finditer(tail):
                last = max(last, int(match.group(1)))
            merges += [m.group(1).decode() for m in MERGE.finditer(tail)]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        raise InputError(
            f"{path.name}：工作表“{sheet}”已损坏（压缩数据出错），文件可能没有完整保存或传输。"
        ) from None
    return SheetScan(last, merges)
