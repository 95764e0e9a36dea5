"""The one thread that owns the pyttsx3 engine, and the checks every result must pass.

pyttsx3's eSpeak driver keeps process-wide state (one libespeak-ng, one callback), so
engines in several threads hang or raise (pyttsx3 #126, #142, #219, #327). Every synthesis
in the process goes through `worker()`: one daemon thread, one engine, a queue in front.

Measured here (pyttsx3 2.99, eSpeak NG 1.51): in a thread, the first `runAndWait()` after
`init()` returns before its WAV exists (it appears some 100 ms later), and the driver
writes the file from its callback. So a result counts only when the file exists, its size
has stopped changing, its header matches its length and its duration suits the text.
Changing the engine's rate takes effect one or two syntheses late (and once gave an empty
file): 21 of 60 alternating-rate syntheses came out at the previous rate, none of 100 at a
fixed rate. So the engine keeps one rate; slow speech is made from it (audio.slow_down).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import queue
import subprocess
import threading
import time
import wave
from concurrent.futures import Future
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from kiosk.speech.text import syllable_count

log = logging.getLogger("kiosk.speech")

# The voice reading Latin as pinyin: `cmn` reads the pinyin its own dictionary produces as
# English words ("guan one" for 关), see README "Speech" and bench/speech.py.
VOICE = "cmn-latn-pinyin"
# pyttsx3 rate is eSpeak's words per minute; for Mandarin it is about syllables per minute.
ENGINE_RATE = 165
# Speed of each choice against the engine's: slow is stretched to about 124 per minute.
TEMPOS = {"normal": 1.0, "slow": 0.75}
# Syllables per second eSpeak NG speaks at ENGINE_RATE on notices, pauses included.
SYLLABLES_PER_SECOND = 3.4
FILE_WAIT_SECONDS = 5.0
SYNTH_TIMEOUT_SECONDS = 120.0


class SpeechError(RuntimeError):
    """Synthesis produced no usable audio; the message says what was wrong."""


@cache
def engine_version() -> str:
    """pyttsx3 and eSpeak NG versions: part of every cache key, so an upgrade re-synthesises."""
    try:
        espeak = subprocess.run(
            ["espeak-ng", "--version"],  # noqa: S607 - the Debian package's command
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.split()[3]
    except (OSError, subprocess.SubprocessError, IndexError):
        espeak = "unknown"
    return f"pyttsx3-{version('pyttsx3')}+espeak-ng-{espeak}"


def wav_duration(path: Path) -> float:
    with wave.open(str(path), "rb") as audio:
        return audio.getnframes() / audio.getframerate()


def expected_seconds(prepared: str, tempo: float = 1.0) -> float:
    return syllable_count(prepared) / (SYLLABLES_PER_SECOND * tempo)


def check_wav(path: Path, prepared: str, tempo: float = 1.0) -> float:
    """Duration of a finished WAV for `prepared`, or SpeechError naming what is wrong."""
    if not path.exists():
        raise SpeechError(f"语音引擎没有生成音频文件（“{prepared[:20]}”）")
    try:
        with wave.open(str(path), "rb") as audio:
            frames, framerate = audio.getnframes(), audio.getframerate()
            width, channels = audio.getsampwidth(), audio.getnchannels()
            data = audio.readframes(frames)
    except (wave.Error, EOFError) as error:
        raise SpeechError(f"音频文件 {path.name} 不是 WAV：{error}") from None
    if frames == 0 or len(data) != frames * width * channels:
        raise SpeechError(f"音频文件 {path.name} 是空的或不完整")
    if not any(data[i] for i in range(0, len(data), 97)):
        raise SpeechError(f"音频文件 {path.name} 只有静音")
    duration = frames / framerate
    expected = expected_seconds(prepared, tempo)
    # Generous bounds: catch empty, truncated or runaway audio, not slow or fast speakers.
    if expected and not 0.45 * expected - 0.3 <= duration <= 2.2 * expected + 1.5:
        raise SpeechError(
            f"音频长 {duration:.1f} 秒，而“{prepared[:20]}……”"
            f"（{syllable_count(prepared)} 个音节）应当约 {expected:.1f} 秒"
        )
    return duration


def wait_for_file(path: Path) -> None:
    """Wait until the driver's WAV exists and is complete (header frames match the size)."""
    deadline = time.monotonic() + FILE_WAIT_SECONDS
    while time.monotonic() < deadline:
        if path.exists() and _complete(path):
            return
        time.sleep(0.02)


def _complete(path: Path) -> bool:
    try:
        size = path.stat().st_size
        with wave.open(str(path), "rb") as audio:
            expected = audio.getnframes() * audio.getsampwidth() * audio.getnchannels()
    except (OSError, wave.Error, EOFError):
        return False
    return expected > 0 and size >= expected + 44


@dataclass
class _Task:
    prepared: str
    target: Path
    future: Future


class SpeechWorker:
    """A queue and the single thread that owns the engine."""

    def __init__(self) -> None:
        self.tasks: queue.Queue[_Task] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="speech-engine", daemon=True)
        self.thread.start()

    def synthesise(self, prepared: str, target: Path) -> float:
        """Write `prepared` as a checked WAV to `target`; returns its duration in seconds."""
        future: Future = Future()
        self.tasks.put(_Task(prepared, target, future))
        return future.result(timeout=SYNTH_TIMEOUT_SECONDS)

    def _run(self) -> None:
        engine = None
        while True:
            task = self.tasks.get()
            if not task.future.set_running_or_notify_cancel():
                continue
            try:
                if engine is None:
                    engine = _new_engine()
                task.future.set_result(self._one(engine, task))
            except Exception as error:  # the caller gets it; the worker lives on
                task.future.set_exception(error)

    def _one(self, engine: Any, task: _Task) -> float:
        partial = task.target.with_name(f".{task.target.name}.{os.getpid()}.part.wav")
        task.target.parent.mkdir(parents=True, exist_ok=True)
        failure: SpeechError | None = None
        try:
            for _attempt in range(2):
                partial.unlink(missing_ok=True)
                # The driver prints "Audio saved to ..." on stdout, sometimes after
                # runAndWait() has returned; keep the CLI's output clean.
                with contextlib.redirect_stdout(io.StringIO()):
                    engine.save_to_file(task.prepared, str(partial))
                    engine.runAndWait()
                    wait_for_file(partial)
                try:
                    duration = check_wav(partial, task.prepared)
                except SpeechError as error:
                    failure = error
                    log.warning("speech: bad result, trying once more: %s", error)
                    continue
                os.replace(partial, task.target)
                return duration
        finally:
            partial.unlink(missing_ok=True)
        raise failure or SpeechError("语音引擎两次都没有生成可用的音频")


def _new_engine() -> Any:
    import pyttsx3

    engine = pyttsx3.init("espeak")
    engine.setProperty("voice", VOICE)
    engine.setProperty("rate", ENGINE_RATE)  # once: see the module's docstring
    return engine


_worker: SpeechWorker | None = None
_worker_lock = threading.Lock()


def worker() -> SpeechWorker:
    """The process's one speech worker, started on first use."""
    global _worker
    with _worker_lock:
        if _worker is None:
            _worker = SpeechWorker()
        return _worker
