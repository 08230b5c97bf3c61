"""Campaign rules in plain Python (no Django): the status machine, what a segment may say, the
pace of sending and the progress figure."""

from __future__ import annotations

from datetime import date
from typing import Any

from shop.core.errors import Conflict, ShopError

STATUSES = ("draft", "scheduled", "sending", "paused", "done", "cancelled")
TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"scheduled", "sending", "cancelled"}),
    # Sending again while scheduled moves the time (or starts it now).
    "scheduled": frozenset({"scheduled", "sending", "cancelled"}),
    "sending": frozenset({"paused", "done", "cancelled"}),
    "paused": frozenset({"sending", "cancelled"}),
    "done": frozenset(),
    "cancelled": frozenset(),
}
EDITABLE = frozenset({"draft", "scheduled"})
LOCALES = ("es", "en")
SEGMENT_FIELDS = ("language", "bought_in_category", "last_order_before", "last_order_after",
                  "rfm_segment")
MAX_CATEGORY_ID = 2_147_483_647


class IllegalTransition(Conflict):
    def __init__(self, current: str, wanted: str) -> None:
        allowed = ", ".join(sorted(TRANSITIONS.get(current, ()))) or "nothing"
        super().__init__(f"a campaign that is {current} cannot become {wanted} "
                         f"(it can become: {allowed})")


def check_transition(current: str, wanted: str) -> None:
    if wanted not in TRANSITIONS.get(current, ()):
        raise IllegalTransition(current, wanted)


def check_editable(status: str) -> None:
    if status not in EDITABLE:
        raise Conflict(f"a campaign that is {status} cannot be edited (only draft or "
                       "scheduled ones)")


# --- segments --------------------------------------------------------------------------------

class SegmentInvalid(ShopError):
    """`problems` maps each wrong segment field to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"segment.{name}: {message}"
                                   for name, message in problems.items()))


def segment_clean(value: Any, *, rfm_names: tuple[str, ...]) -> dict[str, Any]:
    """The segment with every field present (null when not filtering), or SegmentInvalid
    naming each wrong field. Marketing consent is always required and is not a field."""
    if not isinstance(value, dict):
        raise SegmentInvalid({"segment": "must be an object"})
    problems = {name: "is not a segment field; known: " + ", ".join(SEGMENT_FIELDS)
                for name in value if name not in SEGMENT_FIELDS}
    clean: dict[str, Any] = {}
    checks = {"language": _language, "bought_in_category": _category_id,
              "last_order_before": _day, "last_order_after": _day,
              "rfm_segment": lambda v: _rfm(v, rfm_names)}
    for name, check in checks.items():
        raw = value.get(name)
        try:
            clean[name] = None if raw is None else check(raw)
        except ValueError as exc:
            problems[name] = str(exc)
    if not problems and clean["last_order_before"] and clean["last_order_after"] and \
            clean["last_order_after"] >= clean["last_order_before"]:
        problems["last_order_after"] = "must be before last_order_before"
    if problems:
        raise SegmentInvalid(problems)
    return clean


def _language(value: Any) -> str:
    if value not in LOCALES:
        raise ValueError(f"must be one of {', '.join(LOCALES)} or null")
    return str(value)


def _category_id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or \
            not 1 <= value <= MAX_CATEGORY_ID:
        raise ValueError("must be a category id (a positive integer) or null")
    return value


def _day(value: Any) -> str:
    message = "must be a date YYYY-MM-DD or null"
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError(message)
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(message) from None


def _rfm(value: Any, names: tuple[str, ...]) -> str:
    if value not in names:
        raise ValueError(f"must be one of {', '.join(names)} or null")
    return str(value)


# --- sending ---------------------------------------------------------------------------------

def pause_before(*, sent: int, elapsed: float, rate_per_second: int) -> float:
    """Seconds to wait before the next message so that `sent` messages in `elapsed` seconds
    stay at `rate_per_second` (0: unthrottled, never wait)."""
    if rate_per_second <= 0:
        return 0.0
    return max(0.0, sent / rate_per_second - elapsed)


def progress(*, total: int, sent: int, failed: int, skipped: int) -> int:
    """0..100: the share of recipients dealt with (sent, failed or skipped)."""
    if total <= 0:
        return 0
    return min(100, (sent + failed + skipped) * 100 // total)
