"""Which files are needed where: every feature that uses files names them (a source), so
the centre knows what a hall may download, a hall knows what to fetch, and both know what
nothing uses any more."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask
from sqlalchemy.orm import Session

from kiosk.blobs.store import BlobStore

log = logging.getLogger("kiosk.blobs")


@dataclass(frozen=True)
class Need:
    sha256: str
    size: int
    label: str  # what a person reads in the status: 附件：低保申请表.pdf
    priority: int = 0  # lower first when the hall's space runs short


# source(session, region): the files used by what the node of `region` is shown (its
# region and the levels above), or every file the database uses when region is None.
Source = Callable[[Session, str | None], Iterable[Need]]
SOURCES: dict[str, Source] = {}


def register_source(name: str, source: Source) -> None:
    SOURCES[name] = source


def needs(session: Session, region: str | None = None) -> dict[str, Need]:
    found: dict[str, Need] = {}
    for source in SOURCES.values():
        for need in source(session, region):
            known = found.get(need.sha256)
            if known is None or need.priority < known.priority:
                found[need.sha256] = need
    return found


def collect_garbage(session: Session, store: BlobStore) -> int:
    """Remove the stored files that nothing uses any more; how many went."""
    used = set(needs(session))
    unused = store.stored() - used
    for sha256 in unused:
        store.remove(sha256)
    if unused:
        log.info("removed %d file(s) nothing uses any more", len(unused))
    return len(unused)


def forget_unused(session: Session, store: BlobStore, files: Iterable[str]) -> None:
    """Remove at once those of `files` nothing uses (the garbage job would, hours later)."""
    used = needs(session)
    for sha256 in files:
        if sha256 not in used:
            store.remove(sha256)


def store_of(app: Flask) -> BlobStore:
    store: BlobStore = app.extensions["kiosk_blobs"]
    return store


def garbage_job(app: Flask) -> None:
    with app.extensions["kiosk_db"].session() as session:
        collect_garbage(session, store_of(app))


def init_app(app: Flask) -> None:
    app.extensions["kiosk_blobs"] = BlobStore.of_app(app.config)
    app.extensions["kiosk_jobs"].register("blob-garbage", garbage_job, 6 * 3600)
