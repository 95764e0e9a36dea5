from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.speech.engine import wav_duration


def _run(tmp_path, *args):
    env = {"KIOSK_INSTANCE_PATH": str(tmp_path / "node")}
    return CliRunner().invoke(cli, ["say", *args], env=env)


def test_say_writes_a_wav_and_an_ogg(tmp_path):
    result = _run(tmp_path, "请于2017年9月13日前到村委会办理。", "-o", str(tmp_path / "a.wav"))
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "Audio saved" not in result.output
    assert wav_duration(tmp_path / "a.wav") > 2
    notice = tmp_path / "notice.txt"
    notice.write_text("关于开展最低生活保障对象年度复核工作的通知", encoding="utf-8")
    result = _run(tmp_path, "--file", str(notice), "--rate", "slow", "-o", str(tmp_path / "n.ogg"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "n.ogg").read_bytes()[:4] == b"OggS"


def test_say_refuses_bad_input_with_one_line(tmp_path):
    assert "give either TEXT or --file F" in _run(tmp_path, "-o", str(tmp_path / "x.wav")).output
    result = _run(tmp_path, "   ", "-o", str(tmp_path / "x.wav"))
    assert result.exit_code == 1
    assert "没有要朗读的文字" in result.output
    result = _run(tmp_path, "你好", "-o", str(tmp_path / "missing" / "x.wav"))
    assert result.exit_code == 1
    assert "无法写入" in result.output
