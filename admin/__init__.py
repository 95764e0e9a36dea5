"""Hall management at /admin/: sign-in, staff accounts, audit log."""

from flask import Flask


def init_app(app: Flask) -> None:
    from admin import signage
    from admin.nav import add_admin_link
    from admin.views import blueprint

    app.register_blueprint(blueprint)
    add_admin_link(app, "admin.users", "用户", "county_admin")
    add_admin_link(app, "admin.audit", "审计日志", "county_admin")
    signage.init_app(app)
