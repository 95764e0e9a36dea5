"""Every message a resident, hall manager or county staff member sees is Chinese.

Two checks: the messages the code raises or flashes (read from the source, so a message
on a path no test reaches is checked too), and the text of every page as rendered.
The command line may stay English for IT staff (kiosk/cli.py and the CLI-only reports).
"""

from __future__ import annotations

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import signed_in
from tests.screens.conftest import code_of

ROOT = Path(__file__).parents[2]
PACKAGES = ("kiosk", "admin", "screens", "playlists")
# Exceptions and calls whose text reaches people's screens.
MESSAGE_CALLS = {
    "InputError",
    "flash",
    "refused",
    "ScreenTaken",
    "SpeechError",
    "SinkError",
    "SyncError",
    "BadJSON",
    "SnapshotError",
    "ImportRejected",
}
# Read by IT staff only: the command line, and settings refused when the node starts.
CLI_ONLY = {Path("kiosk/cli.py"), Path("kiosk/reference.py"), Path("kiosk/settings.py"),
            Path("kiosk/app.py")}  # fmt: skip
# Words that are the same in a Chinese text: formats, protocols, settings, units.
TECHNICAL = re.compile(
    r"https?://\S*|www\.\S+|(?<![\w/])/[\w/.<>-]+|\{\"\w+\":|[\w.+-]+@[\w-]+\.[\w.]+|"
    r"KIOSK_\w+|\.[a-z0-9]{2,5}\b|[\w.\[\]]+(?=（)|"
    r"\b(?:HTTPS?|PDF|QR|CSV|JSON|XLSX?|DOCX?|WPS|URL|WAV|Ogg|Opus|JPE?G|PNG|GIF|WebP|MP4|"
    r"WebM|SHA-256|ID|API|Cookie|UTF-8|GB18030|sox|opusenc|opus-tools|eSpeak|NG|aplay|paplay|"
    r"Chromium|espeak-ng|pdftoppm|LibreOffice|soffice|SVG|ETag|Range|Wi-?Fi|DPMS|HDMI|CEC|"
    r"MB|KB|GB|Hz|px|dB|gzip|OpenAPI|Bearer|TOKEN|token|PATH|WAL|SQLite|PostgreSQL|N|M|K|TEXT|F|"
    r"Excel|Word|XML|Debian|libreoffice-[a-z-]+)\b"
)
ENGLISH = re.compile(r"[A-Za-z]{3,}(?:[ '-]+[A-Za-z]+)*")


def english_in(text: str) -> list[str]:
    return ENGLISH.findall(TECHNICAL.sub(" ", text))


def _message_texts(call: ast.Call) -> list[str]:
    """The literal text of a call's first argument (the constant parts of an f-string)."""
    if not call.args:
        return []
    first = call.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return [first.value]
    if isinstance(first, ast.JoinedStr):
        # The message as a template: each {value} read as a plain 0.
        return ["".join(
            part.value if isinstance(part, ast.Constant) and isinstance(part.value, str) else "0"
            for part in first.values
        )]  # fmt: skip
    return []


def _called_name(call: ast.Call) -> str:
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else ""


def source_messages() -> list[tuple[str, int, str]]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative in CLI_ONLY or "migrations" in relative.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _called_name(node) in MESSAGE_CALLS:
                    found += [(str(relative), node.lineno, text) for text in _message_texts(node)]
    return found


def test_messages_in_the_code_are_chinese():
    english = [
        f"{path}:{line}: {text!r}"
        for path, line, text in source_messages()
        # A refused setting names its variable, for whoever sets it (IT staff).
        if english_in(text) and not text.startswith("KIOSK_")
    ]
    assert english == []


def test_the_check_finds_english_put_back():
    assert english_in("choose a file to upload") == ["choose a file to upload"]
    assert english_in("请上传 PDF 或 JPEG 文件（https://www.gov.cn）。") == []
    assert english_in("3 error(s); nothing imported")


class _Text(HTMLParser):
    """Visible text and the attributes people read (alt, title, placeholder, aria-label)."""

    SKIP = {"script", "style", "code", "pre"}
    READ = {"alt", "title", "placeholder", "aria-label"}

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        self.parts += [value for name, value in attrs if name in self.READ and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _admin_pages(app: Flask) -> list[str]:
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/admin/") and "GET" in rule.methods and not rule.arguments
        and not rule.rule.endswith((".csv", ".xlsx"))
    ]  # fmt: skip
    return sorted({rule.rule for rule in rules})


# Names from the demo data and from the tests themselves, shown as they were written.
DATA = re.compile(r"\b(?:boss|demo|admin|manager|test|dbsq)\b")


@pytest.mark.parametrize("role", ["hall", "central"])
def test_every_admin_page_is_chinese(app_factory, role):
    app = app_factory(demo=True, KIOSK_ROLE=role, KIOSK_REGION="示范县/城关镇/东村")
    client = signed_in(app, "boss", "county_admin")
    english = {}
    for path in _admin_pages(app):
        page = client.get(path)
        if page.status_code == 404:
            continue  # a page of the other role (the centre's, or a hall's)
        assert page.status_code == 200, path
        words = english_in(DATA.sub(" ", visible_text(page.get_data(as_text=True))))
        if words:
            english[path] = words
    assert english == {}


RESIDENT_PAGES = ["/", "/browse", "/search?q=低保", "/search?q=火星", "/notices", "/nowhere"]


def test_every_resident_page_is_chinese(demo_app):
    client = demo_app.test_client()
    paths = [*RESIDENT_PAGES, f"/items/{code_of(demo_app, '低保申请')}", "/browse?domain=社会救助"]
    english = {}
    for path in paths:
        words = english_in(DATA.sub(" ", visible_text(client.get(path).get_data(as_text=True))))
        if words:
            english[path] = words
    assert english == {}
