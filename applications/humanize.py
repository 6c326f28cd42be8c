"""Dates as people say them: "Mon, Dec 7 (in 3 days)", in the active language."""

import datetime
import functools

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, ngettext

# "Mon, Dec 7 (in 3 days)" depends only on the language, the date and today; translations
# do not change while the process runs, so each is kept for later requests. A dashboard
# shows a few dozen distinct dates, ~30 us each to format (translated day and month names,
# "in 3 days"). The least recently used go past a size no real use reaches.
_KEPT = 20_000


def relative_day(day: datetime.date, today: datetime.date) -> str:
    """How far `day` is from `today`, in words: "today", "in 3 days", "2 days ago"."""
    delta = (day - today).days
    if delta == 0:
        return gettext("today")
    if delta == 1:
        return gettext("tomorrow")
    if delta == -1:
        return gettext("yesterday")
    if delta > 0:
        return ngettext("in %(count)d day", "in %(count)d days", delta) % {"count": delta}
    return ngettext("%(count)d day ago", "%(count)d days ago", -delta) % {"count": -delta}


def date_label(day: datetime.date, pattern: str) -> str:
    """`date_format(day, pattern)` in the active language ("M j": "Dec 7"), kept across
    requests like `DayFormatter`'s answers (its translated day and month names are most of
    the cost of a timeline's dozens of dates)."""
    return _date_label(get_language(), day, pattern)


@functools.lru_cache(maxsize=_KEPT)
def _date_label(language, day: datetime.date, pattern: str) -> str:
    return date_format(day, pattern)  # in `language`, the active one: it is the cache key


@functools.lru_cache(maxsize=_KEPT)
def _human(language, today: datetime.date, day: datetime.date) -> str:
    pattern = "D, M j" if day.year == today.year else "D, M j, Y"
    return gettext("%(date)s (%(relative)s)") % {
        "date": date_format(day, pattern),
        "relative": relative_day(day, today),
    }


class DayFormatter:
    """Formats many dates relative to one `today` in the active language, each distinct
    date once (a dashboard shows hundreds of rows but only a few dozen distinct dates)."""

    def __init__(self, today: datetime.date):
        self.today = today
        self._language = get_language()

    def human(self, day: datetime.date | None) -> str:
        """ "Mon, Dec 7 (in 3 days)"; the year is added outside today's year."""
        if day is None:
            return ""
        return _human(self._language, self.today, day)
