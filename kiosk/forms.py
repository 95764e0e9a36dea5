"""The base of every web form: flask-wtf's CSRF check and WTForms' own Chinese messages."""

from __future__ import annotations

from flask_wtf import FlaskForm


class Form(FlaskForm):
    class Meta:
        # WTForms ships Chinese messages ("该字段是必填字段。"); the app turns off
        # flask-wtf's Babel lookup (WTF_I18N_ENABLED) so these are the ones used.
        locales = ("zh",)
