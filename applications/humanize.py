"""Dates in words: the one place a date becomes text for people.

Pages (through the template filters in `templatetags/dates.py`), emails, the calendar
feed, drafts and the engine's reason sentences all call these, so a date reads the same
everywhere and in one language (the active one).

`today` decides two things: the year is written only outside today's year ("Dec 3" this
year, "Dec 3, 2027" next), and `day_in_words` adds how far the date is ("in 3 days").
"""

import datetime
import functools

from django.utils.formats import date_format, time_format
from django.utils.translation import get_language, gettext, ngettext

# Each style of date: (pattern within today's year, pattern in another year), in the
# notation of Django's `date` filter.
STYLES = {
    "short": ("M j", "M j, Y"),  # Dec 3
    "weekday": ("D, M j", "D, M j, Y"),  # Mon, Dec 7
    "long": ("l, F j", "l, F j, Y"),  # Monday, December 7
    # Never a year: for labels that stand beside a full date (the timeline's picture).
    "day_month": ("M j", "M j"),  # Dec 7
}


def date_in_words(
    day: datetime.date, *, today: datetime.date | None = None, style: str = "weekday"
) -> str:
    """`day` in `style`, with its year unless it is `today`'s (always, without `today`)."""
    this_year, other_year = STYLES[style]
    same_year = today is not None and day.year == today.year
    return _formatted(get_language(), day, this_year if same_year else other_year)


def time_in_words(moment: datetime.time) -> str:
    """ "2:30 PM": a time of day, as an interview's start is shown."""
    return time_format(moment, "g:i A")


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


def day_in_words(day: datetime.date | None, today: datetime.date) -> str:
    """ "Mon, Dec 7 (in 3 days)": the date and how far it is from `today`; "" for None."""
    if day is None:
        return ""
    return _day_in_words(get_language(), day, today)


# The project's one speed exception (docs/architecture.md, "Speed"): dates in words are
# kept once written. They depend only on the language, the dates and the pattern, and
# translations do not change while the process runs. A dashboard of 300 applications
# writes ~900 dates, a few dozen distinct ones, and Django's `date_format` is the dearest
# step of the status engine, whose reasons name dates: kept, the engine runs about three
# times as fast and the dashboard saves ~8 ms (`make bench`). Bounded: the least
# recently used go first. Every function below is in the language given, the active one.


@functools.lru_cache(maxsize=4096)
def _formatted(language: str, day: datetime.date, pattern: str) -> str:
    return date_format(day, pattern)


@functools.lru_cache(maxsize=4096)
def _day_in_words(language: str, day: datetime.date, today: datetime.date) -> str:
    return gettext("%(date)s (%(relative)s)") % {
        "date": date_in_words(day, today=today),
        "relative": relative_day(day, today),
    }
