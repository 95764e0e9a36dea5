"""WAV plumbing with the standard library, and Opus/Ogg for browsers via opusenc."""

from __future__ import annotations

import array
import math
import os
import subprocess
import wave
from collections.abc import Iterable
from pathlib import Path

from kiosk.speech.engine import SpeechError

SAMPLE_RATE = 22050  # what pyttsx3's eSpeak driver writes: mono, 16 bit
PAUSE_BETWEEN_SECONDS = 0.25


def read_samples(path: Path) -> array.array:
    with wave.open(str(path), "rb") as audio:
        if (audio.getnchannels(), audio.getsampwidth(), audio.getframerate()) != (
            1,
            2,
            SAMPLE_RATE,
        ):
            raise SpeechError(f"{path.name}：应当是单声道 16 位 {SAMPLE_RATE} Hz 的音频")
        samples = array.array("h")
        samples.frombytes(audio.readframes(audio.getnframes()))
    return samples


def silence(seconds: float) -> array.array:
    return array.array("h", bytes(2 * int(seconds * SAMPLE_RATE)))


def chime() -> array.array:
    """A two-note "ding-dong" before a broadcast, so listeners turn to the loudspeaker."""
    samples = array.array("h")
    for frequency in (880.0, 659.25):
        count = int(0.6 * SAMPLE_RATE)
        for index in range(count):
            envelope = math.exp(-4.0 * index / count)
            value = 0.5 * envelope * math.sin(2 * math.pi * frequency * index / SAMPLE_RATE)
            samples.append(int(value * 32767))
    return samples


def scaled(samples: array.array, volume: float) -> array.array:
    """Samples at `volume` (0..1 of full scale), clipped rather than wrapped."""
    if volume >= 0.999:
        return samples
    return array.array("h", (max(-32768, min(32767, int(s * volume))) for s in samples))


def write_wav(path: Path, pieces: Iterable[array.array]) -> None:
    """Write atomically: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    with wave.open(str(partial), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(SAMPLE_RATE)
        for piece in pieces:
            audio.writeframes(piece.tobytes())
    os.replace(partial, path)


def join_wavs(parts: list[Path], target: Path) -> None:
    pieces: list[array.array] = []
    for index, part in enumerate(parts):
        if index:
            pieces.append(silence(PAUSE_BETWEEN_SECONDS))
        pieces.append(read_samples(part))
    write_wav(target, pieces)


def slow_down(wav: Path, target: Path, tempo: float) -> None:
    """Slower speech at the same pitch (sox's WSOLA tempo, tuned for speech)."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.part.wav")
    command = ["sox", str(wav), str(partial), "tempo", "-s", f"{tempo:.2f}"]
    _make(command, wav, partial, target, "sox")


def encode_opus(wav: Path, target: Path) -> None:
    """Ogg Opus for browsers: a tenth of the WAV's size, seekable, played by Chromium."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    command = ["opusenc", "--quiet", "--speech", "--bitrate", "32", str(wav), str(partial)]
    _make(command, wav, partial, target, "opus-tools", smallest=200)


def _make(
    command: list[str], source: Path, partial: Path, target: Path, package: str, smallest: int = 1
) -> None:
    """Run a sound tool that writes `partial`; put the result at `target` only when whole."""
    tool = command[0]
    try:
        result = subprocess.run(  # noqa: S603 - fixed programs, paths we made
            command, capture_output=True, text=True, timeout=120
        )
    except (OSError, subprocess.SubprocessError) as error:
        partial.unlink(missing_ok=True)
        raise SpeechError(f"{tool} 运行失败：{error}（请安装 {package}）") from None
    if result.returncode != 0 or not partial.exists() or partial.stat().st_size < smallest:
        partial.unlink(missing_ok=True)
        raise SpeechError(f"{tool} 处理 {source.name} 失败：{result.stderr.strip()[:200]}")
    os.replace(partial, target)
