"""Admin pages of the sync: a hall's sync status, and the centre's hall nodes and tokens."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from admin.nav import add_admin_link
from kiosk.accounts.auth import acting_user, require_role
from kiosk.forms import Form
from kiosk.settings import hall_zone
from kiosk.sync.hall.status import sync_status
from kiosk.sync.inbox import received_counts, recent_received
from kiosk.sync.models import SyncNode
from kiosk.sync.nodes import NAME_MAX, add_node, list_nodes, revoke_node
from kiosk.web import db_session, form_change

blueprint = Blueprint("admin_sync", __name__, url_prefix="/admin", template_folder="templates")


class NodeForm(Form):
    name = StringField("节点名称", validators=[DataRequired(), Length(max=NAME_MAX)])
    region = StringField(
        "区域（如 示范县/城关镇/东村）", validators=[DataRequired(), Length(max=200)]
    )


class RevokeForm(Form):
    pass


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    if app.config["KIOSK_ROLE"] == "central":
        add_admin_link(app, "admin_sync.nodes", "大厅节点", "county_admin")
        add_admin_link(app, "admin_sync.received", "各大厅群众反馈", "viewer")
    else:
        add_admin_link(app, "admin_sync.status", "目录同步", "viewer")


def _central_only() -> None:
    if current_app.config["KIOSK_ROLE"] != "central":
        abort(404)


@blueprint.get("/sync")
@require_role("viewer")
def status() -> ResponseReturnValue:
    return render_template(
        "admin/sync/status.html",
        lines=sync_status(db_session()).lines(hall_zone(current_app.config)),
        central_url=current_app.config["KIOSK_CENTRAL_URL"],
    )


@blueprint.get("/received")
@require_role("viewer")
def received() -> ResponseReturnValue:
    """Centre: the residents' questions and ratings every hall has sent up."""
    _central_only()
    database = db_session()
    return render_template(
        "admin/sync/received.html",
        counts=received_counts(database),
        feedback=recent_received(database, ("usage.question", "usage.rating")),
    )


@blueprint.route("/nodes", methods=["GET", "POST"])
@require_role("county_admin")
def nodes() -> ResponseReturnValue:
    _central_only()
    form = NodeForm()
    database = db_session()
    issued = None
    if form.validate_on_submit():
        added = form_change(
            form,
            lambda: add_node(database, form.name.data, form.region.data, actor=acting_user().name),
        )
        if added is not None:
            node, token = added
            # Shown in this answer only, never put in the session cookie or a redirect.
            issued = {"name": node.name, "region": node.region, "token": token}
            form = NodeForm(formdata=None)
    response = render_template(
        "admin/sync/nodes.html",
        form=form,
        issued=issued,
        nodes=list_nodes(database),
        revoke_form=RevokeForm(),
    )
    return response


@blueprint.post("/nodes/<id:node_id>/revoke")
@require_role("county_admin")
def revoke(node_id: int) -> ResponseReturnValue:
    _central_only()
    database = db_session()
    node = database.get(SyncNode, node_id)
    if node is None:
        abort(404)
    revoke_node(database, node.name, actor=acting_user().name)
    flash(f"已吊销节点 {node.name} 的令牌", "ok")
    return redirect(url_for("admin_sync.nodes"))
