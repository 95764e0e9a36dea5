"""The Flask extension objects, made once here and bound to an app by `init_app`.

Blueprints import them from here, never from `kiosk.app`, so nothing imports the factory.
"""

from __future__ import annotations

from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
