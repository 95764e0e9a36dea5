"""考核统计 at the centre (/admin/assessment/): the report for a month or a quarter, with
charts, tables and an .xlsx export."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from admin.nav import add_admin_link
from kiosk.accounts.auth import require_role
from kiosk.assessment.report import Figures, Report, assessment, parse_period
from kiosk.assessment.workbook import HEADER, figures_row, report_workbook
from kiosk.db import utcnow
from kiosk.exports import attachment
from kiosk.holidays import working_calendar
from kiosk.settings import hall_zone
from kiosk.web import db_session

blueprint = Blueprint("admin_assessment", __name__, url_prefix="/admin/assessment")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.add_template_filter(figures_row, "figures_row")
    app.add_template_filter(lambda row: (row.name, row.views, str(row.views)), "chart_views")
    app.add_template_filter(_satisfaction_bar, "chart_satisfaction")
    if app.config["KIOSK_ROLE"] == "central":
        add_admin_link(app, "admin_assessment.index", "考核统计", "viewer")


def _satisfaction_bar(row: Figures) -> tuple[str, float, str]:
    share = row.satisfaction
    return row.name, share or 0, "无评价" if share is None else f"{share:.1%}"


@blueprint.before_request
def central_only() -> None:
    if current_app.config["KIOSK_ROLE"] != "central":
        abort(404)


def _report() -> tuple[str, Report]:
    config = current_app.config
    zone = hall_zone(config)
    default = utcnow().astimezone(zone)
    period = request.args.get("period") or default.strftime("%Y-%m")
    return period, assessment(
        db_session(),
        parse_period(period),
        zone,
        working_calendar(config),
        config["KIOSK_ANSWER_DAYS"],
    )


@blueprint.get("/")
@require_role("viewer")
def index() -> ResponseReturnValue:
    period, report = _report()
    return render_template(
        "admin/assessment/index.html", period=period, report=report, header=HEADER
    )


@blueprint.get("/export.xlsx")
@require_role("viewer")
def export() -> ResponseReturnValue:
    period, report = _report()
    response = Response(report_workbook(report), mimetype=XLSX)
    response.headers["Content-Disposition"] = attachment(f"政务公开考核-{period}.xlsx")
    return response
