"""The region tree: add, rename (items and halls follow), retire; a region that does not
exist is refused with the closest names, at the desk and on the command line."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from kiosk.catalog.models import Item
from kiosk.catalog.services import upsert_item
from kiosk.errors import InputError
from kiosk.regions.models import Region
from kiosk.regions.services import check_region, ensure_region
from kiosk.sync.changes import change_page
from kiosk.sync.models import SyncNode
from kiosk.sync.nodes import add_node
from tests.catalog.files import write_list_csv
from tests.commands import kiosk
from tests.commands import kiosk as kiosk_at
from tests.conftest import csrf_token_of, signed_in
from tests.sync.conftest import ITEM


@pytest.fixture
def centre(app_factory) -> Flask:
    app = app_factory(KIOSK_ROLE="central", KIOSK_REVIEW_STEPS=0)
    with app.extensions["kiosk_db"].session() as session:
        ensure_region(session, "示范县/城关镇/东村")
        document = {**ITEM, "code": "V1", "name": "村务", "region": "示范县/城关镇/东村"}
        upsert_item(session, {**document, "level": "村级"}, actor="test")
        add_node(session, "东村大厅", "示范县/城关镇/东村", actor="test")
    return app


def post(client, action: str, **form: str):
    token = csrf_token_of(client.get("/admin/catalog/regions/").get_data(as_text=True))
    return client.post(f"/admin/catalog/regions/{action}", data={"csrf_token": token, **form})


def paths(app: Flask) -> dict[str, bool]:
    with app.extensions["kiosk_db"].session() as session:
        return {r.path: r.retired for r in session.scalars(select(Region))}


def test_add_rename_and_retire(centre):
    amy = signed_in(centre, "amy", "county_admin")
    assert post(amy, "", parent="示范县/城关镇", name="西村").status_code == 303
    refused = post(amy, "", parent="示范县/城关镇/东村", name="一组")
    assert refused.status_code == 400 and "不是有效的选择" in refused.get_data(as_text=True)
    assert "示范县/城关镇/西村" in paths(centre)

    with centre.extensions["kiosk_db"].session() as session:
        cursor = change_page(session, "示范县/城关镇/东村", 0, 100)["cursor"]
    assert post(amy, "rename", path="示范县/城关镇", name="城关街道").status_code == 303
    assert "示范县/城关街道/东村" in paths(centre) and "示范县/城关镇" not in paths(centre)
    with centre.extensions["kiosk_db"].session() as session:
        assert session.scalar(select(Item.region)) == "示范县/城关街道/东村"
        assert session.scalar(select(SyncNode.region)) == "示范县/城关街道/东村"
        # The old village's hall is told the item left its old region.
        feed = change_page(session, "示范县/城关镇/东村", cursor, 100)["changes"]
        assert [(c["op"], c["code"]) for c in feed] == [("delete", "V1")]

    held = post(amy, "retire", path="示范县/城关街道/东村")
    assert held.status_code == 303 and paths(centre)["示范县/城关街道/东村"] is False
    assert "还有 1 个事项" in amy.get("/admin/catalog/regions/").get_data(as_text=True)
    assert post(amy, "retire", path="示范县/城关街道/西村").status_code == 303
    assert paths(centre)["示范县/城关街道/西村"] is True
    with centre.extensions["kiosk_db"].session() as session, pytest.raises(InputError) as error:
        check_region(session, "示范县/城关街道/西村")
    assert "已停用" in str(error.value)
    assert post(amy, "restore", path="示范县/城关街道/西村").status_code == 303
    assert paths(centre)["示范县/城关街道/西村"] is False
    # Retiring a town retires its villages; restoring a village restores its town.
    post(amy, "", parent="示范县", name="河西镇")
    post(amy, "", parent="示范县/河西镇", name="南村")
    post(amy, "retire", path="示范县/河西镇")
    assert paths(centre)["示范县/河西镇/南村"] is True
    post(amy, "restore", path="示范县/河西镇/南村")
    assert paths(centre)["示范县/河西镇"] is False and paths(centre)["示范县/河西镇/南村"] is False


def test_an_unknown_region_names_the_closest(centre):
    with centre.extensions["kiosk_db"].session() as session:
        with pytest.raises(InputError) as error:
            check_region(session, "示范县/城关/东村")
        assert "您要找的是不是：示范县/城关镇/东村" in str(error.value)
        with pytest.raises(InputError) as error:
            check_region(session, "东村村")
        assert "示范县/城关镇/东村" in str(error.value)
        assert check_region(session, " 示范县 / 城关镇 ") == "示范县/城关镇"


def test_the_command_line_refuses_an_unknown_region_too(tmp_path):
    first = kiosk(tmp_path, "catalog", "import", str(write_list_csv(tmp_path / "a.csv", "utf-8")))
    assert first.returncode == 0, first.stderr
    wrong = kiosk(tmp_path, "catalog", "import", str(tmp_path / "a.csv"), "--region", "示范具")
    assert wrong.returncode != 0 and "没有区域“示范具”。您要找的是不是：示范县" in wrong.stderr
    nodes = kiosk_at(tmp_path, "nodes", "add", "东村", "--region", "示県", KIOSK_ROLE="central")
    assert nodes.returncode != 0 and "没有区域“示県”。您要找的是不是：示范县" in nodes.stderr
