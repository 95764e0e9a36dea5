"""An approval publishes exactly the version its reviewer saw."""

from __future__ import annotations

import pytest

from kiosk.errors import InputError
from kiosk.review import services as review
from kiosk.signage.entries import add_entry
from kiosk.signage.playlists import CHANGED_AFTER_SUBMISSION
from kiosk.signage.publishing import submit_for_review
from tests.signage.conftest import ITEM_BASE, add_notice, make_playlist


def test_a_change_withdraws_the_submission_and_version_3_never_publishes_4(sdb):
    playlist = make_playlist(sdb, "送审", [{"title": t} for t in "甲乙丙"], publish=False)
    version_3 = submit_for_review(sdb, playlist, 1, ITEM_BASE, "author")
    seen = version_3.content_hash
    notice = add_notice(sdb, "丁")
    add_entry(sdb, playlist, {"kind": "notice", "notice_id": notice.id}, [], "author")
    assert version_3.status == "withdrawn" and version_3.reason == CHANGED_AFTER_SUBMISSION
    with pytest.raises(InputError, match="不在待审核状态"):
        review.approve(sdb, version_3, "reviewer", seen)
    version_4 = submit_for_review(sdb, playlist, 1, ITEM_BASE, "author")
    with pytest.raises(InputError, match="您看到的不是正在审核的版本"):
        review.approve(sdb, version_4, "reviewer", seen)
    assert playlist.published is None
    review.approve(sdb, version_4, "reviewer", version_4.content_hash)
    assert [entry["title"] for entry in playlist.published] == ["甲", "乙", "丙", "丁"]
