"""The touch pages in headless Chromium at 1080x1920 and 1920x1080, driven by taps only."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import expect

from kiosk.serve import serve_in_thread
from tests.screens.conftest import save_screenshot

# Every visible control a finger must hit, and the text that must be readable.
MEASURE = """() => {
  const visible = (el) => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden"; };
  const small = [...document.querySelectorAll("a, button, input, summary, label.choice-label")]
    .filter(visible).filter((el) => !el.closest("[hidden]"))
    .filter((el) => !el.matches("label input"))  // the whole label is the target
    .map((el) => [el.textContent.trim().slice(0, 20), el.getBoundingClientRect()])
    .filter(([, r]) => r.width < 64 || r.height < 64)
    .map(([t, r]) => `${t} ${r.width}x${r.height}`);
  const tiny = [...document.querySelectorAll("body *")].filter(visible)
    .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
    .filter((el) => parseFloat(getComputedStyle(el).fontSize) < 24)
    .map((el) => el.textContent.trim().slice(0, 20));
  return {overflow: document.documentElement.scrollWidth - window.innerWidth, small, tiny};
}"""


def check_touch_layout(page) -> None:
    # Measured once the page and its stylesheets have loaded (a busy machine is slow to).
    page.wait_for_load_state("load")
    measured = page.evaluate(MEASURE)
    assert measured["overflow"] <= 0, "page scrolls sideways"
    assert measured["small"] == [], "touch targets under 64 px"
    assert measured["tiny"] == [], "text under 24 px"


def tap(page, locator) -> None:
    """A touch-like press: the pages are built for fingers, so no hover is ever needed."""
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_browse_to_an_item_by_taps_and_back(page, live_demo):
    page.goto(live_demo + "/")
    check_touch_layout(page)
    save_screenshot(page, "home")
    tap(page, page.get_by_role("link", name=re.compile("社会救助")))
    expect(page.locator("h1")).to_contain_text("社会救助")
    check_touch_layout(page)
    tap(page, page.get_by_role("link", name=re.compile("最低生活保障")))
    tap(page, page.get_by_role("link", name=re.compile("办事指南")))
    expect(page.locator(".path")).to_contain_text("办事指南")
    tap(page, page.get_by_role("link", name=re.compile("^低保申请")).first)
    expect(page.locator("h1")).to_have_text("低保申请")
    check_touch_layout(page)
    save_screenshot(page, "item")
    back = page.locator("a.back")
    position = back.bounding_box()
    tap(page, back)
    expect(page.locator("h1")).to_have_text("办事指南")
    assert page.locator("a.back").bounding_box() == position, "back stays in one place"


def test_search_by_pinyin_initials_on_the_screen_keyboard(page, live_demo):
    page.goto(live_demo + "/search")
    for letter in "dbsq":
        tap(page, page.locator(f'#keyboard [data-key="{letter}"]'))
    expect(page.locator("#q")).to_have_value("dbsq")
    expect(page.locator("#results mark").first).to_have_text("低保申请")
    assert "q=dbsq" in page.url
    check_touch_layout(page)
    save_screenshot(page, "search")
    tap(page, page.locator('#keyboard [data-key="clear"]'))
    tap(page, page.locator('#keyboard [data-word="养老"]'))
    expect(page.locator("#results")).to_contain_text("养老")


def test_switch_to_traditional_and_back(page, live_demo):
    page.goto(live_demo + "/")
    tap(page, page.get_by_role("link", name="繁體"))
    expect(page.locator("h1")).to_contain_text("政務公開")
    assert page.evaluate("document.documentElement.lang") == "zh-Hant"
    tap(page, page.get_by_role("link", name=re.compile("社會救助")))
    expect(page.locator("h1")).to_contain_text("社會救助")
    tap(page, page.get_by_role("link", name="簡體"))
    expect(page.locator("h1")).to_contain_text("社会救助")


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"]
    )


def test_rate_and_ask_answer_beside_the_button_without_reloading(page, live_demo, demo_code):
    page.goto(f"{live_demo}/items/{demo_code('低保申请')}")
    page.evaluate("window.samePage = true")  # lost if the page reloads
    tap(page, page.get_by_role("button", name="满意", exact=True))
    thanks = page.locator("[data-said-ok=rating][role=status]")
    expect(thanks).to_have_text("谢谢您的评价！")
    assert in_viewport(page, thanks)
    tap(page, page.locator("summary", has_text="我有问题要问"))
    tap(page, page.locator("label", has_text="希望工作人员联系我"))
    for digit in "12345":
        tap(page, page.locator(f'#keypad [data-key="{digit}"]'))
    tap(page, page.get_by_role("button", name="提交问题"))
    refused = page.locator("[data-said-error=question][role=alert]")
    expect(refused).to_contain_text("电话号码不对")
    assert in_viewport(page, refused)
    tap(page, page.locator('#keypad [data-key="clear"]'))
    for digit in "13800138000":
        tap(page, page.locator(f'#keypad [data-key="{digit}"]'))
    expect(page.locator("#phone")).to_have_value("13800138000")
    tap(page, page.get_by_role("button", name="提交问题"))
    received = page.locator("[data-said-ok=question][role=status]")
    expect(received).to_contain_text("您的问题已收到，工作人员会尽快处理。")
    expect(received).to_contain_text(re.compile(r"回复码是 \d{3} \d{3} \d{4}"))
    expect(refused).to_have_text("")
    assert in_viewport(page, received)
    assert page.evaluate("window.samePage") is True
    # The reply code's own page (查回复), with its QR code, is one touch away.
    tap(page, received.get_by_role("link", name="回复码和二维码"))
    expect(page.locator("h1")).to_contain_text("您的问题已收到")
    expect(page.locator(".reply-code")).to_contain_text(re.compile(r"\d{3} \d{3} \d{4}"))


def test_answers_are_spoken_once_read_aloud_is_on(page, live_demo, demo_code):
    page.goto(f"{live_demo}/items/{demo_code('低保申请')}")
    page.evaluate("sessionStorage.setItem('kiosk-read-aloud', '1')")  # as the 朗读 button does
    tap(page, page.get_by_role("button", name="满意", exact=True))
    expect(page.locator("[data-said-ok=rating]")).to_have_text("谢谢您的评价！")
    page.wait_for_function(
        "() => { const a = document.getElementById('voice'); return a.currentSrc &&"
        " a.readyState >= 2 && a.duration > 0; }",
        timeout=30000,
    )


def test_feedback_without_script_still_posts_and_answers_beside_the_buttons(
    browser, live_demo, demo_code
):
    context = browser.new_context(
        viewport={"width": 1080, "height": 1920}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_demo}/items/{demo_code('低保申请')}")
    page.get_by_role("button", name="满意", exact=True).click()
    expect(page.locator("[data-said-ok=rating]")).to_have_text("谢谢您的评价！")
    assert in_viewport(page, page.locator("[data-said-ok=rating]"))
    context.close()


@pytest.fixture
def impatient_hall(app_factory):
    """A hall whose idle timer runs out after one second, warning for two."""
    app = app_factory(
        demo=True, name="impatient", KIOSK_IDLE_SECONDS=1, KIOSK_IDLE_WARNING_SECONDS=2
    )
    with serve_in_thread(app) as url:
        yield url


def test_idle_warning_can_be_dismissed_then_returns_home_forgetting_input(page, impatient_hall):
    page.goto(impatient_hall + "/search")
    tap(page, page.get_by_role("link", name="繁體"))
    tap(page, page.locator('#keyboard [data-key="d"]'))
    warning = page.locator("#idle-warning")
    expect(warning).to_be_visible(timeout=5000)
    tap(page, page.locator("#idle-continue"))
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=5000)
    page.wait_for_url(impatient_hall + "/", timeout=8000)
    expect(page.locator("h1")).to_contain_text("政务公开")  # simplified again
    page.goto(impatient_hall + "/search")
    expect(page.locator("#q")).to_have_value("")


def test_item_qr_code_decodes_to_the_items_address(page, live_demo, demo_app, demo_code):
    with_address = demo_code("低保申请")
    without = demo_code("低保申请", level="村级")
    page.goto(f"{live_demo}/items/{with_address}")
    assert decode_qr(page) == page.locator("img.qr").get_attribute("alt").split("：", 1)[1]
    assert decode_qr(page).startswith("https://zwfw.shifanxian.example/items/")
    page.goto(f"{live_demo}/items/{without}")
    assert decode_qr(page) == f"{live_demo}/items/{without}"


def decode_qr(page) -> str:
    """Read the QR code off a screenshot of the page, as a phone camera would."""
    image = page.locator("img.qr").screenshot()
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-"], input=image, capture_output=True, check=True
    )
    return result.stdout.decode().strip()
