from sqlalchemy import select

from kiosk.audit.models import AuditEntry
from kiosk.broadcast.models import BroadcastRun, BroadcastSchedule
from tests.broadcast.conftest import add_notice, make_schedule_in


def _form(token: str, notice_id: int, **changes) -> dict:
    data = {
        "csrf_token": token,
        "name": "防火广播",
        "notice_ids": [str(notice_id)],
        "weekdays": ["1", "3", "5"],
        "times": "07:30, 18:00",
        "start_date": "2026-11-01",
        "end_date": "",
        "repeats": "2",
        "volume": "70",
        "chime": "y",
        "active": "y",
    }
    data.update(changes)
    return data


def _actions(app) -> list[str]:
    with app.extensions["kiosk_db"].session() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_broadcast_pages_need_a_hall_manager(app, client, make_user, auth):
    assert client.get("/admin/broadcast/").status_code == 302
    make_user("viewer", "viewer")
    auth.login("viewer")
    assert client.get("/admin/broadcast/").status_code == 403
    assert client.get("/admin/broadcast/log.csv").status_code == 403


def test_manager_creates_a_schedule_and_sees_it_in_the_week(app, client, make_user, auth):
    notice = add_notice(app)
    make_user()
    auth.login()
    assert "广播" in client.get("/admin/").get_data(as_text=True)
    token = auth.token("/admin/broadcast/new")
    response = client.post("/admin/broadcast/new", data=_form(token, notice))
    assert response.status_code == 302
    page = client.get("/admin/broadcast/").get_data(as_text=True)
    assert page.count("07:30 防火广播") == 3  # Monday, Wednesday, Friday
    assert "关于春季防火的通知" in page
    with app.extensions["kiosk_db"].session() as session:
        schedule = session.scalars(select(BroadcastSchedule)).one()
        assert (schedule.weekdays, schedule.times, schedule.repeats, schedule.volume) == (
            "135",
            "07:30,18:00",
            2,
            70,
        )
    assert "broadcast.create" in _actions(app)


def test_bad_schedule_input_is_named_and_nothing_is_saved(app, client, make_user, auth):
    notice = add_notice(app)
    make_user()
    auth.login()
    token = auth.token("/admin/broadcast/new")
    response = client.post("/admin/broadcast/new", data=_form(token, notice, times="25:00"))
    assert response.status_code == 400
    assert "25:00" in response.get_data(as_text=True)
    response = client.post("/admin/broadcast/new", data=_form(token, notice, weekdays=[]))
    assert "请至少选择一天" in response.get_data(as_text=True)
    response = client.post("/admin/broadcast/new", data=_form(token, notice, end_date="2026-10-01"))
    assert "结束日期不能早于开始日期" in response.get_data(as_text=True)
    with app.extensions["kiosk_db"].session() as session:
        assert session.scalars(select(BroadcastSchedule)).all() == []


def test_edit_play_now_download_delete_are_audited(app, client, make_user, auth):
    schedule_id = make_schedule_in(app, "08:00")
    notice = add_notice(app)
    make_user()
    auth.login()
    token = auth.token(f"/admin/broadcast/{schedule_id}/edit")
    assert (
        client.post(
            f"/admin/broadcast/{schedule_id}/edit", data=_form(token, notice, name="新名称")
        ).status_code
        == 302
    )
    assert (
        client.post(f"/admin/broadcast/{schedule_id}/play", data={"csrf_token": token}).status_code
        == 302
    )
    with app.extensions["kiosk_db"].session() as session:
        run = session.scalars(select(BroadcastRun)).one()
        assert (run.status, run.trigger, run.schedule_name) == ("queued", "manual", "新名称")
    assert client.get(f"/admin/broadcast/{schedule_id}/audio").status_code == 405  # audited
    with client.post(
        f"/admin/broadcast/{schedule_id}/audio", data={"csrf_token": token}
    ) as download:
        assert download.status_code == 200
        assert download.mimetype == "audio/wav"
        assert "attachment" in download.headers["Content-Disposition"]
        assert download.data[:4] == b"RIFF" and len(download.data) > 44100
    assert (
        client.post(
            f"/admin/broadcast/{schedule_id}/delete", data={"csrf_token": token}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/admin/broadcast/{schedule_id}/delete", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert _actions(app)[-4:] == [
        "broadcast.update",
        "broadcast.play_now",
        "broadcast.download",
        "broadcast.delete",
    ]
    # The log outlives the schedule.
    log = client.get("/admin/broadcast/log").get_data(as_text=True)
    assert "新名称" in log and "排队中" in log


def test_play_now_without_csrf_is_refused(app, client, make_user, auth):
    schedule_id = make_schedule_in(app, "08:00")
    make_user()
    auth.login()
    assert client.post(f"/admin/broadcast/{schedule_id}/play").status_code == 400


def test_log_exports_as_csv(app, client, make_user, auth):
    schedule_id = make_schedule_in(app, "08:00", name="=cmd")
    with app.extensions["kiosk_db"].session() as session:
        from kiosk.broadcast.services import queue_play_now

        queue_play_now(session, schedule_id, "manager")
    make_user()
    auth.login()
    response = client.get("/admin/broadcast/log.csv")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffrun,schedule,titles")
    assert "'=cmd" in text  # no formula injection into a spreadsheet
    assert ",manual," in text and ",queued," in text
