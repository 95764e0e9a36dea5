"""Hall management at /admin/: sign-in, staff accounts, audit log."""

from flask import Flask


def init_app(app: Flask) -> None:
    from admin import (
        api_keys,
        applications,
        assessment,
        calendar,
        notices,
        questions,
        reviews,
        signage,
        usage,
        users,
    )
    from admin.broadcast import init_app as init_broadcast
    from admin.catalog import init_app as init_catalog
    from admin.nav import add_admin_link
    from admin.sync import init_app as init_sync_admin
    from admin.views import blueprint

    app.register_blueprint(blueprint)
    init_sync_admin(app)
    init_broadcast(app)
    users.init_app(app)
    api_keys.init_app(app)
    add_admin_link(app, "admin.audit", "审计日志", "county_admin")
    notices.init_app(app)
    reviews.init_app(app)
    questions.init_app(app)
    applications.init_app(app)
    calendar.init_app(app)
    assessment.init_app(app)
    usage.init_app(app)
    signage.init_app(app)
    init_catalog(app)
