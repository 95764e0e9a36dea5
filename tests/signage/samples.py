"""Files a hall manager uploads, made on the spot: images, PDFs (one with a script that
must never run), a short video."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from PIL import Image


def png_bytes(size: tuple[int, int] = (8, 8), colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def pdf_bytes(pages: int = 2) -> bytes:
    """A PDF of `pages` coloured pages (Pillow writes it)."""
    images = [Image.new("RGB", (400, 300), colour) for colour in ("navy", "green", "orange")]
    images = (images * pages)[:pages]
    out = io.BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:])
    return out.getvalue()


def scripted_pdf(marker: str) -> bytes:
    """One page whose /OpenAction JavaScript would change the page title to `marker`."""
    script = f"app.alert('{marker}'); this.title = '{marker}'; document.title = '{marker}';"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 300] /Contents 5 0 R >>",
        f"<< /Type /Action /S /JavaScript /JS ({script}) >>",
    ]
    stream = b"0 0 1 rg 50 50 300 200 re f"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode())
    offsets.append(out.tell())
    out.write(f"5 0 obj\n<< /Length {len(stream)} >>\nstream\n".encode())
    out.write(stream + b"\nendstream\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\n".encode())
    out.write(f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def video_bytes(folder: Path, seconds: int = 2) -> bytes:
    """A small WebM test picture made by ffmpeg."""
    target = folder / "sample.webm"
    subprocess.run(  # noqa: S603 - fixed program and arguments
        [
            "ffmpeg",
            "-nostdin",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=duration={seconds}:size=320x240:rate=10",
            "-c:v",
            "libvpx",
            "-b:v",
            "200k",
            str(target),
        ],
        check=True,
        timeout=120,
    )
    return target.read_bytes()


def bomb_png() -> bytes:
    """A small file that unpacks into 100 million pixels."""
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG")
    return out.getvalue()
