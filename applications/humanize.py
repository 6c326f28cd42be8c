"""Dates as people say them: "Mon, Dec 7 (in 3 days)", in the active language."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext


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


class DayFormatter:
    """Formats many dates relative to one `today`, each distinct date once (a dashboard
    shows hundreds of rows but only a few dozen distinct dates)."""

    def __init__(self, today: datetime.date):
        self.today = today
        self._human: dict = {}

    def human(self, day: datetime.date | None) -> str:
        """ "Mon, Dec 7 (in 3 days)"; the year is added outside today's year."""
        if day is None:
            return ""
        text = self._human.get(day)
        if text is None:
            pattern = "D, M j" if day.year == self.today.year else "D, M j, Y"
            text = self._human[day] = gettext("%(date)s (%(relative)s)") % {
                "date": date_format(day, pattern),
                "relative": relative_day(day, self.today),
            }
        return text
