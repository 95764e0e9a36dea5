"""The answers tests run on the sync's real centre and halls (tests/sync/conftest.py)."""

from tests.sync.conftest import (  # noqa: F401 - fixtures used by the tests here
    backend,
    central,
    database_url,
    make_hall,
    postgres_server,
)
