from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.db import Base

# Depth of a path (number of segments) to the catalog level it holds.
LEVEL_BY_DEPTH = {1: "县级", 2: "乡级", 3: "村级"}


class Region(Base):
    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    # A retired region keeps its history but is offered nowhere any more.
    retired: Mapped[bool] = mapped_column(default=False)
    parent: Mapped[Region | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Region]] = relationship(back_populates="parent")

    @property
    def depth(self) -> int:
        return self.path.count("/") + 1

    @property
    def level(self) -> str:
        return LEVEL_BY_DEPTH[self.depth]
