"""Table-driven tests of the "what plays now" rule (kiosk.signage.schedule_rule)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kiosk.signage.schedule_rule import Slot, is_active, what_plays_now

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")  # has daylight saving: 2026-03-29 and 2026-10-25
NEW_YORK = ZoneInfo("America/New_York")  # 2026-03-08 and 2026-11-01
DEFAULT = 99


def w(start: str, end: str) -> tuple[time, time]:
    return time.fromisoformat(start), time.fromisoformat(end)


def local(text: str, tz=SHANGHAI) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=tz)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# 2026-11-23 is a Monday. Weekdays are ISO: Monday = 1 … Sunday = 7.
OFFICE = Slot(
    1, windows=(w("08:30", "12:00"), w("14:00", "17:30")), weekdays=frozenset(range(1, 6))
)
NIGHT = Slot(2, windows=(w("22:00", "02:00"),))
NIGHT_FRIDAY = Slot(3, windows=(w("22:00", "02:00"),), weekdays=frozenset({5}))
CAMPAIGN = Slot(4, priority=5, starts_on=date(2026, 11, 20), ends_on=date(2026, 11, 30))
WHOLE_DAY_FROM_6 = Slot(5, windows=(w("06:00", "06:00"),), weekdays=frozenset({1}))
LAST_NIGHT = Slot(6, windows=(w("23:00", "01:00"),), ends_on=date(2026, 11, 23))
FIRST_NIGHT = Slot(7, windows=(w("23:00", "01:00"),), starts_on=date(2026, 11, 23))
BERLIN_2_TO_3 = Slot(8, windows=(w("02:00", "03:00"),))
BERLIN_1_30_TO_2_30 = Slot(9, windows=(w("01:30", "02:30"),))
GROUP_LOW = Slot(10, priority=1, specificity=1, schedule_id=1)
SCREEN_LOW = Slot(11, priority=1, specificity=2, schedule_id=2)
ALL_LOW_NEW = Slot(12, priority=1, specificity=0, schedule_id=9)
HIGH = Slot(13, priority=3, windows=(w("12:00", "13:00"),))
OLDER = Slot(14, priority=2, schedule_id=3)
NEWER = Slot(15, priority=2, schedule_id=4)
SATURDAY = Slot(16, weekdays=frozenset({6}))

CASES = [
    # (description, now, tz, slots, expected)
    ("nothing scheduled plays the default", local("2026-11-23T10:00"), SHANGHAI, [], DEFAULT),
    ("office morning window", local("2026-11-23T08:30"), SHANGHAI, [OFFICE], 1),
    ("office window end is exclusive", local("2026-11-23T12:00"), SHANGHAI, [OFFICE], DEFAULT),
    ("office lunch gap", local("2026-11-23T13:00"), SHANGHAI, [OFFICE], DEFAULT),
    ("office afternoon window", local("2026-11-23T17:29:59"), SHANGHAI, [OFFICE], 1),
    ("office closed on Saturday", local("2026-11-28T10:00"), SHANGHAI, [OFFICE], DEFAULT),
    ("before the office opens", local("2026-11-23T08:29:59"), SHANGHAI, [OFFICE], DEFAULT),
    ("night window evening part", local("2026-11-23T23:00"), SHANGHAI, [NIGHT], 2),
    ("night window at midnight", local("2026-11-24T00:00"), SHANGHAI, [NIGHT], 2),
    ("night window morning part", local("2026-11-24T01:59"), SHANGHAI, [NIGHT], 2),
    ("night window ends at 02:00", local("2026-11-24T02:00"), SHANGHAI, [NIGHT], DEFAULT),
    ("night window not yet at 21:59", local("2026-11-23T21:59"), SHANGHAI, [NIGHT], DEFAULT),
    (
        "Friday night runs into Saturday morning",
        local("2026-11-28T01:00"),
        SHANGHAI,
        [NIGHT_FRIDAY],
        3,
    ),
    (
        "Friday night window does not start on Saturday evening",
        local("2026-11-28T23:00"),
        SHANGHAI,
        [NIGHT_FRIDAY],
        DEFAULT,
    ),
    (
        "Thursday's early morning is not Friday night",
        local("2026-11-27T01:00"),
        SHANGHAI,
        [NIGHT_FRIDAY],
        DEFAULT,
    ),
    ("date range includes first day", local("2026-11-20T00:00"), SHANGHAI, [CAMPAIGN], 4),
    ("date range includes last day", local("2026-11-30T23:59"), SHANGHAI, [CAMPAIGN], 4),
    ("date range over", local("2026-12-01T00:00"), SHANGHAI, [CAMPAIGN], DEFAULT),
    ("date range not begun", local("2026-11-19T23:59"), SHANGHAI, [CAMPAIGN], DEFAULT),
    (
        "higher priority wins over office hours",
        local("2026-11-23T09:00"),
        SHANGHAI,
        [OFFICE, CAMPAIGN],
        4,
    ),
    (
        "equal start and end is a whole day from 06:00",
        local("2026-11-24T05:59"),
        SHANGHAI,
        [WHOLE_DAY_FROM_6],
        5,
    ),
    (
        "whole-day window not before its start",
        local("2026-11-23T05:59"),
        SHANGHAI,
        [WHOLE_DAY_FROM_6],
        DEFAULT,
    ),
    (
        "whole-day window ends at 06:00 next day",
        local("2026-11-24T06:00"),
        SHANGHAI,
        [WHOLE_DAY_FROM_6],
        DEFAULT,
    ),
    (
        "last night of a range runs past midnight",
        local("2026-11-24T00:30"),
        SHANGHAI,
        [LAST_NIGHT],
        6,
    ),
    ("no new night after the range", local("2026-11-24T23:30"), SHANGHAI, [LAST_NIGHT], DEFAULT),
    (
        "first night's morning before the range does not play",
        local("2026-11-23T00:30"),
        SHANGHAI,
        [FIRST_NIGHT],
        DEFAULT,
    ),
    ("first night of a range plays", local("2026-11-23T23:30"), SHANGHAI, [FIRST_NIGHT], 7),
    (
        "screen schedule beats group schedule at equal priority",
        local("2026-11-23T10:00"),
        SHANGHAI,
        [GROUP_LOW, SCREEN_LOW],
        11,
    ),
    (
        "specificity beats newer all-screens schedule",
        local("2026-11-23T10:00"),
        SHANGHAI,
        [ALL_LOW_NEW, SCREEN_LOW, GROUP_LOW],
        11,
    ),
    ("newest wins an exact tie", local("2026-11-23T10:00"), SHANGHAI, [NEWER, OLDER], 15),
    (
        "high priority only inside its window",
        local("2026-11-23T12:30"),
        SHANGHAI,
        [OLDER, HIGH],
        13,
    ),
    (
        "outside the high window the next priority plays",
        local("2026-11-23T13:30"),
        SHANGHAI,
        [OLDER, HIGH],
        14,
    ),
    ("weekday only", local("2026-11-28T12:00"), SHANGHAI, [SATURDAY], 16),
    ("no default and nothing active", local("2026-11-23T12:00"), SHANGHAI, [SATURDAY], None),
    # The instant is converted to the node's wall clock.
    ("UTC instant in Shanghai office hours", utc("2026-11-23T01:00"), SHANGHAI, [OFFICE], 1),
    (
        "UTC instant crossing the date line of the node",
        utc("2026-11-23T16:30"),
        SHANGHAI,
        [NIGHT],
        2,
    ),
    (
        "UTC instant is the morning of a Saturday in Shanghai",
        utc("2026-11-27T17:00"),
        SHANGHAI,
        [NIGHT_FRIDAY],
        3,
    ),
    # Daylight saving: Berlin skips 02:00-03:00 on 2026-03-29 and repeats it on 2026-10-25.
    (
        "spring forward: skipped hour never plays (01:59:59 CET)",
        utc("2026-03-29T00:59:59"),
        BERLIN,
        [BERLIN_2_TO_3],
        DEFAULT,
    ),
    (
        "spring forward: 03:00 CEST is after the skipped window",
        utc("2026-03-29T01:00"),
        BERLIN,
        [BERLIN_2_TO_3],
        DEFAULT,
    ),
    (
        "spring forward: window cut short still plays its first half",
        utc("2026-03-29T00:45"),
        BERLIN,
        [BERLIN_1_30_TO_2_30],
        9,
    ),
    (
        "spring forward: window over after the jump",
        utc("2026-03-29T01:15"),
        BERLIN,
        [BERLIN_1_30_TO_2_30],
        DEFAULT,
    ),
    ("fall back: first 02:30 (CEST) plays", utc("2026-10-25T00:30"), BERLIN, [BERLIN_2_TO_3], 8),
    (
        "fall back: second 02:30 (CET) plays again",
        utc("2026-10-25T01:30"),
        BERLIN,
        [BERLIN_2_TO_3],
        8,
    ),
    ("fall back: 03:00 CET ends it", utc("2026-10-25T02:00"), BERLIN, [BERLIN_2_TO_3], DEFAULT),
    (
        "New York spring forward keeps the midnight window",
        utc("2026-03-08T06:30"),
        NEW_YORK,
        [NIGHT],
        2,
    ),  # 01:30 EST
    (
        "New York fall back: 01:30 EDT then EST both inside the night window",
        utc("2026-11-01T06:30"),
        NEW_YORK,
        [NIGHT],
        2,
    ),  # 01:30 EST, second time
    (
        "New York: 02:00 EST ends the night window",
        utc("2026-11-01T07:00"),
        NEW_YORK,
        [NIGHT],
        DEFAULT,
    ),
]


@pytest.mark.parametrize(
    ("now", "tz", "slots", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_what_plays_now(now, tz, slots, expected):
    default = None if expected is None else DEFAULT
    assert what_plays_now(now, tz, slots, default) == expected


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="aware"):
        what_plays_now(datetime(2026, 11, 23, 10), SHANGHAI, [OFFICE], None)


def test_is_active_uses_the_wall_clock_given():
    assert is_active(NIGHT, datetime(2026, 11, 24, 1, 0))


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        # A county schedule beats a hall schedule of any priority, on any target.
        ([Slot(1, priority=0, county=True), Slot(2, priority=900, specificity=2)], 1),
        # Among county schedules: priority, then the newer.
        ([Slot(1, priority=1, county=True), Slot(2, priority=5, county=True)], 2),
        ([Slot(1, county=True, schedule_id=3), Slot(2, county=True, schedule_id=4)], 2),
        # A county schedule outside its window leaves the hall's own in force.
        ([Slot(1, county=True, windows=(w("20:00", "21:00"),)), Slot(2)], 2),
    ],
)
def test_overlap_rule_county_first(slots, expected):
    assert what_plays_now(local("2026-11-23T10:00"), SHANGHAI, slots, DEFAULT) == expected


def test_the_overlap_rule_is_shown_on_the_schedules_page(signed_in):
    page = signed_in().get("/admin/signage/schedules").get_data(as_text=True)
    assert "县级排期优先于本厅的排期" in page
