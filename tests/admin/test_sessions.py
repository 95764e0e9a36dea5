"""Sign-in throttling that parallel guesses cannot outrun, sessions the server can end,
account names without case, and staff pages no cache keeps."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from kiosk.accounts.services import Throttled, authenticate, create_user, find_user
from kiosk.accounts.throttle import PER_ACCOUNT, PER_ACCOUNT_AND_ADDRESS
from kiosk.errors import InputError
from kiosk.serve import serve_in_thread
from tests.conftest import TEST_PASSWORD, Auth, csrf_token_of, signed_in


def _cookie(client) -> str:
    return client.get_cookie("session").value


def test_thirty_parallel_wrong_passwords_get_five_checks(app, make_user):
    make_user("manager")
    with serve_in_thread(app, threads=8) as url:

        def guess(_number: int) -> int:
            with requests.Session() as browser:
                page = browser.get(f"{url}/admin/login", timeout=30)
                token = csrf_token_of(page.text)
                answer = browser.post(
                    f"{url}/admin/login",
                    data={"name": "manager", "password": "wrong password!", "csrf_token": token},
                    allow_redirects=False,
                    timeout=30,
                )
                return answer.status_code

        with ThreadPoolExecutor(max_workers=10) as pool:
            statuses = list(pool.map(guess, range(30)))
    assert statuses.count(401) == PER_ACCOUNT_AND_ADDRESS.most
    assert statuses.count(429) == 30 - PER_ACCOUNT_AND_ADDRESS.most


def test_guessing_from_many_addresses_cannot_lock_the_owner_out_for_long(app, db, make_user):
    make_user("manager")
    # Guesses from other addresses: the owner's own address still gets in...
    for number in range(PER_ACCOUNT.most - 1):
        assert authenticate(db, "manager", "wrong password!", f"10.0.{number}.1") is None
    assert authenticate(db, "manager", TEST_PASSWORD, "192.168.1.5") is not None
    # ...and a correct password starts the count again.
    for number in range(PER_ACCOUNT.most):
        authenticate(db, "manager", "wrong password!", f"10.1.{number}.1")
    with pytest.raises(Throttled):  # past the account-wide bar: refused everywhere
        authenticate(db, "manager", TEST_PASSWORD, "192.168.1.5")
    db.commit()


def test_a_county_admin_unlocks_an_account(app, db, make_user):
    make_user("manager")
    for number in range(PER_ACCOUNT.most):
        authenticate(db, "manager", "wrong password!", f"10.2.{number}.1")
    with pytest.raises(Throttled):
        authenticate(db, "manager", "wrong password!", "10.3.0.1")
    db.commit()
    admin = signed_in(app, "boss", "county_admin")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "登录已锁定" in page
    user_id = find_user(db, "manager").id
    db.rollback()  # end this session's read snapshot: the unlock commits in another
    admin.post(f"/admin/users/{user_id}/unlock", data={"csrf_token": csrf_token_of(page)})
    assert authenticate(db, "manager", TEST_PASSWORD, "192.168.1.5") is not None


def test_a_cookie_saved_before_sign_out_no_longer_opens_the_admin(app, make_user):
    make_user("manager")
    client = app.test_client()
    auth = Auth(client)
    auth.login("manager")
    saved = _cookie(client)
    client.post("/admin/logout", data={"csrf_token": auth.token()})
    replay = app.test_client()
    replay.set_cookie("session", saved)
    assert replay.get("/admin/").status_code == 302  # to the sign-in page


@pytest.mark.parametrize("change", ["password", "role", "active"])
def test_a_new_password_or_role_ends_every_session(app, make_user, change):
    make_user("manager")
    staff = app.test_client()
    Auth(staff).login("manager")
    assert staff.get("/admin/").status_code == 200
    admin = signed_in(app, "boss", "county_admin")
    page = admin.get("/admin/users").get_data(as_text=True)
    with app.extensions["kiosk_db"].session() as session:
        user_id = find_user(session, "manager").id
    data = {
        "password": {"password": "a brand new password"},
        "role": {"role": "viewer"},
        "active": {"active": "0"},
    }[change]
    answer = admin.post(
        f"/admin/users/{user_id}/{change}", data={"csrf_token": csrf_token_of(page), **data}
    )
    assert answer.status_code == 303
    assert staff.get("/admin/").status_code == 302


def test_changing_ones_own_password_keeps_this_browser_and_ends_the_others(app, make_user):
    make_user("manager")
    here, elsewhere = app.test_client(), app.test_client()
    Auth(here).login("manager")
    Auth(elsewhere).login("manager")
    page = here.get("/admin/account").get_data(as_text=True)
    wrong = here.post("/admin/account", data={
        "csrf_token": csrf_token_of(page), "current": "not it at all",
        "password": "a brand new password", "confirm": "a brand new password"})  # fmt: skip
    assert wrong.status_code == 400 and "原密码不对" in wrong.get_data(as_text=True)
    here.post("/admin/account", data={
        "csrf_token": csrf_token_of(page), "current": TEST_PASSWORD,
        "password": "a brand new password", "confirm": "a brand new password"})  # fmt: skip
    assert here.get("/admin/").status_code == 200
    assert elsewhere.get("/admin/").status_code == 302


def test_names_are_compared_without_case(app, db, make_user):
    make_user("dupuser")
    with pytest.raises(InputError, match="已经有名为“DupUser”的用户了"):
        create_user(db, "DupUser", "viewer", TEST_PASSWORD, actor="test")
    db.rollback()
    assert authenticate(db, "DUPUSER", TEST_PASSWORD, "127.0.0.1") is not None


def test_staff_pages_are_never_cached(app, make_user):
    make_user("manager")
    client = app.test_client()
    assert client.get("/admin/login").headers["Cache-Control"] == "no-store"
    Auth(client).login("manager")
    assert client.get("/admin/").headers["Cache-Control"] == "no-store"


def test_the_secure_flag_for_nodes_served_over_https(app_factory):
    app = app_factory(KIOSK_SESSION_SECURE=1)
    create = app.extensions["kiosk_db"].session
    with create() as session:
        create_user(session, "manager", "hall_manager", TEST_PASSWORD, actor="test")
    answer = Auth(app.test_client()).login("manager")
    assert "Secure" in answer.headers["Set-Cookie"]
