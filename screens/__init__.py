"""Resident touch pages: home, browse, item, search, notices; read-aloud audio."""

from flask import Flask


def init_app(app: Flask) -> None:
    from screens.answers import blueprint as replies
    from screens.applications import blueprint as applications
    from screens.attachments import blueprint as attachment_files
    from screens.audio import blueprint as audio
    from screens.presentation import init_app as presentation
    from screens.public import blueprint as public
    from screens.views import blueprint

    app.register_blueprint(blueprint)
    app.register_blueprint(audio)
    app.register_blueprint(attachment_files)
    app.register_blueprint(replies)
    app.register_blueprint(applications)
    app.register_blueprint(public)
    presentation(app)
