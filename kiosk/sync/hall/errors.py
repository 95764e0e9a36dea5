"""What a sync round raises. Messages are Chinese: they are stored as the node's last error
and shown to the hall's staff on the admin sync page."""

from __future__ import annotations

import errno


class SyncError(Exception):
    """A sync round failed; the catalog is as it was before the failing page."""


class SyncBusy(Exception):
    """Another sync of this node is running."""


DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
NO_PERMISSION = (errno.EACCES, errno.EPERM, errno.EROFS)


def unexpected(failure: BaseException, instance_path: str) -> str:
    """What went wrong, for staff, when it was not the centre's answer: a full disk or
    missing permissions said as such (with what to do), anything else named for IT staff."""
    text = str(failure)
    number = failure.errno if isinstance(failure, OSError) else None
    if number in DISK_FULL or "database or disk is full" in text:
        return (
            f"本站磁盘已满，同步的内容无法保存（{failure.__class__.__name__}）：请清理 "
            f"{instance_path} 所在磁盘的空间；本站目录照常使用，之后会自动再试"
        )
    if number in NO_PERMISSION or "readonly database" in text:
        where = getattr(failure, "filename", None) or instance_path
        return (
            f"本站没有写入 {where} 的权限（{failure.__class__.__name__}）：请检查实例目录的"
            "文件权限；本站目录照常使用，之后会自动再试"
        )
    return (
        f"同步时出现意外错误（{failure.__class__.__name__}：{text[:200]}），详情见日志；"
        "本站目录照常使用，之后会自动再试"
    )
