"""Handwriting recognition (手写) on the node, offline: Debian's libzinnia0 through its C API
with the tegaki-zinnia-simplified-chinese model.

`strokes_of` checks what a writing pad sent; `recognize` answers candidate characters,
best first. The model is opened once per process; zinnia's recognizer is not documented
as thread-safe, so classifications take turns.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import math
import threading
from pathlib import Path
from typing import Any

from kiosk.errors import InputError

MODEL = Path("/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model")
LIBRARY = "zinnia"
MAX_STROKES = 64
MAX_POINTS = 4096
MAX_SIDE = 10_000  # pixels of a pad; bigger is no screen of ours
CANDIDATES = 10

Stroke = list[tuple[int, int]]


class Unavailable(RuntimeError):
    """The recognizer cannot run here (library or model missing); the message is Chinese."""


def strokes_of(document: Any) -> tuple[int, int, list[Stroke]]:
    """(width, height, strokes) from {"width", "height", "strokes": [[[x, y], ...], ...]};
    InputError (Chinese) naming what is wrong."""
    if not isinstance(document, dict):
        raise InputError("请求内容应是 JSON 对象，含宽度、高度和笔画。")
    width = _side(document.get("width"), "宽度 width")
    height = _side(document.get("height"), "高度 height")
    strokes = document.get("strokes")
    if not isinstance(strokes, list) or not strokes:
        raise InputError("没有笔画：请先在手写板上写一个字。", "strokes")
    if len(strokes) > MAX_STROKES:
        raise InputError(f"笔画太多：一个字最多 {MAX_STROKES} 笔，请清除后重写。", "strokes")
    read: list[Stroke] = []
    points = 0
    for number, stroke in enumerate(strokes, start=1):
        if not isinstance(stroke, list) or not stroke:
            raise InputError(f"第 {number} 笔没有点。", "strokes")
        points += len(stroke)
        if points > MAX_POINTS:
            raise InputError(f"笔画的点太多（最多 {MAX_POINTS} 个），请清除后重写。", "strokes")
        read.append([_point(point, width, height, number) for point in stroke])
    return width, height, read


def _side(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_SIDE:
        raise InputError(f"{name} 应是 1 到 {MAX_SIDE} 之间的整数。", "size")
    return value


def _point(point: Any, width: int, height: int, number: int) -> tuple[int, int]:
    if (
        not isinstance(point, list)
        or len(point) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in point)
        or not all(math.isfinite(v) for v in point)
    ):
        raise InputError(f"第 {number} 笔有一个点不是 [x, y] 两个数。", "strokes")
    x, y = point
    if not (0 <= x <= width and 0 <= y <= height):
        raise InputError(f"第 {number} 笔有一个点在手写板外（{width}×{height} 之外）。", "strokes")
    return round(x), round(y)


class Recognizer:
    """One opened zinnia model."""

    def __init__(self, model: Path = MODEL) -> None:
        found = ctypes.util.find_library(LIBRARY)
        if found is None:
            raise Unavailable("手写识别暂时不可用：没有安装 libzinnia0。")
        if not model.is_file():
            raise Unavailable(
                "手写识别暂时不可用：没有安装 tegaki-zinnia-simplified-chinese 的模型。"
            )
        lib = ctypes.CDLL(found)
        pointer = ctypes.c_void_p
        lib.zinnia_recognizer_new.restype = pointer
        lib.zinnia_recognizer_open.argtypes = [pointer, ctypes.c_char_p]
        lib.zinnia_recognizer_destroy.argtypes = [pointer]
        lib.zinnia_recognizer_classify.argtypes = [pointer, pointer, ctypes.c_size_t]
        lib.zinnia_recognizer_classify.restype = pointer
        lib.zinnia_character_new.restype = pointer
        lib.zinnia_character_destroy.argtypes = [pointer]
        lib.zinnia_character_set_width.argtypes = [pointer, ctypes.c_size_t]
        lib.zinnia_character_set_height.argtypes = [pointer, ctypes.c_size_t]
        lib.zinnia_character_add.argtypes = [pointer, ctypes.c_size_t, ctypes.c_int, ctypes.c_int]
        lib.zinnia_result_size.argtypes = [pointer]
        lib.zinnia_result_size.restype = ctypes.c_size_t
        lib.zinnia_result_value.argtypes = [pointer, ctypes.c_size_t]
        lib.zinnia_result_value.restype = ctypes.c_char_p
        lib.zinnia_result_destroy.argtypes = [pointer]
        self.lib = lib
        self.handle = lib.zinnia_recognizer_new()
        if not lib.zinnia_recognizer_open(self.handle, str(model).encode()):
            lib.zinnia_recognizer_destroy(self.handle)
            raise Unavailable("手写识别暂时不可用：模型文件打不开。")
        self.lock = threading.Lock()

    def classify(self, width: int, height: int, strokes: list[Stroke]) -> list[str]:
        lib = self.lib
        with self.lock:
            character = lib.zinnia_character_new()
            try:
                lib.zinnia_character_set_width(character, width)
                lib.zinnia_character_set_height(character, height)
                for number, stroke in enumerate(strokes):
                    for x, y in stroke:
                        lib.zinnia_character_add(character, number, x, y)
                result = lib.zinnia_recognizer_classify(self.handle, character, CANDIDATES)
                if not result:
                    return []
                try:
                    return [
                        lib.zinnia_result_value(result, i).decode("utf-8")
                        for i in range(lib.zinnia_result_size(result))
                    ]
                finally:
                    lib.zinnia_result_destroy(result)
            finally:
                lib.zinnia_character_destroy(character)


_opened: Recognizer | None = None
_opening = threading.Lock()


def recognizer() -> Recognizer:
    """The process's recognizer, opened on first use."""
    global _opened
    with _opening:
        if _opened is None:
            _opened = Recognizer()
        return _opened


def recognize(document: Any) -> list[str]:
    """Candidate characters for one handwritten character, best first."""
    width, height, strokes = strokes_of(document)
    return recognizer().classify(width, height, strokes)
