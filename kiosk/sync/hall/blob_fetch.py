"""Hall: one file of the blob store fetched from the centre, going on from where a cut left
it (HTTP Range into a staging file named by its hash) and checked against its SHA-256
before it joins the store."""

from __future__ import annotations

from kiosk.blobs.store import BlobStore, file_sha256
from kiosk.sync.hall.errors import SyncError
from kiosk.sync.hall.http import Central


def fetch_blob(central: Central, store: BlobStore, sha256: str, size: int, label: str) -> None:
    """Bring `sha256` here unless it is already; `label` names it in messages (县级文件“…”)."""
    if store.has(sha256):
        return
    partial = store.staging / f"{sha256}.download"
    central.download(f"blobs/{sha256}", partial, size, label)
    if file_sha256(partial) != sha256:
        partial.unlink()
        raise SyncError(f"{label}下载后校验不符，已丢弃，下一轮重新下载")
    store.adopt(partial, sha256)
