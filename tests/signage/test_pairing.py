"""A new screen shows a pairing code; a hall manager claims it and names it."""

from __future__ import annotations

import pytest

from kiosk.errors import InputError
from kiosk.signage import services
from kiosk.signage.models import Screen
from tests.signage.conftest import make_playlist, open_player


def test_new_screen_shows_a_code_until_claimed(signage_app, sdb, signed_in):
    player = signage_app.test_client()
    assert player.get("/player/lobby-1").status_code == 200
    assert player.post("/player/lobby-1/register").get_json()["paired"] is False
    state = player.get("/player/lobby-1/program.json").get_json()
    assert state["paired"] is False
    code = state["pairing_code"]
    assert len(code) == 6 and code.isdigit()
    # Asking again keeps the same code: the screen is not registered twice.
    assert player.get("/player/lobby-1/poll").get_json()["pairing_code"] == code

    manager = signed_in()
    reply = manager.post(
        "/admin/signage/screens/claim",
        data={"code": code, "name": "一楼大屏", "group_id": "", "csrf_token": manager.csrf},
        follow_redirects=True,
    )
    assert "已配对屏幕 一楼大屏" in reply.get_data(as_text=True)
    state = player.get("/player/lobby-1/program.json").get_json()
    assert state["paired"] is True
    assert state["screen"] == {"slug": "lobby-1", "name": "一楼大屏"}
    screen = services.get_screen(sdb, "lobby-1")
    assert screen.pairing_code is None


def test_wrong_code_is_refused_with_a_message(signage_app, signed_in):
    open_player(signage_app.test_client(), "lobby")
    manager = signed_in()
    reply = manager.post(
        "/admin/signage/screens/claim",
        data={"code": "000000x", "name": "屏", "csrf_token": manager.csrf},
        follow_redirects=True,
    )
    assert "没有正在等待配对码“000000x”的屏幕" in reply.get_data(as_text=True)


def test_a_claimed_code_cannot_be_claimed_again(sdb):
    screen = services.register_screen(sdb, "a")
    code = screen.pairing_code
    services.claim_screen(sdb, code, "甲", None, "manager")
    with pytest.raises(InputError, match="没有正在等待配对码"):
        services.claim_screen(sdb, code, "乙", None, "manager")


@pytest.mark.parametrize(
    ("slug", "status"),
    [
        ("preview", 400),
        ("media", 400),
        ("a b", 400),
        ("x" * 41, 400),
        ("名字", 400),
        ("attract", 404),  # the attract loop's own page: 404 while no playlist is marked
    ],
)
def test_bad_screen_addresses_are_refused(signage_app, sdb, slug, status):
    reply = signage_app.test_client().get(f"/player/{slug}")
    assert reply.status_code == status
    assert sdb.query(Screen).count() == 0


def test_unclaimed_screens_are_limited(sdb):
    for number in range(services.MAX_UNCLAIMED):
        services.register_screen(sdb, f"s{number}")
    with pytest.raises(InputError, match="等待配对的屏幕太多了"):
        services.register_screen(sdb, "one-more")
    assert services.register_screen(sdb, "s0").slug == "s0"  # known ones still work


def test_viewer_cannot_claim(signage_app, sdb, signed_in):
    open_player(signage_app.test_client(), "lobby")
    code = services.get_screen(sdb, "lobby").pairing_code
    viewer = signed_in("watcher", "viewer")
    reply = viewer.post(
        "/admin/signage/screens/claim", data={"code": code, "name": "屏", "csrf_token": viewer.csrf}
    )
    assert reply.status_code == 403
    sdb.expire_all()
    assert sdb.query(Screen).one().claimed_at is None


def test_heartbeat_shows_in_the_admin(signage_app, sdb, signed_in):
    make_playlist(sdb, "日常", [{"title": "公告一", "duration": 5}], default=True)
    screen = services.register_screen(sdb, "hall")
    services.claim_screen(sdb, screen.pairing_code, "大厅屏", None, "manager")
    sdb.commit()
    player = signage_app.test_client()
    open_player(player, "hall")  # binds this browser to the screen
    beat = player.post(
        "/player/hall/heartbeat",
        json={"entry": 1, "title": "公告一", "version": "abc", "viewport": "1920x1080"},
    )
    assert beat.status_code == 200
    page = signed_in("watcher", "viewer").get("/admin/signage/").get_data(as_text=True)
    assert "在线" in page and "公告一" in page and "1920x1080" in page


def test_only_the_bound_browser_speaks_for_a_paired_screen(signage_app, sdb, signed_in):
    first, second = signage_app.test_client(), signage_app.test_client()
    open_player(first, "lobby")
    code = first.get("/player/lobby/program.json").get_json()["pairing_code"]
    # Before pairing, another browser takes the screen over with a new code...
    open_player(second, "lobby")
    new_code = second.get("/player/lobby/program.json").get_json()["pairing_code"]
    assert new_code != code
    assert first.get("/player/lobby/poll").status_code == 403
    services.claim_screen(sdb, new_code, "大厅", None, "manager")
    sdb.commit()
    # ...after pairing, nobody else can: not the page, the program, nor reports.
    assert first.get("/player/lobby").status_code == 403
    assert first.get("/player/lobby/program.json").status_code == 403
    assert first.post("/player/lobby/heartbeat", json={}).status_code == 403
    assert first.post("/player/lobby/plays", json={"plays": []}).status_code == 403
    assert second.get("/player/lobby/program.json").get_json()["paired"] is True
    assert signage_app.test_client().get("/player/nobody/poll").status_code == 404

    manager = signed_in()
    screen = services.get_screen(sdb, "lobby")
    manager.post(f"/admin/signage/screens/{screen.id}/unpair", data={"csrf_token": manager.csrf})
    # Re-paired: the first browser to ask gets the new code (the replacement screen).
    open_player(first, "lobby")
    state = first.get("/player/lobby/program.json").get_json()
    assert state["paired"] is False and state["pairing_code"] not in (code, new_code)
    assert second.get("/player/lobby/poll").status_code == 403
