"""The display itself on standby: for the screen attached to this machine
(KIOSK_SIGNAGE_DISPLAY_SCREEN), KIOSK_SIGNAGE_STANDBY_COMMAND (e.g. `xset dpms force off`,
or `cec-client` for HDMI-CEC) runs when it goes on standby, outside its opening hours or
by the admin's 待机, and KIOSK_SIGNAGE_WAKE_COMMAND when it wakes. The player goes black
either way; the commands also switch the panel off where the machine can."""

from __future__ import annotations

import logging
import shlex
import subprocess

from flask import Flask
from sqlalchemy.orm import Session

from kiosk.db import utcnow
from kiosk.settings import hall_zone
from kiosk.signage.commands import in_standby, manual_standby
from kiosk.signage.screens import get_screen

log = logging.getLogger("kiosk.signage")
CHECK_SECONDS = 30


def wanted_standby(session: Session, app: Flask) -> bool | None:
    """Whether the attached screen should stand by now; None when there is no such screen."""
    screen = get_screen(session, app.config["KIOSK_SIGNAGE_DISPLAY_SCREEN"])
    if screen is None or screen.claimed_at is None:
        return None
    return in_standby(screen, utcnow(), hall_zone(app.config)) or manual_standby(session, screen)


class DisplaySink:
    """Runs the standby or wake command when the attached screen's state changes."""

    def __init__(self) -> None:
        self.standby: bool | None = None

    def __call__(self, app: Flask) -> None:
        with app.extensions["kiosk_db"].session() as session:
            standby = wanted_standby(session, app)
        if standby is None or standby == self.standby:
            return
        setting = "KIOSK_SIGNAGE_STANDBY_COMMAND" if standby else "KIOSK_SIGNAGE_WAKE_COMMAND"
        command = shlex.split(app.config[setting])
        if command:
            try:
                done = subprocess.run(  # noqa: S603 - the node's own setting
                    command, capture_output=True, text=True, timeout=20
                )
            except (OSError, subprocess.SubprocessError) as error:
                log.warning("%s failed: %s", setting, error)
                return  # tried again at the next check
            if done.returncode != 0:
                log.warning("%s exited %d: %s", setting, done.returncode, done.stderr[:200])
                return
        self.standby = standby


def init_app(app: Flask) -> None:
    if app.config["KIOSK_SIGNAGE_DISPLAY_SCREEN"]:
        app.extensions["kiosk_jobs"].register("signage-display", DisplaySink(), CHECK_SECONDS)
