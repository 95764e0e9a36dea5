import subprocess

import pytest

from kiosk.speech.engine import VOICE
from kiosk.speech.text import cardinal, normalise, prepare, split_sentences, syllable_count
from tests.speech.conftest import seed_notices


@pytest.mark.parametrize(
    ("number", "spoken"),
    [
        (0, "零"),
        (7, "七"),
        (10, "十"),
        (15, "十五"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1005, "一千零五"),
        (20000, "二万"),
        (100010, "十万零一十"),
        (258, "二百五十八"),
        (120000000, "一亿二千万"),
    ],
)
def test_cardinal_numbers(number, spoken):
    assert cardinal(number) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("2017年9月13日", "二零一七年九月十三日"),
        ("2017-11-15", "二零一七年十一月十五日"),
        ("蓝政办函〔2017〕34号", "蓝政办函二零一七年第三十四号"),
        ("国办发[2019]54号", "国办发二零一九年第五十四号"),
        # Seed 000 lost the closing bracket: still a document number.
        ("国办发〔201742号文件", "国办发二零一七年第四十二号文件"),
        ("咨询电话：0799-8123456。", "咨询电话：零七九九，八幺二三四五六。"),
        ("手机13912345678", "手机幺三九幺二三四五六七八"),
        ("拨打12345热线", "拨打幺二三四五热线"),
        ("占10%", "占百分之十"),
        ("不低于4％", "不低于百分之四"),
        ("97.5万人口", "九十七点五万人口"),
        ("258个村", "二百五十八个村"),
        ("100000元", "十万元"),
        ("9:00-17:00办公", "九点至十七点办公"),
        ("《条例》第3条", "条例第三条"),
        ("服务热线400-123-4567", "服务热线四零零，幺二三，四五六七，"),
        ("2019-2021年", "二零一九年至二零二一年"),
        ("详见http://www.gov.cn/zhengce/a.htm。", "详见，网址见公告原文。"),
    ],
)
def test_numbers_dates_and_document_numbers(text, spoken):
    assert normalise(text) == spoken


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # Nothing after the number: it is still read digit by digit, not as a quantity.
        ("请联系王主任13812345678", "请联系王主任幺三八幺二三四五六七八"),
        ("办理窗口8234567", "办理窗口八二三四五六七，"),
        ("编号 82345", "编号 八二三四五"),
        ("共有12345人", "共有一万二千三百四十五人"),
    ],
)
def test_a_phone_number_at_the_very_end_is_read_digit_by_digit(text, spoken):
    assert normalise(text) == spoken


def test_list_markers_and_brackets():
    text = "一、总体要求\n（一）工作目标\n1. 做好公示\n①加强领导\n对村（居）公示"
    assert normalise(text).splitlines() == [
        "第一，总体要求",
        "第一，工作目标",
        "第一，做好公示",
        "第一，加强领导",
        "对村，居，公示",
    ]


@pytest.mark.parametrize(
    ("text", "pinyin"),
    [
        ("中国银行", "hang2"),
        ("重庆市", "chong2"),
        ("会计", "kuai4"),
        ("地址", "di4"),
        ("按时还款", "huan2"),
        ("银行行长", "zhang3"),
    ],
)
def test_polyphones_are_spelled_in_pinyin(text, pinyin):
    assert pinyin in prepare(text).split()


def test_polyphone_outside_a_known_word_is_left_to_espeak():
    # pypinyin would guess zhǎng here; eSpeak's own cháng is right.
    assert "长" in prepare("很长的时间")


def test_latin_letters_are_spelled_and_known_words_translated():
    assert normalise("下载APP") == "下载应用"
    assert normalise("QR") == "kiu1 a4"


def _trace(text: str, voice: str = VOICE) -> str:
    return subprocess.run(
        ["espeak-ng", "-v", voice, "-q", "-x", text],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def test_chosen_voice_speaks_every_seed_notice_as_mandarin():
    # The plain `cmn` voice switches to English for most syllables: "(en)" in its trace.
    for notice in seed_notices():
        assert "(en)" not in _trace(prepare(notice))
    assert "(en)" in _trace("关于开展最低生活保障对象年度复核工作的通知", "cmn")


def test_espeak_reads_the_fixed_polyphones_right():
    trace = _trace(prepare("中国银行在重庆"))
    assert "X'a35N" in trace  # háng, not xíng
    assert "ts.h'ong35" in trace  # chóng, not zhòng


def test_split_keeps_everything_and_the_first_piece_is_short():
    for notice in seed_notices():
        prepared = prepare(notice)
        pieces = split_sentences(prepared)
        assert len(pieces) > 2
        assert len(pieces[0]) <= 40
        assert "".join(pieces).replace(" ", "") == "".join(prepared.split())
        assert all(len(piece) <= 120 for piece in pieces)


def test_every_seed_notice_is_long_and_keeps_its_syllables():
    for notice in seed_notices():
        assert len(notice) >= 300
        assert syllable_count(prepare(notice)) >= 300
