import os
import stat
from pathlib import Path

import pytest

from kiosk.app import create_app
from kiosk.errors import InputError
from kiosk.settings import read_settings


def test_defaults_put_sqlite_under_the_instance_path(tmp_path: Path):
    app = create_app({"KIOSK_INSTANCE_PATH": str(tmp_path / "node")})
    assert app.config["KIOSK_ROLE"] == "hall"
    assert app.config["KIOSK_DATABASE_URL"] == f"sqlite:///{tmp_path / 'node' / 'kiosk.db'}"
    assert (tmp_path / "node" / "kiosk.db").exists()
    app.extensions["kiosk_db"].dispose()


def test_environment_variables_are_read(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KIOSK_THREADS", "3")
    monkeypatch.setenv("KIOSK_REGION", "示范县/城关镇")
    config = read_settings()
    assert config["KIOSK_THREADS"] == 3
    assert config["KIOSK_REGION"] == "示范县/城关镇"


def test_bad_number_names_the_variable(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("KIOSK_THREADS", "many")
    with pytest.raises(InputError, match="KIOSK_THREADS must be a whole number"):
        read_settings()


def test_unknown_role_is_refused(tmp_path: Path):
    with pytest.raises(InputError, match="KIOSK_ROLE must be one of hall, central"):
        create_app({"KIOSK_INSTANCE_PATH": str(tmp_path), "KIOSK_ROLE": "edge"})


def test_secret_key_is_generated_once_kept_private_and_reused(tmp_path: Path):
    first = create_app({"KIOSK_INSTANCE_PATH": str(tmp_path)})
    second = create_app({"KIOSK_INSTANCE_PATH": str(tmp_path)})
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) >= 64
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    other = create_app({"KIOSK_INSTANCE_PATH": str(tmp_path / "other")})
    assert other.secret_key != first.secret_key
    for app in (first, second, other):
        app.extensions["kiosk_db"].dispose()


def test_given_secret_key_is_used_and_not_written(tmp_path: Path):
    app = create_app({"KIOSK_INSTANCE_PATH": str(tmp_path), "KIOSK_SECRET_KEY": "s" * 40})
    assert app.secret_key == "s" * 40
    assert not (tmp_path / "secret_key").exists()
    app.extensions["kiosk_db"].dispose()


def test_instance_path_that_is_a_file_is_refused(tmp_path: Path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot create instance directory"):
        create_app({"KIOSK_INSTANCE_PATH": str(blocker / "node")})


def test_instance_directory_without_write_permission_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # Root ignores permission bits, so ask os.access as an ordinary user would be answered.
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(InputError, match=f"instance directory {tmp_path} is not writable"):
        create_app({"KIOSK_INSTANCE_PATH": str(tmp_path)})


def test_a_shared_folder_that_does_not_exist_is_refused_in_chinese(tmp_path: Path):
    missing = tmp_path / "shared"
    with pytest.raises(InputError, match="不是可写的文件夹"):
        create_app(
            {"KIOSK_INSTANCE_PATH": str(tmp_path / "node"), "KIOSK_SHARED_PATH": str(missing)}
        )


def test_the_old_review_setting_name_is_still_read_with_a_warning(caplog):
    with caplog.at_level("WARNING", logger="kiosk.settings"):
        config = read_settings({"KIOSK_SIGNAGE_REVIEW_STEPS": "3"})
    assert config["KIOSK_REVIEW_STEPS"] == 3
    assert "KIOSK_SIGNAGE_REVIEW_STEPS is deprecated: use KIOSK_REVIEW_STEPS" in caplog.text
    assert (
        read_settings({"KIOSK_SIGNAGE_REVIEW_STEPS": "3", "KIOSK_REVIEW_STEPS": "0"})[
            "KIOSK_REVIEW_STEPS"
        ]
        == 0
    )
