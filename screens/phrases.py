"""What the touch pages say back to a resident, written once: shown beside the control and,
when read-aloud is on, spoken (the audio endpoint speaks only these, by key)."""

from __future__ import annotations

from kiosk.usage.services import PHONE_MESSAGE

PHRASES = {
    "rated": "谢谢您的评价！",
    "asked": "您的问题已收到，工作人员会尽快处理。",
    "phone": PHONE_MESSAGE,
    "refused": "没有提交成功，请看屏幕上的提示。",
    "idle": "您还在使用吗？如果还要用，请按“继续使用”；不按的话，马上回到首页。",
}


def spoken_key(field: str | None) -> str:
    """The phrase spoken for a refused field: its own message when it has one."""
    return field if field in PHRASES else "refused"
