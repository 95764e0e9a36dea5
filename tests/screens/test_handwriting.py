"""手写: POST /search/handwriting through zinnia, its refusals, and the pad in the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kiosk.handwriting import MAX_POINTS, MAX_STROKES
from tests.screens.test_browser import in_viewport, tap

BOX = 300
# Strokes as a finger writes them on a 300×300 pad, in stroke order.
CHARACTERS = {
    "十": [[(40, 150), (150, 150), (260, 150)], [(150, 30), (150, 150), (150, 270)]],
    "人": [[(150, 20), (105, 130), (30, 240)], [(140, 100), (210, 200), (280, 280)]],
    "大": [
        [(40, 100), (150, 100), (260, 100)],
        [(150, 20), (145, 110), (110, 200), (40, 270)],
        [(150, 120), (200, 200), (270, 270)],
    ],
}


def strokes(character: str) -> list[list[list[int]]]:
    return [[list(point) for point in stroke] for stroke in CHARACTERS[character]]


@pytest.fixture
def client(demo_app):
    return demo_app.test_client()


@pytest.mark.parametrize("character", CHARACTERS)
def test_strokes_give_the_character_among_the_first_candidates(client, character):
    answer = client.post(
        "/search/handwriting",
        json={"width": BOX, "height": BOX, "strokes": strokes(character)},
    )
    assert answer.status_code == 200
    candidates = answer.json["candidates"]
    assert len(candidates) >= 8
    assert character in candidates[:3]


def far_too_many_points() -> list:
    stroke = [[1, 1]] * (MAX_POINTS // 2 + 1)
    return [stroke, stroke]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"width": BOX, "height": BOX, "strokes": []}, "没有笔画"),
        ({"width": BOX, "height": BOX, "strokes": [[[1, 1]]] * (MAX_STROKES + 1)}, "笔画太多"),
        ({"width": BOX, "height": BOX, "strokes": far_too_many_points()}, "点太多"),
        ({"width": BOX, "height": BOX, "strokes": [[[10, 10], [301, 10]]]}, "手写板外"),
        ({"width": BOX, "height": BOX, "strokes": [[[10, -1]]]}, "手写板外"),
        ({"width": BOX, "height": BOX, "strokes": [[["a", 1]]]}, "两个数"),
        ({"width": 0, "height": BOX, "strokes": [[[0, 0]]]}, "宽度"),
        ([1, 2], "JSON 对象"),
    ],
)
def test_bad_strokes_are_refused_in_chinese(client, body, says):
    answer = client.post("/search/handwriting", json=body)
    assert answer.status_code == 400
    assert says in answer.json["error"]


@pytest.mark.parametrize("body", [b"strokes please", b'{"width": NaN}', b""])
def test_what_is_not_json_is_refused_in_chinese(client, body):
    answer = client.post("/search/handwriting", data=body, content_type="application/json")
    assert answer.status_code == 400
    assert "JSON" in answer.json["error"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in answer.json["error"]), "said in Chinese"


def draw_with_touch(page, pad, character: str) -> None:
    """Touch events on the canvas, stroke by stroke, as a finger would."""
    box = pad.bounding_box()
    scale = box["width"] / BOX
    for stroke in CHARACTERS[character]:
        points = [(box["x"] + x * scale, box["y"] + y * scale) for x, y in stroke]
        page.evaluate(
            """([points, id]) => {
              const pad = document.getElementById("pad");
              const touch = ([x, y]) => new Touch({identifier: id, target: pad,
                clientX: x, clientY: y});
              const send = (type, point) => pad.dispatchEvent(new TouchEvent(type, {
                bubbles: true, cancelable: true, touches: type === "touchend" ? [] :
                [touch(point)], changedTouches: [touch(point)]}));
              send("touchstart", points[0]);
              points.slice(1).forEach((point) => send("touchmove", point));
              send("touchend", points[points.length - 1]);
            }""",
            [points, 1],
        )


def test_the_pad_recognises_touch_writing_and_adds_to_the_query(page, live_demo):
    page.goto(live_demo + "/search")
    tap(page, page.get_by_role("button", name="手写"))
    pad = page.locator("#pad")
    expect(pad).to_be_visible()
    for character in CHARACTERS:
        tap(page, page.get_by_role("button", name="重写"))
        draw_with_touch(page, pad, character)
        candidates = page.locator("#candidates button")
        expect(candidates.nth(7)).to_be_visible()
        first_three = [candidates.nth(i).inner_text() for i in range(3)]
        assert character in first_three, (character, first_three)
        box = candidates.first.bounding_box()
        assert box["width"] >= 64 and box["height"] >= 64
        assert in_viewport(page, candidates.first)
    tap(page, page.locator("#candidates button", has_text="大").first)
    expect(page.locator("#q")).to_have_value("大")
    expect(page.locator("#results .results-title")).to_be_visible()


def test_the_pad_also_works_with_a_mouse(page, live_demo):
    page.goto(live_demo + "/search")
    tap(page, page.get_by_role("button", name="手写"))
    box = page.locator("#pad").bounding_box()
    scale = box["width"] / BOX
    for stroke in CHARACTERS["十"]:
        (x0, y0), *rest = stroke
        page.mouse.move(box["x"] + x0 * scale, box["y"] + y0 * scale)
        page.mouse.down()
        for x, y in rest:
            page.mouse.move(box["x"] + x * scale, box["y"] + y * scale, steps=5)
        page.mouse.up()
    page.wait_for_function(  # once the last stroke is recognised
        """() => [...document.querySelectorAll("#candidates button")].slice(0, 3)
          .some((button) => button.textContent === "十")"""
    )
