"""What every HTML page shares: error pages in Chinese, the hall's local time, the CSRF field."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, Response, current_app, jsonify, render_template
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

from kiosk.settings import hall_zone
from kiosk.web import wants_json

# What a person is told for each refusal, in words a village clerk understands.
ERROR_TEXTS = {
    400: ("请求有误", "提交的内容不完整或格式不对，请返回检查后再试。"),
    401: ("需要登录", "请先登录后再使用此功能。"),
    403: ("没有权限", "您的账号没有做这件事的权限，如需要请联系县级管理员。"),
    404: ("页面不存在", "您要找的内容不存在，或已经撤下。"),
    405: ("操作方式不对", "这个地址不能这样使用，请从页面上的按钮进入。"),
    410: ("内容已撤下", "这项内容已不再公开。"),
    413: ("文件太大", "上传的文件超过了允许的大小。"),
    429: ("操作太频繁", "请稍等一会儿再试。"),
    500: ("系统出错", "系统暂时出了问题，请稍后再试；问题一直存在请联系管理员。"),
    503: ("系统忙", "系统正忙，请稍后再试。"),
}
TIME_FORMAT = "%Y-%m-%d %H:%M"


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, error_page)
    app.add_template_filter(local_time, "local")
    app.add_template_global(csrf_field)


def error_page(error: HTTPException) -> WerkzeugResponse | HTTPException:
    if error.code is None or error.code < 400:
        return error  # redirects raised as exceptions pass through
    title, text = ERROR_TEXTS.get(error.code, ERROR_TEXTS[500 if error.code >= 500 else 400])
    response: WerkzeugResponse
    if wants_json():
        body: dict[str, Any] = {"error": error.name.lower().replace(" ", "_"), "message": text}
        response = jsonify(body)
    else:
        response = Response(render_template("error.html", title=title, text=text))
    response.status_code = error.code
    for header in ("Retry-After", "WWW-Authenticate", "Allow"):
        if header in error.get_headers():
            response.headers[header] = dict(error.get_headers())[header]
    return response


def local_time(moment: datetime | None, form: str = TIME_FORMAT) -> str:
    """`{{ moment|local }}`: a stored (UTC) time as the hall's wall-clock time."""
    if moment is None:
        return "—"
    return wall_clock(moment, hall_zone(current_app.config), form)


def wall_clock(moment: datetime, zone: ZoneInfo, form: str = TIME_FORMAT) -> str:
    """A stored (UTC) time as the wall-clock time of `zone` (pages, and `kiosk` output)."""
    return moment.astimezone(zone).strftime(form)


def csrf_field() -> Markup:
    """`{{ csrf_field() }}` in every form that posts: the one way the CSRF token is put in."""
    return Markup('<input type="hidden" name="csrf_token" value="{}">').format(
        escape(generate_csrf())
    )
