import wave
from pathlib import Path

import pytest

from kiosk.broadcast.sinks import FolderSink, PlayerSink, SinkError, sink_from_settings
from kiosk.errors import InputError


def _wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(22050)
        audio.writeframes(b"\x10\x00" * 22050)
    return path


def test_folder_sink_drops_a_whole_file(tmp_path):
    sink = FolderSink(tmp_path / "out")
    sink.play(_wav(tmp_path / "a.wav"), "20261201-0800-1")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["20261201-0800-1.wav"]
    assert (tmp_path / "out" / "20261201-0800-1.wav").read_bytes() == (
        tmp_path / "a.wav"
    ).read_bytes()


def test_folder_sink_that_cannot_write_raises_sink_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(SinkError, match="无法写入"):
        FolderSink(blocker / "out").play(_wav(tmp_path / "a.wav"), "x")


def test_player_sink_reports_a_missing_or_failing_player(tmp_path):
    with pytest.raises(SinkError, match="no-such-player 运行失败"):
        PlayerSink("no-such-player").play(_wav(tmp_path / "a.wav"), "x")
    with pytest.raises(SinkError, match="返回错误码 1"):
        PlayerSink("false").play(_wav(tmp_path / "a.wav"), "x")


def test_sink_setting(app_factory, tmp_path):
    assert sink_from_settings(app_factory()).name.endswith("/broadcast")
    assert sink_from_settings(app_factory(name="b", KIOSK_BROADCAST_SINK="aplay")).name == "aplay"
    custom = app_factory(name="c", KIOSK_BROADCAST_SINK=f"folder:{tmp_path / 'ip'}")
    assert sink_from_settings(custom).name == f"folder:{tmp_path / 'ip'}"
    with pytest.raises(InputError, match="KIOSK_BROADCAST_SINK must be"):
        app_factory(name="d", KIOSK_BROADCAST_SINK="speaker")
    with pytest.raises(InputError, match="KIOSK_TIMEZONE must be a time zone name.*'Mars/Base'"):
        app_factory(name="e", KIOSK_TIMEZONE="Mars/Base")


def test_scheduler_job_runs_on_halls_only(app_factory):
    assert "broadcast" in app_factory().extensions["kiosk_jobs"].jobs
    assert (
        "broadcast" not in app_factory(name="c", KIOSK_ROLE="central").extensions["kiosk_jobs"].jobs
    )
