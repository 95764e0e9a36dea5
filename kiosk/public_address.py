"""Whether a phone can open the QR codes' address (一事一码).

Without KIOSK_PUBLIC_URL a QR code carries the address the screen reached the node by; on
a hall's box that is loopback or a private network, where no resident's phone can go.
"""

from __future__ import annotations

import ipaddress

SETTING = "KIOSK_PUBLIC_URL"


def phones_cannot_reach(public_url: str, host: str) -> str:
    """'' when the QR codes' address can be opened from a phone, else what to fix (Chinese).
    `host` is the node's own address (a Host header or the serve address, port allowed)."""
    if public_url.strip():
        return ""
    name = _host_name(host)
    if not _local(name):
        return ""
    return (
        "二维码里的地址是本机或内网地址，群众用手机扫码打不开。"
        f"请把设置 {SETTING} 设为手机能打开的公网地址，例如 https://zwfw.示范县.gov.cn，"
        "然后重启本节点。"
    )


def _host_name(host: str) -> str:
    host = host.strip()
    if host.startswith("["):  # [::1]:8080
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host


def _local(name: str) -> bool:
    lowered = name.lower().rstrip(".")
    if lowered in ("", "localhost") or lowered.endswith((".localhost", ".local", ".lan")):
        return True
    try:
        address = ipaddress.ip_address(lowered)
    except ValueError:
        return "." not in lowered  # a bare machine name resolves only on its own network
    return (
        address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified
    )
