import pytest
from sqlalchemy import select

from kiosk.accounts.throttle import PER_ACCOUNT_AND_ADDRESS, PER_ADDRESS
from kiosk.audit.models import AuditEntry
from tests.conftest import TEST_PASSWORD, csrf_token_of


def test_admin_pages_need_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login" in response.headers["Location"]


def test_good_password_signs_in(client, make_user, auth):
    make_user("manager", "hall_manager")
    response = auth.login("manager")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_session_cookie_is_httponly_and_samesite(client, make_user, auth):
    make_user()
    response = auth.login()
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_bad_password_is_refused(client, make_user, auth):
    make_user()
    response = auth.login("manager", "wrong password!")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302


def test_unknown_user_gets_the_same_answer(client, auth):
    assert auth.login("nobody", "whatever123").status_code == 401


def test_login_is_throttled_per_account(client, make_user, auth):
    make_user()
    for _ in range(PER_ACCOUNT_AND_ADDRESS.most):
        assert auth.login("manager", "wrong password!").status_code == 401
    # Even the right password waits now.
    response = auth.login("manager", TEST_PASSWORD)
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302


def test_login_is_throttled_per_address(client, make_user, auth):
    make_user("victim")
    for number in range(PER_ADDRESS.most):
        auth.login(f"guess{number}", "wrong password!")
    assert auth.login("victim", TEST_PASSWORD).status_code == 429


def test_post_without_csrf_token_is_rejected(client, make_user):
    make_user()
    client.get("/admin/login")
    response = client.post("/admin/login", data={"name": "manager", "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_logout_needs_csrf_token(client, make_user, auth):
    make_user()
    auth.login()
    assert client.post("/admin/logout").status_code == 400
    assert client.get("/admin/").status_code == 200
    client.post("/admin/logout", data={"csrf_token": auth.token()})
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("role", ["viewer", "hall_manager"])
def test_roles_below_county_admin_cannot_manage_users(client, make_user, auth, role):
    make_user("someone", role)
    auth.login("someone")
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/audit").status_code == 403


def test_next_parameter_never_leaves_the_site(client, make_user):
    make_user()
    page = client.get("/admin/login?next=//evil.example/x")
    response = client.post(
        "/admin/login?next=//evil.example/x",
        data={
            "name": "manager",
            "password": TEST_PASSWORD,
            "csrf_token": csrf_token_of(page.get_data(as_text=True)),
        },
    )
    assert response.headers["Location"] == "/admin/"


def test_county_admin_creates_user_and_it_is_audited(app, client, make_user, auth, db):
    make_user("boss", "county_admin")
    auth.login("boss")
    response = client.post(
        "/admin/users",
        data={
            "name": "clerk",
            "role": "viewer",
            "password": "long enough pw",
            "csrf_token": auth.token("/admin/users"),
        },
    )
    assert response.status_code == 303
    entry = db.scalars(select(AuditEntry).where(AuditEntry.target == "user:clerk")).one()
    assert entry.actor == "boss"
    assert entry.action == "user.create"
    assert entry.after == {"name": "clerk", "role": "viewer"}
    assert "password" not in str(entry.after)
    audit_page = client.get("/admin/audit").get_data(as_text=True)
    assert "user:clerk" in audit_page


def test_duplicate_user_in_admin_gets_a_message(client, make_user, auth):
    make_user("boss", "county_admin")
    auth.login("boss")
    response = client.post(
        "/admin/users",
        data={
            "name": "boss",
            "role": "viewer",
            "password": "long enough pw",
            "csrf_token": auth.token("/admin/users"),
        },
        follow_redirects=True,
    )
    assert "已经有名为" in response.get_data(as_text=True)


def test_successful_login_is_audited(make_user, auth, db):
    make_user()
    auth.login()
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.actor == "manager")).all()
    assert "user.login" in actions
