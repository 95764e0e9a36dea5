"""Attachments a county clerk adds, made on the spot: a picture, a two-page PDF, a table
(.csv and .xlsx), a short video with its captions."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from PIL import Image, ImageDraw

from tests.signage.samples import pdf_bytes, video_bytes

TABLE_HEADER = ["家庭人口", "每月保障标准", "办理地点"]
TABLE_ROWS = [[f"{n} 人", f"{620 * n} 元", "城关镇便民服务中心"] for n in range(1, 11)]
CAPTION = "请带好身份证和户口本"


def chart_png() -> bytes:
    """A flow chart of sorts: four boxes joined by arrows, 1200 x 800."""
    image = Image.new("RGB", (1200, 800), "white")
    draw = ImageDraw.Draw(image)
    for index, colour in enumerate(("#0a4a82", "#8a3b00", "#1f6f3f", "#6b2d8a")):
        left = 60 + index * 285
        draw.rectangle((left, 300, left + 220, 500), fill=colour)
        if index:
            draw.line((left - 65, 400, left, 400), fill="black", width=8)
    return _png(image)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def table_csv() -> bytes:
    lines = [",".join(TABLE_HEADER), *(",".join(row) for row in TABLE_ROWS)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def table_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(TABLE_HEADER)
    for row in TABLE_ROWS:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def captions_vtt() -> bytes:
    return f"WEBVTT\n\n00:00.000 --> 00:02.000\n{CAPTION}\n".encode()


def write_all(folder: Path) -> dict[str, Path]:
    """Every kind of attachment as a file named as a clerk would."""
    files = {
        "低保办理流程图.png": chart_png(),
        "低保申请表.pdf": pdf_bytes(2),
        "低保标准.csv": table_csv(),
        "办理视频.webm": video_bytes(folder),
        "办理视频.vtt": captions_vtt(),
    }
    paths = {}
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths[name] = path
    return paths
