"""Speech service: text in, checked audio out, cached under the instance path.

A piece of audio is named by the hash of (prepared text, voice, rate, engine version,
text-preparation version), so the same request twice synthesises once and an upgrade of
eSpeak or of the text rules makes new audio. Web requests never wait for synthesis:
`parts()` answers at once with what is ready and queues the rest for one background thread.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy.orm import Session

from kiosk.answers.hall import item_answers
from kiosk.answers.models import HallAnswer
from kiosk.catalog.models import Item
from kiosk.catalog.services import get_visible_item
from kiosk.errors import InputError
from kiosk.notices.models import Notice
from kiosk.notices.services import get_current_notice
from kiosk.parsing import database_id
from kiosk.speech.audio import encode_opus, join_wavs, slow_down
from kiosk.speech.engine import (
    TEMPOS,
    VOICE,
    SpeechError,
    check_wav,
    engine_version,
    wav_duration,
    worker,
)
from kiosk.speech.text import TEXT_VERSION, prepare, split_sentences

log = logging.getLogger("kiosk.speech")

KEY_PATTERN = re.compile(r"^[0-9a-f]{32}$")
FORMATS = {"wav": "audio/wav", "ogg": "audio/ogg"}
MAX_TEXT_CHARS = 20000
RETRY_FAILED_AFTER_SECONDS = 60.0


@dataclass(frozen=True)
class Part:
    key: str
    ready: bool
    failed: str = ""


def audio_key(prepared: str, rate: str) -> str:
    identity = "\n".join((engine_version(), TEXT_VERSION, VOICE, rate, prepared))
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]


def check_rate(rate: str) -> str:
    if rate not in TEMPOS:
        raise InputError(f"语速只能是 {'、'.join(TEMPOS)}，不能是“{rate}”。")
    return rate


def check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise InputError("没有要朗读的文字。")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"文字太长，不能朗读（{len(text)} 个字，最多 {MAX_TEXT_CHARS} 个字）。")
    return text


class SpeechService:
    """One per app; all of them share the process's one engine worker."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self.background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="speech-jobs")
        self.pending: dict[str, Future] = {}
        self.failures: dict[str, tuple[str, float]] = {}
        self.lock = threading.Lock()

    def path(self, key: str, fmt: str) -> Path:
        if not KEY_PATTERN.match(key) or fmt not in FORMATS:
            raise InputError("没有这段音频。")
        return self.cache_dir / f"{key}.{fmt}"

    def cached(self, key: str, fmt: str) -> Path | None:
        path = self.path(key, fmt)
        return path if path.exists() else None

    # Blocking: CLI, broadcast, tests.
    def speak(self, text: str, rate: str = "normal") -> Path:
        """The whole text as one cached WAV (its Ogg beside it); synthesises what is missing."""
        prepared = prepare(check_text(text))
        check_rate(rate)
        if not prepared:
            raise InputError("这段文字里没有可以朗读的内容。")
        key = audio_key(prepared, rate + "+joined")
        target = self.path(key, "wav")
        if target.exists() and self.path(key, "ogg").exists():
            return target
        chunks = split_sentences(prepared)
        parts = [self._make_part(audio_key(chunk, rate), chunk, rate) for chunk in chunks]
        join_wavs(parts, target)
        encode_opus(target, self.path(key, "ogg"))
        return target

    def _make_part(self, key: str, prepared: str, rate: str) -> Path:
        wav, ogg = self.path(key, "wav"), self.path(key, "ogg")
        if wav.exists() and ogg.exists():
            return wav
        if rate == "normal":
            worker().synthesise(prepared, wav)
        else:
            normal = self._make_part(audio_key(prepared, "normal"), prepared, "normal")
            slow_down(normal, wav, TEMPOS[rate])
            check_wav(wav, prepared, TEMPOS[rate])
        encode_opus(wav, ogg)
        return wav

    # Non-blocking: web requests.
    def parts(self, text: str, rate: str = "normal") -> list[Part]:
        """Every sentence's audio key and whether it is ready; queues the missing ones."""
        prepared = prepare(check_text(text))
        check_rate(rate)
        answer: list[Part] = []
        for chunk in split_sentences(prepared):
            key = audio_key(chunk, rate)
            if self.path(key, "ogg").exists() and self.path(key, "wav").exists():
                answer.append(Part(key, True))
                continue
            with self.lock:
                failure = self._failure(key)
                if not failure and key not in self.pending:
                    self.pending[key] = self.background.submit(
                        self._background_part, key, chunk, rate
                    )
            answer.append(Part(key, False, failure))
        return answer

    def _failure(self, key: str) -> str:
        """A recent failure is reported rather than retried on every poll of the page."""
        message, when = self.failures.get(key, ("", 0.0))
        if message and time.monotonic() - when > RETRY_FAILED_AFTER_SECONDS:
            del self.failures[key]
            return ""
        return message

    def _background_part(self, key: str, prepared: str, rate: str) -> None:
        try:
            self._make_part(key, prepared, rate)
        except (SpeechError, OSError) as error:
            log.error("speech: cannot read %r aloud: %s", prepared[:30], error)
            with self.lock:
                self.failures[key] = (str(error), time.monotonic())
        finally:
            with self.lock:
                self.pending.pop(key, None)

    def wait_idle(self, timeout: float = 60.0) -> None:
        """Wait for queued background work (tests, benchmarks)."""
        with self.lock:
            futures = list(self.pending.values())
        for future in futures:
            future.result(timeout=timeout)


_create_lock = threading.Lock()


def speech_of(app: Flask) -> SpeechService:
    """The app's speech service, made on first use (audio cache under the instance path)."""
    with _create_lock:
        if "kiosk_speech" not in app.extensions:
            app.extensions["kiosk_speech"] = SpeechService(Path(app.instance_path) / "audio")
        return app.extensions["kiosk_speech"]


def save_speech(app: Flask, text: str, rate: str, output: str) -> float:
    """`kiosk say`: the text's audio copied to `output` (.ogg: Opus, else WAV); seconds."""
    wav = speech_of(app).speak(text, rate)
    source = wav.with_suffix(".ogg") if output.lower().endswith((".ogg", ".opus")) else wav
    try:
        shutil.copyfile(source, output)
    except OSError as error:
        raise InputError(f"无法写入 {output}：{error.strerror}") from None
    return wav_duration(wav)


def readable_text(session: Session, kind: str, key: str, region: str) -> str | None:
    """What the read-aloud button of an item (by code) or notice (by id) says, if visible."""
    if kind == "item":
        item = get_visible_item(session, key, region)
        return item_text(item, item_answers(session, item.code)) if item is not None else None
    notice_id = database_id(key)
    notice = get_current_notice(session, notice_id, region) if notice_id is not None else None
    return notice_text(notice) if notice is not None else None


def item_text(item: Item, answers: list[HallAnswer] | None = None) -> str:
    """What the read-aloud button says for an item: name, content, who publishes, basis,
    and the public answers to residents' questions shown under 群众咨询."""
    pieces = [item.name, item.content]
    if item.publisher:
        pieces.append(f"公开主体：{item.publisher}")
    if item.basis:
        pieces.append(f"公开依据：{item.basis}")
    if answers:
        pieces.append("群众咨询")
        for answer in answers:
            pieces += [
                f"问：{answer.question}",
                f"答：{answer.body}",
                f"答复部门：{answer.department}",
            ]
    return _sentences(pieces)


def notice_text(notice: Notice) -> str:
    pieces = [notice.title, notice.body]
    if notice.publisher:
        pieces.append(f"发布单位：{notice.publisher}")
    return _sentences(pieces)


def _sentences(pieces: list[str]) -> str:
    ends = "。！？；.!?;"
    return "\n".join(
        p.strip() + ("" if p.strip()[-1:] in ends else "。") for p in pieces if p and p.strip()
    )
