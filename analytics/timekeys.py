"""Store-local calendar keys. The source stores UTC instants; a sale belongs to the store's
local day (an order at 23:30 in Madrid is that day's, though it is 21:30 or 22:30 UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

LOW_TIME = datetime(1900, 1, 1)
HIGH_TIME = datetime(9999, 12, 31)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def date_key(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def key_date(key: int) -> date:
    return date(key // 10000, key // 100 % 100, key % 100)


def local_date_key(instant: datetime, zone: ZoneInfo) -> int:
    aware = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
    return date_key(aware.astimezone(zone).date())


def _day_offsets(days: list[datetime | None], zone: ZoneInfo) -> list[int | None]:
    """The zone's UTC offset in seconds over each UTC day, or None where it changes that
    day (or the day is null)."""
    found: list[int | None] = []
    for day in days:
        if day is None:
            found.append(None)
            continue
        start = day.replace(tzinfo=UTC).astimezone(zone).utcoffset()
        end = (day.replace(tzinfo=UTC) + timedelta(hours=23, minutes=59, seconds=59)
               ).astimezone(zone).utcoffset()
        found.append(int(start.total_seconds()) if start == end and start is not None
                     else None)
    return found


def local_date_keys(instants: pa.Array | pa.ChunkedArray, timezone: str) -> pa.Array:
    """yyyymmdd store-local keys of naive-UTC ``instants`` (nulls stay null). zoneinfo gives
    the offset of each distinct UTC day; the few instants on a day when the offset changes
    are converted one by one."""
    zone = ZoneInfo(timezone)
    instants = pa.chunked_array([instants]) if isinstance(instants, pa.Array) else instants
    instants = instants.combine_chunks() if instants.num_chunks else pa.array(
        [], pa.timestamp("us"))
    days = pc.floor_temporal(instants, unit="day")
    distinct = pc.unique(days)
    offsets = pa.array(_day_offsets(distinct.to_pylist(), zone), pa.int64())
    per_row = offsets.take(pc.index_in(days, value_set=distinct))
    local = pc.add(instants.cast(pa.int64()), pc.multiply(per_row, 1_000_000)).cast(
        pa.timestamp("us"))
    keys = pc.add(pc.add(pc.multiply(pc.year(local), 10000), pc.multiply(pc.month(local), 100)),
                  pc.day(local)).cast(pa.int64())
    missing = pc.and_(pc.is_null(per_row), pc.is_valid(instants))
    if not pc.any(missing).as_py():
        return keys
    changing = instants.filter(missing).to_pylist()
    exact = pa.array([local_date_key(i, zone) for i in changing], pa.int64())
    return pc.replace_with_mask(keys, missing, exact)


def utc_range_of_local_day(day: date, timezone: str) -> tuple[datetime, datetime]:
    """The naive-UTC [start, end) of the store-local ``day``."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(),
                           tzinfo=zone).astimezone(UTC)
    return start.replace(tzinfo=None), end.replace(tzinfo=None)


def calendar_rows(first: date, last: date) -> pa.Table:
    """dim_date rows for every day from ``first`` to ``last`` inclusive."""
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    iso = [d.isocalendar() for d in days]
    return pa.table({
        "date_key": pa.array([date_key(d) for d in days], pa.int64()),
        "full_date": pa.array(days, pa.date32()),
        "year": pa.array([d.year for d in days], pa.int64()),
        "quarter": pa.array([(d.month - 1) // 3 + 1 for d in days], pa.int64()),
        "month": pa.array([d.month for d in days], pa.int64()),
        "month_name": pa.array([_MONTHS[d.month - 1] for d in days]),
        "iso_year": pa.array([i.year for i in iso], pa.int64()),
        "iso_week": pa.array([i.week for i in iso], pa.int64()),
        "day_of_week": pa.array([i.weekday for i in iso], pa.int64()),
        "is_weekend": pa.array([i.weekday >= 6 for i in iso]),
        "week_start_key": pa.array(
            [date_key(d - timedelta(days=d.weekday())) for d in days], pa.int64()),
        "month_start_key": pa.array([date_key(d.replace(day=1)) for d in days], pa.int64()),
    })
