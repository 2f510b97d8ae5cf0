"""The one place the cycle asks for the current time (tests replace ``now``; dates compare in local time)."""

from __future__ import annotations

import datetime as dt


def now() -> dt.datetime:
    """Current time, naive UTC (as every stored timestamp)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def local_date(at: dt.datetime) -> dt.date:
    """The local calendar day of a stored naive-UTC timestamp (due dates are local days)."""
    return at.replace(tzinfo=dt.timezone.utc).astimezone().date()


def today() -> dt.date:
    return local_date(now())
