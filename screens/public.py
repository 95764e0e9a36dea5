"""The county's public site beside the resident pages: the standard catalog as the county
publishes it (per domain, a table of the 16 elements, filterable by level and region,
printable, as .xlsx and .csv), robots.txt and the sitemap of public items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from xml.sax.saxutils import escape

from flask import Blueprint, Response, abort, render_template, request, url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from kiosk.catalog.elements import ELEMENTS, LEVELS
from kiosk.catalog.models import Item
from kiosk.catalog.services import visible_items
from kiosk.exports import csv_download, xlsx_download
from kiosk.web import db_session, public_base
from screens.presentation import hall_region, public
from screens.services import domain_tiles

blueprint = Blueprint("public", __name__)
# The table's columns: the 16 elements (一级/二级分类 as two), then where the item belongs.
COLUMNS = [(element.field, element.label) for element in ELEMENTS] + [
    ("level", "层级"),
    ("region", "区域"),
    ("code", "事项编码"),
]
MAX_SITEMAP_URLS = 50_000  # the sitemap protocol's limit for one file


@dataclass(frozen=True)
class Filter:
    domain: str
    level: str
    region: str

    @classmethod
    def of_request(cls) -> Filter:
        args = request.args
        level = args.get("level", "")
        if level and level not in LEVELS:
            abort(404)
        return cls(args.get("domain", ""), level, args.get("region", ""))

    def items(self, session: Session) -> list[Item]:
        query = visible_items(hall_region()).where(Item.domain == self.domain)
        if self.level:
            query = query.where(Item.level == self.level)
        if self.region:
            query = query.where(
                or_(Item.region == self.region, Item.region.startswith(self.region + "/"))
            )
        return list(session.scalars(query.order_by(Item.category1, Item.category2, Item.name)))

    @property
    def file_name(self) -> str:
        parts = [self.domain, self.level, self.region.replace("/", "")]
        return "".join(part for part in parts if part) + "基层政务公开标准目录"


def _regions(session: Session, domain: str) -> list[str]:
    held = visible_items(hall_region()).where(Item.domain == domain).subquery()
    return sorted(session.scalars(select(held.c.region).distinct()))


@blueprint.get("/catalog")
def catalog():
    session, chosen = db_session(), Filter.of_request()
    if not chosen.domain:
        return render_template(
            "screens/catalog_domains.html", tiles=domain_tiles(session, hall_region())
        )
    items = chosen.items(session)
    if not items and not (chosen.level or chosen.region):
        abort(404)
    return render_template(
        "screens/catalog.html",
        chosen=chosen,
        items=items,
        columns=COLUMNS,
        levels=LEVELS,
        regions=_regions(session, chosen.domain),
    )


def _rows(items: list[Item]) -> list[list[object]]:
    return [[index, *(getattr(item, f) for f, _ in COLUMNS)] for index, item in enumerate(items, 1)]


@blueprint.get("/catalog/export.<kind>")
def catalog_export(kind: str):
    chosen = Filter.of_request()
    if kind not in ("csv", "xlsx") or not chosen.domain:
        abort(404)
    header = ["序号", *(label for _, label in COLUMNS)]
    rows = _rows(chosen.items(db_session()))
    if kind == "csv":
        return csv_download(chosen.file_name + ".csv", header, rows)
    return xlsx_download(chosen.file_name + ".xlsx", chosen.domain[:31], header, rows)


@blueprint.get("/robots.txt")
def robots():
    """The public site invites search engines to the items; a hall node's screens are not
    a site at all."""
    if not public():
        lines = ["User-agent: *", "Disallow: /"]
    else:
        sitemap_at = public_base().rstrip("/") + url_for("public.sitemap")
        lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /api/", "Disallow: /apply/"]
        lines += ["Disallow: /replies/", "Disallow: /audio/", f"Sitemap: {sitemap_at}"]
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


@blueprint.get("/sitemap.xml")
def sitemap():
    if not public():
        abort(404)
    base = public_base().rstrip("/")
    found = db_session().execute(
        visible_items(hall_region())
        .with_only_columns(Item.code, Item.changed_at)
        .order_by(Item.code)
        .limit(MAX_SITEMAP_URLS - 2)
    )
    urls = [f"<url><loc>{escape(base + url_for('screens.home'))}</loc></url>"]
    urls.append(f"<url><loc>{escape(base + url_for('public.catalog'))}</loc></url>")
    for code, changed in found:
        day = changed.replace(tzinfo=UTC).date().isoformat()
        address = escape(base + url_for("screens.item", code=code))
        urls.append(f"<url><loc>{address}</loc><lastmod>{day}</lastmod></url>")
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(urls)
        + "\n</urlset>\n"
    )
    return Response(body, mimetype="application/xml")
