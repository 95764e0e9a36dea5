"""Text preparation for eSpeak NG's Mandarin voice: what the engine would misread, spelled out.

eSpeak NG reads Arabic numerals as cardinals (2017年 becomes 两千十七年, 0931-1234567 a
huge number), picks one fixed reading for polyphones (银行 read yín xíng, 重庆 zhòng qìng)
and reads Latin letters as pinyin. `prepare` rewrites a text into what a person would say;
`split_sentences` cuts it so the first sentence can be synthesised and played first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, load_phrases_dict, pinyin
from pypinyin.constants import PHRASES_DICT
from pypinyin.seg.mmseg import seg

# Bumped whenever prepare() changes what is spoken, so cached audio is made again.
TEXT_VERSION = "4"

DIGITS = "零一二三四五六七八九"
# Phone numbers are read digit by digit with 1 as 幺, as switchboards say it.
PHONE_DIGITS = "零幺二三四五六七八九"
FULL_WIDTH = {
    code: code - 0xFEE0
    for code in (
        *range(0xFF10, 0xFF1A),
        *range(0xFF21, 0xFF3B),
        *range(0xFF41, 0xFF5B),
        0xFF05,
        0xFF0E,
    )
}
SMALL_UNITS = ("", "十", "百", "千")
BIG_UNITS = ("", "万", "亿", "万亿")

# Readings pypinyin's phrase list gets wrong for notices; loaded once at import.
load_phrases_dict(
    {
        "还款": [["huán"], ["kuǎn"]],
        "归还": [["guī"], ["huán"]],
        "退还": [["tuì"], ["huán"]],
        "长期": [["cháng"], ["qí"]],
        "朝阳": [["cháo"], ["yáng"]],
    }
)

# Latin letters as Chinese speakers name them; the pinyin voice would read "APP" as pinyin.
LETTER_NAMES = {
    "A": "ei1",
    "B": "bi4",
    "C": "xi1",
    "D": "di4",
    "E": "yi4",
    "F": "ai2 fu1",
    "G": "ji4",
    "H": "ai2 qi1",
    "I": "ai4",
    "J": "jie4",
    "K": "kai4",
    "L": "ai2 le5",
    "M": "ai2 mu5",
    "N": "en1",
    "O": "ou1",
    "P": "pi1",
    "Q": "kiu1",
    "R": "a4",
    "S": "ai2 si1",
    "T": "ti4",
    "U": "you1",
    "V": "wei1",
    "W": "da2 bu5 liu5",
    "X": "ai2 ke4 si1",
    "Y": "wai4",
    "Z": "zei4",
}
WORDS = {
    "APP": "应用",
    "App": "应用",
    "app": "应用",
    "WiFi": "无线网络",
    "WIFI": "无线网络",
    "Wi-Fi": "无线网络",
    "QQ": "扣扣",
    "PDF": "文件",
}

UNIT_AFTER = "元角分人户万亿亿个名份次套吨斤亩米公里平方项件所岁年天月周小时分钟秒倍家台辆条"
PHONE_CONTEXT = re.compile(r"(电话|热线|手机|联系方式|传真|拨打|咨询|号码|座机|Tel|TEL)[：:\s]*$")


def cardinal(number: int) -> str:
    """Chinese reading of a whole number: 10 → 十, 105 → 一百零五, 20000 → 二万."""
    if number < 0:
        return "负" + cardinal(-number)
    if number == 0:
        return "零"
    groups: list[int] = []
    while number:
        groups.append(number % 10000)
        number //= 10000
    if len(groups) > len(BIG_UNITS):
        return digits(str(sum(g * 10000**i for i, g in enumerate(groups))))
    spoken = ""
    need_zero = False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            need_zero = bool(spoken)
            continue
        part = _four_digits(group)
        if spoken and (need_zero or group < 1000):
            spoken += "零"
        spoken += part + BIG_UNITS[index]
        need_zero = False
    # 一十五 is said 十五 at the start of a number.
    return spoken[1:] if spoken.startswith("一十") else spoken


def _four_digits(group: int) -> str:
    spoken = ""
    zero = False
    for position in range(3, -1, -1):
        digit = group // 10**position % 10
        if digit == 0:
            zero = bool(spoken)
            continue
        if zero:
            spoken += "零"
            zero = False
        spoken += DIGITS[digit] + SMALL_UNITS[position]
    return spoken


def digits(text: str, table: str = DIGITS) -> str:
    return "".join(table[int(char)] for char in text if char.isdigit())


def decimal(text: str) -> str:
    whole, _, fraction = text.partition(".")
    spoken = cardinal(int(whole)) if whole else "零"
    return spoken + ("点" + digits(fraction) if fraction else "")


def _phone(match: re.Match[str]) -> str:
    groups = re.split(r"[-－—\s]+", match.group(0).strip())
    return "，".join(digits(group, PHONE_DIGITS) for group in groups if group) + "，"


def _document_number(match: re.Match[str]) -> str:
    # 蓝政办函〔2017〕34号 is said 蓝政办函二零一七年第三十四号.
    return f"{digits(match.group(1))}年第{cardinal(int(match.group(2)))}号"


def _date(match: re.Match[str]) -> str:
    year, month, day = match.group(1), match.group(2), match.group(3)
    spoken = f"{digits(year)}年{cardinal(int(month))}月"
    return spoken + (f"{cardinal(int(day))}日" if day else "")


def _clock(match: re.Match[str]) -> str:
    hour, minute = int(match.group(1)), int(match.group(2))
    return f"{cardinal(hour)}点" + (f"{cardinal(minute)}分" if minute else "")


def _unit_follows(text: str, end: int) -> bool:
    """Whether a unit (人, 元, 天…) follows the number ending at `end`. At the very end of the
    text nothing follows: `"" in UNIT_AFTER` would say yes and read a phone as a quantity."""
    after = text[end : end + 1]
    return bool(after) and after in UNIT_AFTER


def _number(text: str, start: int, end: int) -> str:
    """Any other run of digits: a phone-like run digit by digit, otherwise a cardinal."""
    run = text[start:end]
    unit = _unit_follows(text, end)
    before = text[max(0, start - 8) : start]
    if "." in run:
        return decimal(run)
    phone_like = (
        PHONE_CONTEXT.search(before) is not None
        or (len(run) == 11 and run.startswith("1") and not unit)
        or (len(run) >= 5 and not unit)
        or (len(run) > 1 and run.startswith("0"))
    )
    if phone_like:
        return digits(run, PHONE_DIGITS)
    return cardinal(int(run))


# Also takes 〔201742号, with the closing bracket lost as in seed 000.
DOCUMENT_NUMBER = re.compile(
    r"[〔\[［【(（]\s*((?:19|20)\d{2})\s*(?:[〕\]］】)）]\s*第?)?(\d{1,5})\s*号"
)
LIST_MARKER = re.compile(
    r"^[ \t　]*(?:[（(]([一二三四五六七八九十\d]+)[)）]|([一二三四五六七八九十]+)、|"
    r"(\d+)[.．、](?!\d)|([①-⑳]))[ \t　]*",
    re.MULTILINE,
)


def _list_marker(match: re.Match[str]) -> str:
    chinese, chinese_plain, number, circled = match.groups()
    if circled:
        return f"第{cardinal(ord(circled) - ord('①') + 1)}，"
    value = chinese or chinese_plain or number
    if value.isdigit():
        value = cardinal(int(value))
    return f"第{value}，"


def prepare(text: str) -> str:
    """Text → what eSpeak NG should be given: words spelled out, polyphones in pinyin."""
    return _polyphones(normalise(text))


def normalise(text: str) -> str:
    """Numbers, dates, document and phone numbers, marks and letters as Chinese words."""
    # Full-width digits and letters become ASCII; Chinese punctuation stays as it is.
    text = text.translate(FULL_WIDTH).replace("\r\n", "\n").replace("\r", "\n")
    text = LIST_MARKER.sub(_list_marker, text)
    # An address spelled letter by letter helps nobody; the screen and the notice show it.
    text = re.sub(
        r"(?:https?://|www\.)[\w./?=&%#:~+-]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
        "，网址见公告原文，",
        text,
    )
    for word, spoken in WORDS.items():
        text = text.replace(word, spoken)
    text = DOCUMENT_NUMBER.sub(_document_number, text)
    text = re.sub(
        r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(?:(\d{1,2})\s*[日号]?)?"
        r"(?=\D|$)",
        _date,
        text,
    )
    text = re.sub(
        r"((?:19|20)\d{2})\s*[-－—~～至]\s*((?:19|20)\d{2})年",
        lambda m: f"{digits(m.group(1))}年至{digits(m.group(2))}年",
        text,
    )
    text = re.sub(r"(\d{4})年", lambda m: digits(m.group(1)) + "年", text)
    text = re.sub(r"(?<!\d)(\d{1,2})[:：](\d{2})(?!\d)", _clock, text)
    text = re.sub(r"(?<=[点分])\s*[-—~～至]\s*(?=[零一二三四五六七八九十])", "至", text)
    text = re.sub(r"(?<![\d-])(?:0\d{2,3}[-－—\s]?)?\d{7,8}(?![\d.])", _phone_if_context, text)
    # 400-123-4567 and other numbers written in hyphenated groups.
    text = re.sub(r"(?<![\d-])\d{3,4}(?:[-－—]\d{3,4}){1,2}(?![\d-])", _phone, text)
    text = re.sub(r"(\d+(?:\.\d+)?)\s*[%％]", lambda m: "百分之" + decimal(m.group(1)), text)
    text = re.sub(r"(\d+(?:\.\d+)?)\s*[‰]", lambda m: "千分之" + decimal(m.group(1)), text)
    text = _replace_numbers(text)
    text = _punctuation(text)
    return re.sub(r" {2,}", " ", _letters(text)).strip()


def _phone_if_context(match: re.Match[str]) -> str:
    run = match.group(0)
    if "-" in run or "－" in run or "—" in run or not _unit_follows(match.string, match.end()):
        return _phone(match)
    return run


def _replace_numbers(text: str) -> str:
    out: list[str] = []
    position = 0
    for match in re.finditer(r"(?<![A-Za-z\d])\d+(?:\.\d+)?", text):
        out.append(text[position : match.start()])
        out.append(_number(text, match.start(), match.end()))
        position = match.end()
    out.append(text[position:])
    return "".join(out)


def _punctuation(text: str) -> str:
    text = re.sub(r"[《》“”‘’\"'「」『』〈〉]", "", text)
    # Brackets become short pauses around what they hold.
    text = re.sub(r"[〔\[［【(（]", "，", text)
    text = re.sub(r"[〕\]］】)）]", "，", text)
    text = re.sub(r"[—]{1,2}|--|……|…", "，", text)
    text = re.sub(r"[~～]", "至", text)
    text = text.replace("/", "或").replace("&", "和").replace("+", "加")
    text = re.sub(r"[|*#_=<>^`\\]", " ", text)
    text = re.sub(r"[,，、]\s*(?=[,，、。！？；：!?;:])", "", text)
    text = re.sub(r"^[，,\s]+", "", text, flags=re.MULTILINE)
    text = re.sub(r"[ \t　]+", " ", text)
    return re.sub(r"[,，]{2,}", "，", text).strip()


def _letters(text: str) -> str:
    def spell(match: re.Match[str]) -> str:
        return " " + " ".join(LETTER_NAMES[char] for char in match.group(0).upper()) + " "

    # Pinyin the text preparation itself wrote (letters plus tone digit) stays as it is.
    return re.sub(r"(?<![a-z])[A-Za-z]+(?![a-z0-9])", spell, text)


@lru_cache(maxsize=8192)
def _is_polyphone(char: str) -> bool:
    return len(pinyin(char, heteronym=True)[0]) > 1


HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _polyphones(text: str) -> str:
    """Polyphones inside a known word are written as that word's pinyin.

    eSpeak's dictionary gives most characters one fixed reading (行 xíng, 重 zhòng, 地 de);
    pypinyin's phrase list knows the reading in the word (银行 háng, 重庆 chóng, 地址 dì).
    A polyphone outside any known word stays Hanzi: there pypinyin only guesses too (it
    reads 很长 hěn zhǎng). Other characters stay Hanzi so eSpeak keeps its own prosody.
    """

    def convert(match: re.Match[str]) -> str:
        parts: list[str] = []
        for word in seg.cut(match.group(0)):
            if (
                len(word) < 2
                or word not in PHRASES_DICT
                or not any(_is_polyphone(char) for char in word)
            ):
                parts.append(word)
                continue
            readings = pinyin(word, style=Style.TONE3, neutral_tone_with_five=True)
            for char, reading in zip(word, readings, strict=True):
                parts.append(f" {reading[0]} " if _is_polyphone(char) else char)
        return "".join(parts)

    spoken = HAN_RUN.sub(convert, text)
    return re.sub(r" {2,}", " ", spoken).strip()


SENTENCE_END = re.compile(r"(?<=[。！？；!?;\n])")
CLAUSE_END = re.compile(r"(?<=[，,：:])")


def split_sentences(text: str, first_limit: int = 40, limit: int = 120) -> list[str]:
    """Cut prepared text at sentence ends; the first piece is short so it is ready soonest.

    A sentence longer than the limit is cut at its commas; pieces never split a word.
    """
    sentences = [piece.strip() for piece in SENTENCE_END.split(text) if piece.strip()]
    chunks: list[str] = []
    for sentence in sentences:
        budget = first_limit if not chunks else limit
        if len(sentence) <= budget:
            chunks.append(sentence)
            continue
        current = ""
        for clause in CLAUSE_END.split(sentence):
            budget = first_limit if not chunks else limit
            if current and len(current) + len(clause) > budget:
                chunks.append(current.strip())
                current = ""
            current += clause
            while len(current) > (first_limit if not chunks else limit):
                cut = _cut_point(current, first_limit if not chunks else limit)
                chunks.append(current[:cut].strip())
                current = current[cut:]
        if current.strip():
            chunks.append(current.strip())
    pieces = [chunk.lstrip(",，、；;：: ") for chunk in _merge_short(chunks, limit)]
    return [piece for piece in pieces if piece.strip(",，、。；;：: ")]


def _cut_point(text: str, limit: int) -> int:
    """Where to cut a clause with no comma: never inside a pinyin syllable."""
    cut = limit
    while cut > 1 and (
        text[cut - 1].isascii()
        and text[cut - 1].isalnum()
        or text[cut].isascii()
        and text[cut].isalnum()
    ):
        cut -= 1
    return cut


def _merge_short(chunks: list[str], limit: int, shortest: int = 8) -> list[str]:
    """Very short pieces join the one before them: each piece costs a pause and a request."""
    merged: list[str] = []
    for chunk in chunks:
        if (
            merged
            and len(merged) > 1
            and len(chunk) < shortest
            and len(merged[-1]) + len(chunk) <= limit
        ):
            merged[-1] += chunk
        else:
            merged.append(chunk)
    return merged


SYLLABLE = re.compile(r"[a-z]+[1-5]|[\u4e00-\u9fff]")


def syllable_count(prepared: str) -> int:
    """Spoken syllables in prepared text: one per Hanzi and one per pinyin syllable."""
    return len(SYLLABLE.findall(prepared))
