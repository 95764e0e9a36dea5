from sqlalchemy import select

from kiosk.outbox.models import OutboxEntry
from kiosk.outbox.services import enqueue, pending


def test_healthz_reports_database_and_role(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "role": "hall", "database": "ok"}


def test_every_response_has_security_headers_and_server_timing(client):
    response = client.get("/healthz")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Server-Timing"].startswith("app;dur=")


def test_outbox_entries_get_unique_idempotency_keys(db):
    first = enqueue(db, "rating", {"item": "A1", "rating": "满意"})
    second = enqueue(db, "rating", {"item": "A1", "rating": "满意"})
    db.commit()
    assert first.key != second.key
    assert [entry.id for entry in pending(db)] == [first.id, second.id]
    stored = db.scalars(select(OutboxEntry).where(OutboxEntry.id == first.id)).one()
    assert stored.payload == {"item": "A1", "rating": "满意"}
    assert stored.sent_at is None
