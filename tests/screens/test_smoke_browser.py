def test_home_renders_in_chromium(page, live_demo):
    page.goto(live_demo + "/")
    assert page.locator("h1").count() >= 1
