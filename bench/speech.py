"""Speech: which eSpeak NG Mandarin voice, and how soon the first sentence is ready.

Voice evidence: eSpeak's phoneme trace (`espeak-ng -x`) marks every switch to English with
"(en)"; the share of words spoken in English is what a resident hears as "guan one".
Timing: the target is the first sentence of a 300-character notice ready within 1.5 s,
measured with a cold cache (first use of the engine, then warm).

Run with `python -m bench.speech` (or `make bench`).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.harness import table, write_result
from kiosk.speech.engine import wav_duration
from kiosk.speech.services import SpeechService
from kiosk.speech.text import prepare, syllable_count

ROOT = Path(__file__).resolve().parents[1]
NOTICES = ROOT / "tests" / "speech" / "data" / "seed_notices.txt"
VOICES = ("cmn", "cmn-latn-pinyin")
POLYPHONES = {
    "银行": "X'a35N",
    "重庆": "ts.h'ong35",
    "会计": "kh'uai51",
    "地址": "t'i51",
    "作为": "w'ei35",
    "了解": "lj'Au",
    "处理": "ts.h'u35",
    "还款": "X'ua35n",
}
FIRST_SENTENCE_TARGET_SECONDS = 1.5


def notices() -> list[str]:
    lines = [
        line
        for line in NOTICES.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    return [notice.strip() for notice in "\n".join(lines).split("\n----\n")]


def trace(text: str, voice: str) -> str:
    return subprocess.run(
        ["espeak-ng", "-v", voice, "-q", "-x", text],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout


def english_share(phonemes: str) -> float:
    """Share of eSpeak's words spoken with the English phoneme set."""
    english = total = 0
    language = "cmn"
    for word in re.split(r"_\||\s+", phonemes):
        for switch in re.findall(r"\((\w+)\)", word):
            language = switch
        if re.sub(r"\(\w+\)", "", word).strip():
            total += 1
            english += language == "en"
    return english / total if total else 0.0


def compare_voices() -> list[dict[str, Any]]:
    rows = []
    for voice in VOICES:
        raw = [english_share(trace(notice, voice)) for notice in notices()]
        prepared = [english_share(trace(prepare(notice), voice)) for notice in notices()]
        polyphones_raw = sum(mark in trace(word, voice) for word, mark in POLYPHONES.items())
        polyphones_prepared = sum(
            mark in trace(prepare(word), voice) for word, mark in POLYPHONES.items()
        )
        rows.append(
            {
                "voice": voice,
                "english_raw": max(raw),
                "english_prepared": max(prepared),
                "polyphones_raw": polyphones_raw,
                "polyphones_prepared": polyphones_prepared,
            }
        )
    return rows


def first_sentence_timing() -> dict[str, Any]:
    text = notices()[2][:300]
    with tempfile.TemporaryDirectory() as folder:
        speech = SpeechService(Path(folder) / "audio")
        timings = {}
        for label, sample in (("cold", text), ("warm", notices()[0][:300])):
            started = time.perf_counter()
            while not speech.parts(sample)[0].ready:
                time.sleep(0.01)
            timings[label] = time.perf_counter() - started
            speech.wait_idle(timeout=300)
        started = time.perf_counter()
        wav = speech.speak(notices()[1])
        whole = time.perf_counter() - started
        spoken = wav_duration(wav)
        cached_started = time.perf_counter()
        speech.parts(text)
        cached = time.perf_counter() - cached_started
    return {
        "first_sentence_cold_s": timings["cold"],
        "first_sentence_warm_s": timings["warm"],
        "whole_notice_s": whole,
        "whole_notice_audio_s": spoken,
        "syllables": syllable_count(prepare(notices()[1])),
        "real_time_factor": whole / spoken,
        "cached_lookup_s": cached,
        "target_s": FIRST_SENTENCE_TARGET_SECONDS,
    }


def run() -> dict[str, Any]:
    return {"voices": compare_voices(), "timing": first_sentence_timing()}


def report(outcome: dict[str, Any]) -> str:
    voices = table(
        [
            "voice",
            "English words (raw)",
            "English words (prepared)",
            f"polyphones right raw /{len(POLYPHONES)}",
            f"prepared /{len(POLYPHONES)}",
        ],
        [
            [
                row["voice"],
                f"{row['english_raw']:.0%}",
                f"{row['english_prepared']:.0%}",
                row["polyphones_raw"],
                row["polyphones_prepared"],
            ]
            for row in outcome["voices"]
        ],
    )
    timing = outcome["timing"]
    times = table(
        ["measure", "value"],
        [
            ["first sentence, cold engine (s)", f"{timing['first_sentence_cold_s']:.2f}"],
            ["first sentence, warm (s)", f"{timing['first_sentence_warm_s']:.2f}"],
            ["target (s)", f"{timing['target_s']:.2f}"],
            ["whole 400-char notice, synthesis + Opus (s)", f"{timing['whole_notice_s']:.2f}"],
            ["its audio (s)", f"{timing['whole_notice_audio_s']:.1f}"],
            ["cached lookup (s)", f"{timing['cached_lookup_s']:.4f}"],
        ],
    )
    return voices + "\n\n" + times


def main() -> None:
    outcome = run()
    print("\n## Speech")
    print(report(outcome))
    write_result("speech", outcome)


if __name__ == "__main__":
    main()
