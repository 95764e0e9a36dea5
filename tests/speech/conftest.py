from pathlib import Path

import pytest

from kiosk.speech.services import SpeechService

DATA = Path(__file__).parent / "data"


def seed_notices() -> list[str]:
    lines = [
        line
        for line in (DATA / "seed_notices.txt").read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    return [notice.strip() for notice in "\n".join(lines).split("\n----\n")]


@pytest.fixture
def speech(tmp_path: Path) -> SpeechService:
    return SpeechService(tmp_path / "audio")
