"""What interviewers say about timing, in their words, and the dates those words mean.

"We'll get back to you by the end of the week" is what people hear, not a date. The
form offers these phrases; each becomes a decision date (or a range) counted from the
interview's own day by the table below (docs/status-rules.md, "Timing in words"), and
the words are kept so the reason sentence can quote them.

Pure data and date arithmetic: no database, no clock.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

FRIDAY = 4


class Timing(models.TextChoices):
    """The answer to "What did they say about timing?"."""

    DATE = "date", _("A date")
    RANGE = "range", _("A range of dates")
    END_OF_TODAY = "end_of_today", _("By the end of today")
    END_OF_WEEK = "end_of_week", _("By the end of this week")
    NEXT_WEEK = "next_week", _("Next week")
    FEW_DAYS = "few_days", _("In a few days")
    WEEK_OR_TWO = "week_or_two", _("In a week or two")
    TWO_TO_THREE_WEEKS = "two_to_three_weeks", _("In two to three weeks")
    ABOUT_A_MONTH = "about_a_month", _("In about a month")
    NONE = "none", _("They didn't say")
    NOT_ASKED = "not_asked", _("Not asked yet")


# The phrases that stand for dates, and the words a reason sentence quotes.
WORDS = {
    Timing.END_OF_TODAY: _("by the end of today"),
    Timing.END_OF_WEEK: _("by the end of this week"),
    Timing.NEXT_WEEK: _("next week"),
    Timing.FEW_DAYS: _("in a few days"),
    Timing.WEEK_OR_TWO: _("in a week or two"),
    Timing.TWO_TO_THREE_WEEKS: _("in two to three weeks"),
    Timing.ABOUT_A_MONTH: _("in about a month"),
}


@dataclass(frozen=True)
class Span:
    """Days after the interview: the earliest and the latest day they meant."""

    first: int
    last: int


# Phrases that count whole days from the interview's day.
SPANS = {
    Timing.END_OF_TODAY: Span(0, 0),
    Timing.FEW_DAYS: Span(2, 5),
    Timing.WEEK_OR_TWO: Span(7, 14),
    Timing.TWO_TO_THREE_WEEKS: Span(14, 21),
    Timing.ABOUT_A_MONTH: Span(21, 30),
}


def decision_dates(
    timing: str, interview_on: datetime.date
) -> tuple[datetime.date | None, datetime.date | None]:
    """(decision_from, decision_by) for a phrase said at an interview on `interview_on`.

    - "by the end of today": the interview's day;
    - "by the end of this week": the first Friday on or after the interview;
    - "next week": Monday to Friday of the week after the interview's;
    - the spans above, in days after the interview;
    - a date, a range, "they didn't say", "not asked yet": no dates from the words
      (a date or a range is given as such).
    A single day is returned as (None, day).
    """
    if timing == Timing.END_OF_WEEK:
        return None, interview_on + datetime.timedelta(days=(FRIDAY - interview_on.weekday()) % 7)
    if timing == Timing.NEXT_WEEK:
        monday = interview_on + datetime.timedelta(days=7 - interview_on.weekday())
        return monday, monday + datetime.timedelta(days=FRIDAY)
    span = SPANS.get(timing)
    if span is None:
        return None, None
    first = interview_on + datetime.timedelta(days=span.first)
    last = interview_on + datetime.timedelta(days=span.last)
    return (None if first == last else first), last
