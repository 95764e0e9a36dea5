"""Every benchmark at a tiny size: it runs to the end and reports figures (no timing is
asserted here; the figures that matter come from `make bench`)."""

from __future__ import annotations

import math

from bench import (
    balanced,
    catalog_gen,
    catalog_import,
    centre_load,
    hall_pages,
    player_heap,
    province,
    speech,
    sync,
)


def finite(*values: float) -> bool:
    return all(isinstance(value, int | float) and math.isfinite(value) for value in values)


def test_hall_pages_reports_every_page_against_the_floor():
    outcome = hall_pages.run(count=200, requests_per_page=5)
    assert len(outcome["pages"]) == len(hall_pages.pages("x"))
    for timing in outcome["pages"].values():
        assert finite(
            timing["server"]["p95"],
            timing["ratio_p95_to_floor"],
            timing["ratio_client_p95_to_floor"],
        )
    assert outcome["rss_mb"]["under_load"] > 0
    assert "search: pinyin initials" in hall_pages.report(outcome)
    peers = outcome["search_peers"]
    for kind in [*hall_pages.search_terms(), "broad"]:
        assert finite(peers["raw_fts"][kind]["p95"], peers["datasette"][kind]["p95"])
    assert "Datasette" in hall_pages.peer_report(outcome)


def test_sync_reports_three_phases_on_both_backends():
    outcome = sync.run(count=200, polls=2)
    assert [backend["backend"] for backend in outcome["backends"]] == ["sqlite", "postgresql"]
    for backend in outcome["backends"]:
        phases = backend["phases"]
        assert phases["first full sync"]["items"] > 150  # every public item of the county
        assert finite(phases["first full sync"]["floor_seconds"])
        assert phases["incremental, 50 changes"]["items"] == 50
        poll = phases["no-change poll"]
        assert finite(poll["seconds"]) and poll["sent"] > 0 and poll["received"] > 0
    assert "no-change poll" in sync.report(outcome)


def test_centre_load_reports_each_offered_rate_on_both_backends():
    outcome = centre_load.run(items=200, nodes=20, rates=(20, 40), duration=1.0)
    assert [backend["backend"] for backend in outcome["backends"]] == ["sqlite", "postgresql"]
    for backend in outcome["backends"]:
        for steps in backend["steps"].values():
            assert steps and all(finite(step["achieved"], step["p99"]) for step in steps)
            assert all(step["errors"] == 0 for step in steps)
    assert "keep-alive" in centre_load.report(outcome)


def test_speech_reports_voices_and_timing():
    outcome = speech.run()
    assert {row["voice"] for row in outcome["voices"]} == set(speech.VOICES)
    assert finite(outcome["timing"]["first_sentence_cold_s"])
    assert "first sentence" in speech.report(outcome)


def test_player_heap_reports_heap_and_dom_at_each_sample(browser):
    # The run's own browser: a second Playwright in this process would refuse to start.
    outcome = player_heap.run(changes=40, samples=2, seconds=60, warmup=10, browser=browser)
    assert len(outcome["samples"]) == 3  # the start and two samples
    assert outcome["samples"][-1]["changes"] >= 40
    for row in outcome["samples"]:
        assert row["heap_mb"] > 0 and row["dom_nodes"] > 0 and finite(row["heap_change"])
    assert "JS heap used MB" in player_heap.report(outcome)


def test_province_streams_every_county_and_reports_size_and_memory():
    outcome = province.run(counties=2, per_county=50)
    assert outcome["items"] == 100 and outcome["gzip_bytes"] > 0
    assert outcome["characters"] > 100 * 100  # names, content and the rest of each item
    assert finite(outcome["items_per_s"], outcome["rss_mb"]["peak"])
    assert "peak RSS" in province.report(outcome)


def test_province_counties_each_have_their_own_townships_and_villages():
    regions = {item["region"] for item in catalog_gen.province_items(3, 300)}
    for county in ("第1县", "第2县", "第3县"):
        assert county in regions
        assert any(region.startswith(f"{county}/") and region.endswith("村") for region in regions)
    codes = [item["code"] for item in catalog_gen.province_items(3, 300)]
    assert len(set(codes)) == 900


def test_balanced_compares_one_and_two_processes_and_survives_a_kill():
    outcome = balanced.run(items=300, nodes=64, rates=(20, 40), duration=1.0, kill_after=0.0)
    for processes in (1, 2):
        steps = outcome[f"{processes} process"]["steps"]
        assert steps and all(step["errors"] == 0 for step in steps)
    kill = outcome["sync through a kill"]
    assert kill["killed"] and kill["held"] == kill["public_items"] > 0
    assert "HAProxy" in balanced.report(outcome)


def test_catalog_import_reports_parse_floor_and_import_for_xlsx_and_csv():
    outcome = catalog_import.main(cases=(("xlsx", 60, 10.0), ("csv", 80, 30.0)))
    assert set(outcome) == {"xlsx", "csv"}
    for case in outcome.values():
        for phase in ("parse", "import"):
            figures = case[phase]
            assert figures["rows"] > 0 and finite(figures["seconds"], figures["peak_mb"])
