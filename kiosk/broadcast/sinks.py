"""Where a read-out goes: the sound card, or a folder an IP broadcast system watches."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path
from typing import Protocol

from flask import Flask

from kiosk.errors import InputError
from kiosk.speech.engine import wav_duration

PLAYERS = ("aplay", "paplay")


class SinkError(RuntimeError):
    """The output refused the audio; the message says why."""


class Sink(Protocol):
    name: str

    def play(self, wav: Path, label: str) -> None: ...


class FolderSink:
    """Drops each read-out as a WAV file; written under a temporary name, then renamed,
    so the broadcast system never picks up half a file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.name = f"folder:{folder}"

    def play(self, wav: Path, label: str) -> None:
        target = self.folder / f"{label}.wav"
        partial = self.folder / f".{label}.wav.part"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(wav, partial)
            os.replace(partial, target)
        except OSError as error:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            raise SinkError(f"无法写入 {self.folder}：{error.strerror or error}") from None


class PlayerSink:
    """Plays on the machine's sound card with aplay (ALSA) or paplay (PulseAudio)."""

    def __init__(self, program: str) -> None:
        self.program = program
        self.name = program

    def play(self, wav: Path, label: str) -> None:
        try:
            result = subprocess.run(  # noqa: S603 - program is aplay or paplay
                [self.program, str(wav)],
                capture_output=True,
                text=True,
                timeout=wav_duration(wav) + 60,
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise SinkError(f"{self.program} 运行失败：{error}") from None
        if result.returncode != 0:
            reason = (result.stderr or result.stdout).strip().splitlines()
            raise SinkError(
                f"{self.program} 返回错误码 {result.returncode}："
                f"{reason[-1] if reason else '没有错误信息'}"
            )


def sink_from_settings(app: Flask) -> Sink:
    value = app.config["KIOSK_BROADCAST_SINK"].strip()
    if value in PLAYERS:
        return PlayerSink(value)
    if value == "folder":
        return FolderSink(Path(app.instance_path) / "broadcast")
    if value.startswith("folder:") and value[7:].strip():
        return FolderSink(Path(value[7:].strip()).expanduser())
    raise InputError(
        f"KIOSK_BROADCAST_SINK must be aplay, paplay, folder or folder:/path, not {value!r}"
    )
