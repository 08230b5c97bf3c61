"""When demo orders happen: 180 days of history with a weekly rhythm, growth, a summer dip, a
Black Friday week, and the hours people shop. All instants are UTC; days and hours are the
store's local ones."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

HISTORY_DAYS = 180

# Monday first: Sunday evenings and Mondays sell most online, Saturdays least.
_WEEKDAY = (1.10, 1.04, 1.00, 0.98, 0.94, 0.80, 1.06)
# Days from Black Friday -> demand multiplier (3 is Cyber Monday).
_PROMOTION = {-6: 1.3, -5: 1.3, -4: 1.35, -3: 1.4, -2: 1.5, -1: 1.7, 0: 4.2, 1: 2.3, 2: 2.0,
              3: 2.9}
_HOURS = (0.7, 0.35, 0.2, 0.12, 0.1, 0.15, 0.3, 0.8, 1.5, 2.2, 2.8, 3.2, 3.6, 3.5, 3.0, 2.6,
          2.7, 3.0, 3.3, 3.8, 4.4, 4.6, 3.6, 1.8)
# Deals open at midnight on Black Friday.
_BLACK_FRIDAY_HOURS = (4.0, 2.5, *_HOURS[2:])


@dataclass(frozen=True, slots=True)
class Calendar:
    """History runs from ``start`` (inclusive) to ``cutoff``: midnight, store time, of today."""

    today: date
    zone: ZoneInfo

    @property
    def first_day(self) -> date:
        return self.today - timedelta(days=HISTORY_DAYS)

    @property
    def start(self) -> datetime:
        return self.at(self.first_day, time(0))

    @property
    def cutoff(self) -> datetime:
        return self.at(self.today, time(0))

    def at(self, day: date, moment: time) -> datetime:
        """The UTC instant of ``moment`` on ``day`` in the store's time zone."""
        return datetime.combine(day, moment, tzinfo=self.zone).astimezone(UTC)

    def local(self, instant: datetime) -> datetime:
        return instant.astimezone(self.zone)

    def promotion_day(self, day: date) -> int | None:
        """Days since the nearest Black Friday, when ``day`` falls in its promotion."""
        for year in (day.year - 1, day.year):
            offset = (day - black_friday(year)).days
            if offset in _PROMOTION:
                return offset
        return None


def black_friday(year: int) -> date:
    """The day after the fourth Thursday of November."""
    first = date(year, 11, 1)
    first_thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + timedelta(days=22)


def order_moments(rng: random.Random, calendar: Calendar, count: int) -> list[datetime]:
    """``count`` order instants over the history, sorted."""
    days = [calendar.first_day + timedelta(days=i) for i in range(HISTORY_DAYS)]
    weights = [_day_weight(rng, calendar, day, i) for i, day in enumerate(days)]
    chosen = rng.choices(days, cum_weights=list(accumulate(weights)), k=count)
    normal, promo = list(accumulate(_HOURS)), list(accumulate(_BLACK_FRIDAY_HOURS))
    hours = range(24)
    moments = []
    for day in chosen:
        cumulative = promo if calendar.promotion_day(day) == 0 else normal
        hour = rng.choices(hours, cum_weights=cumulative)[0]
        moment = time(hour, rng.randrange(60), rng.randrange(60))
        moments.append(calendar.at(day, moment))
    return sorted(moments)


def _day_weight(rng: random.Random, calendar: Calendar, day: date, index: int) -> float:
    growth = 0.75 + 0.5 * index / (HISTORY_DAYS - 1)
    summer = 0.85 if day.month == 8 else 1.0
    offset = calendar.promotion_day(day)
    promotion = 1.0 if offset is None else _PROMOTION[offset]
    noise = rng.lognormvariate(0, 0.12)
    return growth * _WEEKDAY[day.weekday()] * summer * promotion * noise


def next_working_moment(rng: random.Random, calendar: Calendar, after: datetime,
                        backlog_days: int = 0) -> datetime:
    """When the warehouse (Monday to Friday, 9:00-19:00) gets to something that arrived at
    ``after``: the same afternoon when it came in before 14:00 on a working day, else a later
    working day."""
    local = calendar.local(after)
    day = local.date()
    if local.weekday() < 5 and local.hour < 14 and backlog_days == 0:
        earliest = max(local.hour + 1, 15)
        return calendar.at(day, time(rng.randint(earliest, 18), rng.randrange(60)))
    for _ in range(backlog_days + 1):
        day = working_day_after(day)
    return calendar.at(day, time(rng.randint(9, 18), rng.randrange(60)))


def working_day_after(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def later_day_at(rng: random.Random, calendar: Calendar, after: datetime, days: int,
                 hours: tuple[int, int]) -> datetime:
    """A moment ``days`` calendar days after ``after``, between ``hours`` local time."""
    day = calendar.local(after).date() + timedelta(days=days)
    return calendar.at(day, time(rng.randint(*hours), rng.randrange(60), rng.randrange(60)))
