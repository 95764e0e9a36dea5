from alembic import context

import kiosk.models  # noqa: F401 - registers every table on Base.metadata
from kiosk.db import Base
from kiosk.migrate import include_object

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
    )
    context.run_migrations()
