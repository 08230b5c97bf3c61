"""Campaign rules without a database: segments, the status machine, pacing and progress."""

from __future__ import annotations

import re

import pytest

from shop.campaigns.rules import (
    EDITABLE,
    TRANSITIONS,
    IllegalTransition,
    SegmentInvalid,
    check_editable,
    check_transition,
    pause_before,
    progress,
    segment_clean,
)
from shop.core.errors import Conflict

RFM = ("champions", "loyal")


def test_an_empty_segment_comes_back_with_every_field_null():
    assert segment_clean({}, rfm_names=RFM) == {
        "language": None, "bought_in_category": None, "last_order_before": None,
        "last_order_after": None, "rfm_segment": None}


def test_a_full_segment_is_kept_as_given():
    segment = {"language": "en", "bought_in_category": 7, "last_order_before": "2026-06-01",
               "last_order_after": "2026-01-31", "rfm_segment": "loyal"}

    assert segment_clean(segment, rfm_names=RFM) == segment


@pytest.mark.parametrize(("segment", "problems"), [
    ({"language": "fr"}, {"language": "must be one of es, en or null"}),
    ({"bought_in_category": "7"},
     {"bought_in_category": "must be a category id (a positive integer) or null"}),
    ({"bought_in_category": True},
     {"bought_in_category": "must be a category id (a positive integer) or null"}),
    ({"last_order_before": "2026-02-30"},
     {"last_order_before": "must be a date YYYY-MM-DD or null"}),
    ({"last_order_after": "20260101"},
     {"last_order_after": "must be a date YYYY-MM-DD or null"}),
    ({"rfm_segment": "whales"}, {"rfm_segment": "must be one of champions, loyal or null"}),
    ({"consent": False},
     {"consent": "is not a segment field; known: language, bought_in_category, "
                 "last_order_before, last_order_after, rfm_segment"}),
    ({"last_order_before": "2026-01-01", "last_order_after": "2026-01-01"},
     {"last_order_after": "must be before last_order_before"}),
    ({"language": "xx", "rfm_segment": "x"},
     {"language": "must be one of es, en or null",
      "rfm_segment": "must be one of champions, loyal or null"}),
])
def test_a_wrong_segment_names_each_wrong_field(segment, problems):
    with pytest.raises(SegmentInvalid) as raised:
        segment_clean(segment, rfm_names=RFM)

    assert raised.value.problems == problems
    assert str(raised.value).startswith(f"segment.{next(iter(problems))}: ")


def test_a_segment_that_is_not_an_object_is_refused():
    with pytest.raises(SegmentInvalid, match=r"segment\.segment: must be an object"):
        segment_clean(["es"], rfm_names=RFM)


@pytest.mark.parametrize(("current", "wanted"), [
    (current, wanted) for current, nexts in TRANSITIONS.items() for wanted in nexts])
def test_every_listed_transition_is_allowed(current, wanted):
    check_transition(current, wanted)


@pytest.mark.parametrize(("current", "wanted", "message"), [
    ("draft", "paused", "a campaign that is draft cannot become paused (it can become: "
                        "cancelled, scheduled, sending)"),
    ("done", "sending", "a campaign that is done cannot become sending (it can become: "
                        "nothing)"),
    ("cancelled", "sending", "a campaign that is cancelled cannot become sending"),
    ("sending", "draft", "a campaign that is sending cannot become draft"),
    ("paused", "done", "a campaign that is paused cannot become done"),
])
def test_an_illegal_transition_is_a_conflict_that_says_what_is_possible(current, wanted,
                                                                        message):
    with pytest.raises(IllegalTransition, match=re.escape(message)) as raised:
        check_transition(current, wanted)

    assert isinstance(raised.value, Conflict)


def test_only_draft_and_scheduled_campaigns_are_editable():
    assert {"draft", "scheduled"} == EDITABLE
    check_editable("scheduled")
    with pytest.raises(Conflict, match="a campaign that is sending cannot be edited"):
        check_editable("sending")


@pytest.mark.parametrize(("sent", "elapsed", "rate", "wait"), [
    (0, 0.0, 50, 0.0),        # the first message goes at once
    (50, 0.5, 50, 0.5),       # 50 sent in half a second at 50/s: wait until 1 s
    (50, 1.0, 50, 0.0),       # on time
    (10, 5.0, 50, 0.0),       # behind (a slow server): never a negative wait
    (1, 0.0, 4, 0.25),
    (100_000, 0.0, 0, 0.0),   # 0: unthrottled
])
def test_the_pace_keeps_sends_at_the_rate(sent, elapsed, rate, wait):
    assert pause_before(sent=sent, elapsed=elapsed, rate_per_second=rate) == pytest.approx(wait)


@pytest.mark.parametrize(("counts", "expected"), [
    ({"total": 0, "sent": 0, "failed": 0, "skipped": 0}, 0),
    ({"total": 3, "sent": 1, "failed": 0, "skipped": 0}, 33),
    ({"total": 4, "sent": 2, "failed": 1, "skipped": 1}, 100),
])
def test_progress_counts_every_recipient_dealt_with(counts, expected):
    assert progress(**counts) == expected
