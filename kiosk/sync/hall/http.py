"""HTTP to the central catalog with this node's token; failures become Chinese SyncErrors."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import requests
import urllib3

from kiosk.jsonio import BadJSON, strict_loads
from kiosk.sync.hall.deadline import Sockets, deadline_adapter
from kiosk.sync.hall.errors import SyncError

TIMEOUT = (10, 60)  # connect, each read; the whole request has its deadline on top
# A snapshot download may take its size at this rate (bytes a second, a poor village link)
# on top of the page deadline; slower than that it is cut and resumed next round.
FLOOR_RATE = 16 * 1024


def _unreachable(failure: requests.RequestException) -> SyncError:
    """The network failure in words, with the exception's class name for IT staff."""
    if isinstance(failure, requests.Timeout):
        what, advice = "县中心长时间没有回答", ""
    elif isinstance(failure, requests.ConnectionError):
        what, advice = "连不上县中心", "请检查本站的网络和 KIOSK_CENTRAL_URL；"
    else:
        what, advice = "县中心的回答中途断开", ""
    return SyncError(
        f"{what}（{failure.__class__.__name__}）：{advice}之后会自动再试，本站目录照常使用"
    )


class Central:
    """The central catalog's API, as this node calls it."""

    def __init__(self, base_url: str, token: str, page_timeout: float = 120) -> None:
        self.base = base_url.rstrip("/") + "/api/v1"
        self.page_timeout = page_timeout
        self.sockets = Sockets()
        self.http = requests.Session()
        for scheme in ("http://", "https://"):
            self.http.mount(scheme, deadline_adapter(self.sockets))
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.http.headers["User-Agent"] = "kiosk-hall-sync/1"

    def close(self) -> None:
        self.http.close()

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        too_slow = SyncError(
            f"县中心回答太慢：{method} {path} 在 {self.page_timeout:g} 秒内没有答完"
            "（KIOSK_SYNC_PAGE_TIMEOUT），这一次已放弃；之后会自动再试，本站目录照常使用"
        )
        try:
            with self.sockets.deadline(self.page_timeout):
                response = self.http.request(method, self.base + path, timeout=TIMEOUT, **kwargs)
                response.content  # noqa: B018 - read it all now: a cut-off body raises here
        except requests.RequestException as failure:
            raise (too_slow if self.sockets.expired else _unreachable(failure)) from None
        if self.sockets.expired:  # cut at the deadline, what was read may look whole
            raise too_slow
        if response.status_code == 401:
            raise SyncError(
                "县中心拒绝了本站的令牌（HTTP 401）：令牌已被吊销，或 KIOSK_NODE_TOKEN 填写有误"
            )
        return response

    def download(self, url: str, path: Path, size: int, what: str = "目录快照") -> None:
        """Fetch `url` into `path`, going on from the bytes already there (HTTP Range)."""
        have = path.stat().st_size if path.exists() else 0
        if have > size:
            path.unlink()
            have = 0
        if have == size:
            return
        headers = {"Range": f"bytes={have}-"} if have else {}
        allowed = self.page_timeout + (size - have) / FLOOR_RATE
        try:
            with (
                self.sockets.deadline(allowed),
                self.http.get(
                    urljoin(self.base + "/", url), headers=headers, stream=True, timeout=TIMEOUT
                ) as response,
            ):
                if response.status_code not in (200, 206):
                    raise SyncError(f"下载{what}时县中心回答 HTTP {response.status_code}")
                resumed = response.status_code == 206 and response.headers.get(
                    "Content-Range", ""
                ).startswith(f"bytes {have}-")
                with path.open("ab" if resumed else "wb") as handle:
                    # read1 hands over what arrived before a cut, so a resume loses none.
                    while chunk := response.raw.read1(1 << 16):
                        handle.write(chunk)
        except (requests.RequestException, urllib3.exceptions.HTTPError) as failure:
            got = path.stat().st_size if path.exists() else 0
            if self.sockets.expired:
                raise self._download_too_slow(allowed, got, size) from None
            raise SyncError(
                f"{what}下载中断，已收到 {got} / {size} 字节"
                f"（{failure.__class__.__name__}）；下一轮从断点接着下载"
            ) from None
        if self.sockets.expired:  # cut at the deadline: the file ends early, keep it
            raise self._download_too_slow(allowed, path.stat().st_size, size)

    @staticmethod
    def _download_too_slow(allowed: float, got: int, size: int) -> SyncError:
        return SyncError(
            f"目录快照下载太慢：{allowed:.0f} 秒内没有下完（按每秒至少 {FLOOR_RATE} "
            f"字节计），已收到 {got} / {size} 字节；下一轮从断点接着下载"
        )

    @staticmethod
    def json_of(response: requests.Response) -> Any:
        """The answer's JSON, read as strictly as every JSON the node takes (kiosk.jsonio)."""
        try:
            return strict_loads(response.content)
        except ValueError as bad:
            why = str(bad) if isinstance(bad, BadJSON) else "可能被网关或代理换成了错误页，或不完整"
            raise SyncError(
                f"县中心的回答不是可用的 JSON 数据（HTTP {response.status_code}，"
                f"{len(response.content)} 字节）：{why}"
            ) from None
