"""The admin menu: each feature adds its own pages, so the base template names none."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask


@dataclass(frozen=True)
class NavLink:
    endpoint: str
    label: str
    role: str  # the least role that sees the link


def add_admin_link(app: Flask, endpoint: str, label: str, role: str = "viewer") -> None:
    app.extensions.setdefault("admin_nav", []).append(NavLink(endpoint, label, role))


def admin_links(app: Flask) -> list[NavLink]:
    return app.extensions.get("admin_nav", [])
