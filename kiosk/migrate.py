"""Schema migrations with Alembic, run from code so `kiosk serve` and tests share them."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine


def include_object(
    _object: object, name: str | None, type_: str, _reflected: bool, _compare_to: object
) -> bool:
    """Autogenerate ignores the search index (an FTS5 table and its shadow tables)."""
    from kiosk.catalog.search_index import TABLE

    return not (type_ == "table" and name is not None and name.startswith(TABLE))


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", "kiosk:migrations")
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)
