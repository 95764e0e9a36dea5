"""Which presentation a request gets: the node's role and KIOSK_PRESENTATION, never the
browser. Both through the same views and templates."""

from __future__ import annotations

import pytest

from kiosk.errors import InputError
from kiosk.settings import finish_settings, is_public, read_settings
from tests.screens.conftest import code_of

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"


@pytest.mark.parametrize(
    ("role", "chosen", "expected"),
    [
        ("hall", "auto", False),
        ("central", "auto", True),
        ("hall", "public", True),
        ("central", "kiosk", False),
    ],
)
def test_role_and_setting_decide(role, chosen, expected):
    assert is_public({"KIOSK_ROLE": role, "KIOSK_PRESENTATION": chosen}) is expected


def test_an_unknown_presentation_is_refused(tmp_path):
    config = read_settings({"KIOSK_PRESENTATION": "phone", "KIOSK_INSTANCE_PATH": str(tmp_path)})
    with pytest.raises(InputError, match="KIOSK_PRESENTATION must be one of auto, kiosk, public"):
        finish_settings(config)


@pytest.mark.parametrize(
    ("settings", "public"),
    [({}, False), ({"KIOSK_ROLE": "central"}, True), ({"KIOSK_PRESENTATION": "public"}, True)],
    ids=["hall", "centre", "hall-set-public"],
)
def test_same_pages_in_either_presentation(app_factory, settings, public):
    app = app_factory(demo=True, KIOSK_IDLE_SECONDS=5, **settings)
    client = app.test_client()
    code = code_of(app, "低保申请")
    # The user agent never matters: a phone at a hall still gets the kiosk.
    home = client.get("/", headers={"User-Agent": PHONE}).get_data(as_text=True)
    search = client.get("/search?q=dbsq").get_data(as_text=True)
    item = client.get(f"/items/{code}").get_data(as_text=True)
    assert ('data-presentation="public"' in home) is public
    assert ("data-idle-seconds" in home) is not public
    assert ('id="idle-warning"' in item) is not public
    assert ("data-attract-url" in home) is not public
    assert ('id="keyboard"' in search and 'id="pad-box"' in search) is not public
    assert ('inputmode="none"' in search + item) is not public
    assert ('id="keypad"' in item) is not public
    assert ("复制本页地址" in item) is public
    assert ('href="tel:07998123140"' in item) is public
    assert ("手机扫码继续看" in item) is not public
    for page in (home, search, item):
        assert "低保" in page or "搜索" in page
        assert "/admin" not in page and "/api/" not in page


def test_the_centre_shows_every_public_item_of_the_county(app_factory):
    """A centre set to the county's region still shows township and village items."""
    centre = app_factory(demo=True, KIOSK_ROLE="central", KIOSK_REGION="示范县")
    village = code_of(centre, "本地招聘岗位信息发布", "村级")
    assert village, "the demo county has village items"
    assert centre.test_client().get(f"/items/{village}").status_code == 200
    hall = app_factory(demo=True, name="hall", KIOSK_REGION="示范县")
    assert hall.test_client().get(f"/items/{village}").status_code == 404
