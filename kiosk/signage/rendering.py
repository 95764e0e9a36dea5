"""What the node makes from an uploaded file: a small picture for the admin (Pillow for
images, the first PDF page by pdftoppm, a video frame by ffmpeg) and a PDF's pages as
images, so a PDF never reaches a browser's PDF viewer (its scripts never run)."""

from __future__ import annotations

import io
import subprocess
import tempfile
import warnings
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from kiosk.errors import InputError

THUMB_SIZE = (320, 180)
PAGE_WIDTH = 1920  # pages are rendered for a full-HD screen
MAX_PDF_PAGES = 200
# Pixels an image may have (a 8000 x 6000 photo is 48 million): past it a small file can
# unpack into gigabytes of memory (a decompression bomb).
MAX_PIXELS = 50_000_000
TOOL_SECONDS = 120


def _run(command: list[str], package: str, label: str) -> None:
    try:
        result = subprocess.run(  # noqa: S603 - fixed programs, paths we made
            command, capture_output=True, text=True, timeout=TOOL_SECONDS
        )
    except (OSError, subprocess.SubprocessError) as error:
        raise InputError(
            f"{label}：无法处理（{command[0]} 运行失败：{error}，请安装 {package}）。"
        ) from None
    if result.returncode != 0:
        raise InputError(f"{label}：文件无法读取，可能已损坏。")


def check_image(path: Path, label: str) -> None:
    """Refuse what Pillow cannot read or what has more than MAX_PIXELS pixels."""
    try:
        with warnings.catch_warnings():  # the check below says it in words people read
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
    except (Image.DecompressionBombError, OSError, ValueError):
        raise InputError(f"{label}：图片无法读取，可能已损坏或尺寸过大。", "file") from None
    if width * height > MAX_PIXELS:
        raise InputError(
            f"{label}：图片有 {width}×{height} 像素，太大了（最多 {MAX_PIXELS // 1_000_000} "
            "百万像素），请缩小后再上传。",
            "file",
        )


def thumbnail(source: Path | BinaryIO) -> bytes:
    """A small JPEG of an image (the first frame of an animation)."""
    with Image.open(source) as image:
        image.thumbnail(THUMB_SIZE)
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def pdf_pages(path: Path, label: str) -> list[bytes]:
    """Every page (up to MAX_PDF_PAGES) as a PNG PAGE_WIDTH wide, rendered by pdftoppm."""
    with tempfile.TemporaryDirectory(prefix="kiosk-pdf-") as folder:
        prefix = Path(folder) / "page"
        _run(
            [
                "pdftoppm",
                "-png",
                "-l",
                str(MAX_PDF_PAGES),
                "-scale-to-x",
                str(PAGE_WIDTH),
                "-scale-to-y",
                "-1",
                str(path),
                str(prefix),
            ],
            "poppler-utils",
            label,
        )
        pages = sorted(Path(folder).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        if not pages:
            raise InputError(f"{label}：这个 PDF 没有可以显示的页面。", "file")
        return [page.read_bytes() for page in pages]


def video_frame(path: Path, label: str) -> bytes:
    """A frame from a second into the video (or its first, if it is shorter) as a JPEG."""
    with tempfile.TemporaryDirectory(prefix="kiosk-video-") as folder:
        frame = Path(folder) / "frame.png"
        for offset in ("1", "0"):
            command = [
                "ffmpeg",
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-ss",
                offset,
                "-i",
                str(path),
                "-frames:v",
                "1",
                str(frame),
            ]
            _run(command, "ffmpeg", label)
            if frame.exists() and frame.stat().st_size:
                return thumbnail(frame)
    raise InputError(f"{label}：视频里没有可以显示的画面。", "file")
