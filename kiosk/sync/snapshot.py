"""Whole-catalog snapshots of a node's scope, for first installs, long gaps and USB sticks.

A snapshot file is gzip JSON Lines: a header line (format, region, cursor, item count and
the SHA-256 and size of the item lines), then one item per line in code order. The same
scope at the same cursor always gives the same bytes, so a file is named by its SHA-256
and never changes; the centre builds them lazily, streaming the items to a temporary file
(never the whole scope in memory) and renaming it, keeps the newest few per region, and
keeps them in the shared folder, where every process of a centre finds them.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
import shutil
import tempfile
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.catalog.elements import PUBLIC_STATUSES
from kiosk.catalog.models import Item
from kiosk.errors import InputError
from kiosk.regions.services import lineage, normalise_path
from kiosk.sync.changes import current_version, item_document
from kiosk.sync.models import SyncNode

SNAPSHOT_FORMAT = 1
KIND = "kiosk-catalog-snapshot"
KEEP_PER_REGION = 3
MAX_UNPACKED = 1 << 30  # a snapshot larger than this unpacked is refused (a gzip bomb)


class SnapshotError(Exception):
    """A snapshot file is damaged or not a snapshot; nothing of it was applied. Messages
    are Chinese: a hall shows them to its staff."""


@dataclass(frozen=True)
class Snapshot:
    region: str
    cursor: int
    items: list[dict[str, Any]]


def _line(document: Any) -> bytes:
    return (
        json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
        + b"\n"
    )


def decode_snapshot(data: bytes) -> Snapshot:
    """The snapshot if the file is whole and matches its header; else SnapshotError."""
    try:
        unpacker = zlib.decompressobj(wbits=31)  # gzip; checks the CRC and length trailer
        text = unpacker.decompress(data, MAX_UNPACKED)
        if unpacker.unconsumed_tail or not unpacker.eof or unpacker.unused_data:
            raise SnapshotError("文件不完整、过大，或末尾多出了内容")
    except zlib.error as failure:
        raise SnapshotError(f"文件不是完整的 gzip 压缩包（{failure}）") from None
    first, _, body = text.partition(b"\n")
    try:
        header = json.loads(first)
    except ValueError:
        raise SnapshotError("第一行不是目录快照的文件头") from None
    if not isinstance(header, dict) or header.get("kind") != KIND:
        raise SnapshotError("这不是目录快照文件")
    if header.get("format") != SNAPSHOT_FORMAT:
        raise SnapshotError(f"快照格式版本 {header.get('format')!r} 本站不认识（请先升级本站软件）")
    for key in ("cursor", "items", "items_size"):
        if type(header.get(key)) is not int or header[key] < 0:
            raise SnapshotError(f"文件头的 {key} 缺失或不是整数")
    if not isinstance(header.get("region"), str) or not header["region"]:
        raise SnapshotError("文件头缺少 region（区域）")
    if len(body) != header["items_size"]:
        raise SnapshotError(f"事项部分有 {len(body)} 字节，文件头上是 {header['items_size']} 字节")
    if hashlib.sha256(body).hexdigest() != header.get("items_sha256"):
        raise SnapshotError("事项部分与文件头上的 SHA-256 不符")
    try:
        items = [json.loads(line) for line in body.splitlines()]
    except ValueError:
        raise SnapshotError("有一行事项不是 JSON") from None
    if len(items) != header["items"]:
        raise SnapshotError(f"文件里有 {len(items)} 项，文件头上是 {header['items']} 项")
    return Snapshot(header["region"], header["cursor"], items)


class _CountingWriter:
    """A file the gzip stream writes to, hashed and counted on the way."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.sha256.update(data)
        self.size += len(data)
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


def write_snapshot(session: Session, region: str, directory: Path) -> dict[str, Any]:
    """Write the snapshot of the public items of `region`'s scope now into `directory`, item
    by item (a province's scope never sits whole in memory); its manifest.

    The version is read before the items: a change committed in between is in the items
    and comes again in the feed after the cursor, which applying twice does not alter."""
    cursor, _purged = current_version(session)
    query = (
        select(Item)
        .where(Item.status.in_(PUBLIC_STATUSES), Item.region.in_(lineage(region)))
        .order_by(Item.code)
        .execution_options(yield_per=1000)
    )
    with tempfile.TemporaryFile(dir=directory, prefix=".tmp-") as body:
        body_sha256, count, size = hashlib.sha256(), 0, 0
        for item in session.scalars(query):
            line = _line(item_document(item))
            body.write(line)
            body_sha256.update(line)
            count += 1
            size += len(line)
        header = {
            "format": SNAPSHOT_FORMAT,
            "kind": KIND,
            "region": normalise_path(region),
            "cursor": cursor,
            "items": count,
            "items_sha256": body_sha256.hexdigest(),
            "items_size": size,
        }
        body.seek(0)
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        try:
            with os.fdopen(descriptor, "wb") as raw:
                counted = _CountingWriter(raw)
                # mtime=0 and no file name in the gzip header: the same content, the same bytes.
                with gzip.GzipFile(
                    filename="", mode="wb", compresslevel=6, fileobj=counted, mtime=0
                ) as packed:
                    packed.write(_line(header))
                    shutil.copyfileobj(body, packed, 1 << 20)
                raw.flush()
                os.fsync(raw.fileno())
            digest = counted.sha256.hexdigest()
            os.replace(temporary, directory / snapshot_name(digest))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return {
        "format": SNAPSHOT_FORMAT,
        "cursor": cursor,
        "items": count,
        "sha256": digest,
        "size": counted.size,
        "url": f"snapshots/{snapshot_name(digest)}",
    }


def snapshot_root(config: Mapping[str, Any]) -> Path:
    """Snapshots live in the shared folder: any process of a centre serves what another built."""
    return Path(config["KIOSK_SHARED_PATH"]) / "snapshots"


def region_dir(root: Path, region: str) -> Path:
    # Region paths are Chinese with slashes: a hash makes a safe directory name.
    return root / hashlib.sha256(normalise_path(region).encode()).hexdigest()[:16]


@contextmanager
def _build_lock(directory: Path) -> Iterator[None]:
    """One build at a time per region, across threads and processes."""
    descriptor = os.open(directory / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers see the old file or the whole new one, never a half-written one."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def snapshot_manifest(session: Session, root: Path, region: str) -> dict[str, Any]:
    """The manifest of `region`'s snapshot at the current version, building it if needed."""
    directory = region_dir(root, region)
    directory.mkdir(parents=True, exist_ok=True)
    cursor, _purged = current_version(session)
    manifest_path = directory / f"{cursor}.manifest.json"
    with _build_lock(directory):
        if manifest_path.exists():
            manifest = json.loads(manifest_path.read_text())
            if (directory / snapshot_name(manifest["sha256"])).exists():
                return manifest
        manifest = write_snapshot(session, region, directory)
        # Named by the version read inside the build, which may be newer than the one above.
        _write_atomically(
            directory / f"{manifest['cursor']}.manifest.json", json.dumps(manifest).encode()
        )
        _prune(directory)
        return manifest


def snapshot_name(digest: str) -> str:
    return f"{digest}.json.gz"


def _prune(directory: Path) -> None:
    """Keep the newest few manifests and the files they name; drop the rest. Called under
    the region's build lock."""
    manifests = sorted(
        directory.glob("*.manifest.json"),
        key=lambda path: int(path.name.split(".", 1)[0]),
        reverse=True,
    )
    kept = set()
    for path in manifests[:KEEP_PER_REGION]:
        kept.add(snapshot_name(json.loads(path.read_text())["sha256"]))
    for path in manifests[KEEP_PER_REGION:]:
        path.unlink(missing_ok=True)
    for path in directory.glob("*.json.gz"):
        if path.name not in kept:
            path.unlink(missing_ok=True)
    # Builds run under the region's lock: a temporary file seen here was left by a crash.
    for path in directory.glob(".tmp-*"):
        path.unlink(missing_ok=True)


def snapshot_file(root: Path, region: str, name: str) -> Path | None:
    """The file `name` of `region`'s snapshots, or None (unknown, pruned, another scope)."""
    if (
        len(name) != 72
        or not name.endswith(".json.gz")
        or any(c not in "0123456789abcdef" for c in name[:64])
    ):
        return None
    path = region_dir(root, region) / name
    return path if path.is_file() else None


def export_snapshot(session: Session, root: Path, node_name: str, output: Path) -> dict[str, Any]:
    """Write the snapshot of a node's scope to `output` (for a USB stick); its manifest."""
    node = session.scalar(select(SyncNode).where(SyncNode.name == node_name.strip()))
    if node is None:
        raise InputError(f"没有名为“{node_name}”的节点。")
    if node.revoked_at is not None:
        raise InputError(f"节点“{node.name}”已被吊销。")
    manifest = snapshot_manifest(session, root, node.region)
    if output.is_dir() or not output.parent.is_dir():
        raise InputError(f"无法写入 {output}：请给出已有文件夹里的文件名。")
    source = region_dir(root, node.region) / snapshot_name(manifest["sha256"])
    _write_atomically(output, source.read_bytes())
    return manifest
