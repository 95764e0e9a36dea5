"""The files themselves, under the instance folder as `blobs/ab/abcdef…` (the SHA-256 hex).

A file is written beside its final place and renamed once whole and hashed, so a file
under its name is always complete and always has that content.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from kiosk.errors import InputError

SHA256 = re.compile(r"[0-9a-f]{64}")
CHUNK = 1 << 20


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    head: bytes  # the first bytes, for telling the content type


class TooLarge(InputError):
    """The file is past the size limit; nothing was kept."""


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.staging = root / "staging"
        self.staging.mkdir(parents=True, exist_ok=True)

    @classmethod
    def of_app(cls, config: Mapping[str, Any]) -> BlobStore:
        """The node's store: in the shared folder, where every process of a centre sees it."""
        return cls(Path(config["KIOSK_SHARED_PATH"]) / "blobs")

    def path(self, sha256: str) -> Path:
        if not SHA256.fullmatch(sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def size_of(self, sha256: str) -> int:
        return self.path(sha256).stat().st_size

    def put(self, stream: IO[bytes], max_bytes: int, label: str = "文件") -> Stored:
        """Copy `stream` in, hashing it; TooLarge past `max_bytes` (nothing is kept)."""
        digest, size, head = hashlib.sha256(), 0, b""
        with self._partial() as partial, partial.open("wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(f"{label}超过了 {max_bytes // (1 << 20)} MB。", "file")
                head = head or chunk[:8192]
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
            sha256 = digest.hexdigest()
            self._place(partial, sha256)
        return Stored(sha256, size, head)

    def adopt(self, partial: Path, sha256: str) -> None:
        """Move a downloaded file in after its hash was checked."""
        self._place(partial, sha256)

    def _place(self, partial: Path, sha256: str) -> None:
        target = self.path(sha256)
        if target.exists():
            partial.unlink()  # the same content is here already
            return
        target.parent.mkdir(exist_ok=True)
        os.replace(partial, target)

    @contextmanager
    def _partial(self) -> Iterator[Path]:
        partial = self.staging / f"{secrets.token_hex(8)}.part"
        try:
            yield partial
        finally:
            partial.unlink(missing_ok=True)

    def remove(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)

    def stored(self) -> set[str]:
        return {
            path.name
            for folder in self.root.iterdir()
            if folder.is_dir() and len(folder.name) == 2
            for path in folder.iterdir()
            if SHA256.fullmatch(path.name)
        }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
