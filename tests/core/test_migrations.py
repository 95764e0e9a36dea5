from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from kiosk.db import Base, Database
from kiosk.migrate import alembic_config, downgrade, include_object, upgrade


def _database(tmp_path: Path) -> Database:
    return Database(f"sqlite:///{tmp_path / 'm.db'}")


def test_upgrade_from_empty_matches_the_models(tmp_path: Path):
    database = _database(tmp_path)
    upgrade(database.engine)
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": include_object})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    database.dispose()


def test_downgrade_one_step_and_upgrade_again(tmp_path: Path):
    database = _database(tmp_path)
    upgrade(database.engine)
    script = ScriptDirectory.from_config(alembic_config(database.engine))
    head = script.get_revision(script.get_current_head())
    downgrade(database.engine, "-1")
    with database.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head.down_revision
    upgrade(database.engine)
    tables = set(inspect(database.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    database.dispose()


def test_downgrade_to_base_leaves_no_table(tmp_path: Path):
    database = _database(tmp_path)
    upgrade(database.engine)
    downgrade(database.engine, "base")
    assert set(inspect(database.engine).get_table_names()) <= {"alembic_version"}
    database.dispose()


def test_signage_weekdays_become_iso_like_broadcast(tmp_path: Path):
    """Revision 0010: signage numbered Monday 0 … Sunday 6; now Monday 1 … Sunday 7."""
    database = _database(tmp_path)
    upgrade(database.engine, "0009")
    with database.engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO signage_playlist (name, is_default, is_attract, "
                "published_revision, changed_at, created_at) "
                "VALUES ('p', 0, 0, 0, '2026-01-01', '2026-01-01')"
            )
        )
        for days in ("06", "0123456", "5"):
            connection.execute(
                text(
                    "INSERT INTO signage_schedule (playlist_id, weekdays, windows, priority, "
                    "created_by, created_at) VALUES (1, :days, '[]', 0, '', '2026-01-01')"
                ),
                {"days": days},
            )
    stored = "SELECT weekdays FROM signage_schedule ORDER BY id"
    upgrade(database.engine)
    with database.engine.connect() as connection:
        assert connection.execute(text(stored)).scalars().all() == ["17", "1234567", "6"]
    downgrade(database.engine, "0009")
    with database.engine.connect() as connection:
        assert connection.execute(text(stored)).scalars().all() == ["06", "0123456", "5"]
    database.dispose()
