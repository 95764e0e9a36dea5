"""An item's summary for the top of its page, in the order a resident asks: what it is,
where to go and whom to call, how long it takes, what to bring. Taken from the guide's
【...】 sections when it has them; what a guide does not say is left out, never guessed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kiosk.catalog.models import Item

WHAT = ("事项说明", "事项简介", "基本情况")
WHERE = ("办理地点", "受理地点", "办理窗口")
PHONE = ("咨询电话", "联系电话", "咨询方式")
HOW_LONG = ("办理时限", "承诺时限", "办结时限")
BRING = ("申请材料", "所需材料", "办理材料")
WHAT_CHARS = 60
NUMBERED = re.compile(r"(?:^|[；;])\s*\d+[.、．]\s*")


@dataclass(frozen=True)
class Summary:
    what: str
    where: str
    call: str
    how_long: str
    bring: list[str]


def _first(sections: dict[str, str], headings: tuple[str, ...]) -> str:
    return next((sections[h] for h in headings if sections.get(h)), "")


def _one_line(text: str) -> str:
    sentence = re.split(r"(?<=[。！？])", text.strip(), maxsplit=1)[0].strip()
    return sentence if len(sentence) <= WHAT_CHARS else sentence[: WHAT_CHARS - 1] + "…"


def _materials(text: str) -> list[str]:
    parts = [part.strip(" ；;。") for part in NUMBERED.split(text)]
    parts = [part for part in parts if part]
    if len(parts) <= 1:
        parts = [part.strip(" 。") for part in re.split(r"[；;]", text) if part.strip(" 。")]
    return parts


def summary_of(item: Item, sections: list[tuple[str, str]]) -> Summary:
    """The summary of `item` whose content reads as `sections` ([(heading, text)])."""
    held = {heading: text for heading, text in sections}
    plain = next((text for heading, text in sections if not heading), "")
    phone = _first(held, PHONE).rstrip("。 ")
    return Summary(
        what=_one_line(_first(held, WHAT) or plain or item.name),
        where=_first(held, WHERE),
        call=f"{item.publisher} · {phone}" if phone and item.publisher else phone or item.publisher,
        how_long=_first(held, HOW_LONG),
        bring=_materials(_first(held, BRING)),
    )
