"""What one sync round did, for the CLI and the log."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class SyncResult:
    pages: int = 0
    upserted: int = 0
    deleted: int = 0
    not_modified: bool = False
    outbox_sent: int = 0
    snapshot_cursor: int | None = None
    signage_files: int = 0  # county signage files that arrived complete
    attachment_files: int = 0  # item attachments that arrived complete

    def summary(self) -> str:
        if self.not_modified:
            catalog = "目录没有变化（HTTP 304）"
        else:
            catalog = (
                f"取得 {self.pages} 页变更：新增或更新 {self.upserted} 项，删除 {self.deleted} 项"
            )
        if self.snapshot_cursor is not None:
            catalog = f"已采用版本 {self.snapshot_cursor} 的目录快照；{catalog}"
        files = f"；收到县级信息发布文件 {self.signage_files} 个" if self.signage_files else ""
        if self.attachment_files:
            files += f"；收到事项附件 {self.attachment_files} 个"
        return f"{catalog}；送达上报记录 {self.outbox_sent} 条{files}"
