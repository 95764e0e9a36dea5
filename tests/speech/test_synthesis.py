"""Real synthesis through pyttsx3 and eSpeak NG, checked by duration against the text."""

import wave
from pathlib import Path

import pytest

from kiosk.speech import engine as engine_module
from kiosk.speech import services as services_module
from kiosk.speech.engine import TEMPOS, SpeechError, SpeechWorker, check_wav, wav_duration
from kiosk.speech.text import prepare, syllable_count
from tests.speech.conftest import seed_notices

NOTICE = "关于开展最低生活保障对象年度复核工作的通知"


def _seconds_per_syllable(path: Path, text: str) -> float:
    return wav_duration(path) / syllable_count(prepare(text))


def test_long_seed_notices_last_as_long_as_their_text(speech):
    for notice in seed_notices():
        wav = speech.speak(notice)
        # eSpeak at the normal rate speaks about three syllables a second, pauses included.
        assert 0.2 <= _seconds_per_syllable(wav, notice) <= 0.5, notice[:20]
        ogg = wav.with_suffix(".ogg")
        assert ogg.read_bytes()[:4] == b"OggS"
        assert 0 < ogg.stat().st_size < wav.stat().st_size / 4


def test_the_notice_title_that_trips_pyttsx3_is_complete(speech):
    wav = speech.speak(NOTICE)
    assert 0.2 <= _seconds_per_syllable(wav, NOTICE) <= 0.5


def test_slow_is_slower_than_normal_every_time(speech):
    # Alternating speeds: the engine's own rate setting lagged here, the stretch does not.
    texts = [NOTICE, "请于2017年9月13日前到村委会办理。", "银行营业时间调整的通知。"]
    for text in texts:
        normal = wav_duration(speech.speak(text, "normal"))
        slow = wav_duration(speech.speak(text, "slow"))
        assert slow == pytest.approx(normal / TEMPOS["slow"], rel=0.05)


def test_same_request_twice_synthesises_once(speech, monkeypatch):
    calls = []
    real = engine_module.worker()

    class Counting:
        def synthesise(self, prepared, target):
            calls.append(prepared)
            return real.synthesise(prepared, target)

    monkeypatch.setattr(services_module, "worker", lambda: Counting())
    first = speech.speak("请于2017年9月13日前到村委会办理。")
    count = len(calls)
    assert count >= 1
    assert speech.speak("请于2017年9月13日前到村委会办理。") == first
    assert len(calls) == count


def test_parts_answer_at_once_and_become_ready(speech):
    parts = speech.parts(seed_notices()[2])
    assert len(parts) > 3
    speech.wait_idle()
    again = speech.parts(seed_notices()[2])
    assert [part.key for part in again] == [part.key for part in parts]
    assert all(part.ready for part in again)


def _wav(path: Path, frames: bytes, declared: int | None = None) -> Path:
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(22050)
        audio.writeframes(frames)
    if declared is not None:  # a header promising more than the file holds
        data = bytearray(path.read_bytes())
        data[40:44] = (declared * 2).to_bytes(4, "little")
        path.write_bytes(bytes(data))
    return path


def test_check_refuses_missing_empty_silent_truncated_and_short_audio(tmp_path):
    prepared = prepare(NOTICE)
    noise = bytes(range(1, 255)) * 400
    with pytest.raises(SpeechError, match="没有生成音频文件"):
        check_wav(tmp_path / "missing.wav", prepared)
    with pytest.raises(SpeechError, match="是空的或不完整"):
        check_wav(_wav(tmp_path / "empty.wav", b""), prepared)
    with pytest.raises(SpeechError, match="是空的或不完整"):
        check_wav(_wav(tmp_path / "cut.wav", noise, declared=len(noise)), prepared)
    with pytest.raises(SpeechError, match="只有静音"):
        check_wav(_wav(tmp_path / "silent.wav", bytes(44100 * 6)), prepared)
    with pytest.raises(SpeechError, match="应当约"):
        check_wav(_wav(tmp_path / "short.wav", noise), prepared)


class SilentEngine:
    """An engine whose runAndWait returns without writing anything (the pyttsx3 trap)."""

    def setProperty(self, name, value):  # noqa: N802 - pyttsx3's API
        pass

    def save_to_file(self, text, filename):
        self.filename = filename

    def runAndWait(self):  # noqa: N802 - pyttsx3's API
        pass


def test_worker_fails_loudly_when_no_file_appears(tmp_path, monkeypatch):
    monkeypatch.setattr(engine_module, "FILE_WAIT_SECONDS", 0.1)
    monkeypatch.setattr(engine_module, "_new_engine", SilentEngine)
    worker = SpeechWorker()
    with pytest.raises(SpeechError, match="没有生成音频文件"):
        worker.synthesise(prepare(NOTICE), tmp_path / "out.wav")
    assert not (tmp_path / "out.wav").exists()
    assert list(tmp_path.iterdir()) == []


def test_a_failed_part_is_reported_then_tried_again_later(speech, monkeypatch):
    class Failing:
        def synthesise(self, prepared, target):
            raise SpeechError("no audio file was written")

    monkeypatch.setattr(services_module, "worker", lambda: Failing())
    speech.parts("银行营业时间调整的通知。")
    speech.wait_idle()
    [part] = speech.parts("银行营业时间调整的通知。")
    assert part.failed == "no audio file was written" and not part.ready
    monkeypatch.setattr(services_module, "RETRY_FAILED_AFTER_SECONDS", 0.0)
    monkeypatch.setattr(services_module, "worker", engine_module.worker)
    speech.parts("银行营业时间调整的通知。")
    speech.wait_idle()
    assert speech.parts("银行营业时间调整的通知。")[0].ready
