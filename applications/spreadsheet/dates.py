"""Dates as spreadsheets and job trackers write them (docs/data-format.md, CSV: dates).

YYYY-MM-DD (a time after it is dropped; a timestamp with "Z" or an offset is the day it
was in the user's zone), "2 Nov 2026" and "Nov 2, 2026" (English, German, French or
Spanish month names), year-first numbers, Excel day numbers, and numbers with the year
last, read day-first or month-first as all the values of their column settle it
(`column_order`): 03/04/2026 is March 4 in one spreadsheet and April 3 in the next, and
a wrong follow-up date is worse than a question.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from applications.models import EARLIEST_DATE, LATEST_DATE

# Month names in English, German, French and Spanish, full and short, accents or not.
_MONTH_NAMES = (
    ("jan", "january", "januar", "jänner", "janvier", "janv", "enero", "ene"),
    ("feb", "february", "februar", "février", "fevrier", "févr", "fevr", "febrero"),
    ("mar", "march", "märz", "maerz", "mär", "mrz", "mars", "marzo"),
    ("apr", "april", "avril", "avr", "abril", "abr"),
    ("may", "mai", "mayo"),
    ("jun", "june", "juni", "juin", "junio"),
    ("jul", "july", "juli", "juillet", "juil", "julio"),
    ("aug", "august", "août", "aout", "agosto", "ago"),
    ("sep", "sept", "september", "septembre", "septiembre", "setiembre", "set"),
    ("oct", "october", "oktober", "okt", "octobre", "octubre"),
    ("nov", "november", "novembre", "noviembre"),
    ("dec", "december", "dezember", "dez", "décembre", "decembre", "déc", "dic", "diciembre"),
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names}
_TIME = r"(?:,?[ t](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?)?"
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?"
    r"\s*(z|[+-]\d{2}:?\d{2})?)?"
)
_WORD = r"([a-zäöüéèêëûôîïç]+)"
_DAY_MONTH_YEAR = re.compile(
    rf"(\d{{1,2}})(?:st|nd|rd|th|er|\.)?[ -](?:de )?{_WORD}\.?,?[ -](?:de )?(\d{{4}}){_TIME}"
)
_MONTH_DAY_YEAR = re.compile(rf"{_WORD}\.? (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}}){_TIME}")
# All numbers: the year first (2026/11/02), or last, with two or four digits (9/14/26,
# 14.09.2026), a time after it dropped ("11/13/23, 9:42 AM").
_YEAR_FIRST = re.compile(rf"(\d{{4}})[/.\-](\d{{1,2}})[/.\-](\d{{1,2}}){_TIME}")
_YEAR_LAST = re.compile(rf"(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-](\d{{2}}|\d{{4}}){_TIME}")
# Excel's day numbers (days since 1899-12-30): 25569 is 1970-01-01, 73050 is 2099-12-31.
_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)

DAY_FIRST, MONTH_FIRST = "day first", "month first"


def not_a_date() -> str:
    """What is wrong with a cell that is no date, in words (without the cell's value)."""
    return _("not a date; write dates YYYY-MM-DD, like 2026-11-20")


def not_a_day() -> str:
    """What is wrong with a cell written as a date that no calendar has (November 31)."""
    return _("not a day of the calendar; check the day and the month")


def out_of_range() -> str:
    """What is wrong with a date Hearback does not keep (the validator's range)."""
    return _("outside the dates Hearback works with (%(earliest)s to %(latest)s)") % {
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
    }


def _year(text: str) -> int:
    """A two-digit year is this century's."""
    return 2000 + int(text) if len(text) == 2 else int(text)


def numeric_order(text: str) -> tuple[bool, bool] | None:
    """For an all-number date with the year last ("9/14/26"): (could it be day-first,
    could it be month-first), from which of its first two numbers can be a month; None
    for any other text."""
    match = _YEAR_LAST.fullmatch(" ".join(text.split()).casefold())
    if match is None:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    return (second <= 12, first <= 12)


def parse_date(
    text: str, *, order: str | None = None, zone: ZoneInfo | None = None
) -> tuple[datetime.date | None, str]:
    """The date written in `text`, or None and what is wrong with it (in words that do not
    repeat the value: the caller shows it). `order` (DAY_FIRST or MONTH_FIRST) reads an
    all-number date with the year last, as its column decided (`column_order`); without
    it such a date is refused, not guessed. A timestamp with "Z" or an offset is the date
    it was in `zone` (the user's; UTC without one)."""
    value = " ".join(text.split()).casefold()
    year = month = day = None
    if match := _ISO.fullmatch(value):
        year, month, day, _hour, _minute, offset = match.groups()
        if offset and _day(year, month, day):
            return _instant_day(value, zone)
    elif match := _DAY_MONTH_YEAR.fullmatch(value):
        day, month, year = match.group(1), _MONTHS.get(match.group(2)), match.group(3)
    elif match := _MONTH_DAY_YEAR.fullmatch(value):
        month, day, year = _MONTHS.get(match.group(1)), match.group(2), match.group(3)
    elif match := _YEAR_FIRST.fullmatch(value):
        year, month, day = match.group(1), match.group(2), match.group(3)
    elif match := _YEAR_LAST.fullmatch(value):
        if order is None:
            return None, _(
                "could be day-first or month-first, and we do not guess: write it "
                "YYYY-MM-DD, like 2026-11-20"
            )
        first, second, year = match.group(1), match.group(2), _year(match.group(3))
        day, month = (first, second) if order == DAY_FIRST else (second, first)
    elif match := _SERIAL.fullmatch(value):
        serial = int(match.group(1))
        if 25569 <= serial <= 73050:
            return _EXCEL_EPOCH + datetime.timedelta(days=serial), ""
    if month is not None:
        # Written as a date, so a wrong one is said as such: "2026-11-31" is no day.
        found = _day(year, month, day)
        return (found, "") if found else (None, not_a_day())
    return None, not_a_date()


def _day(year, month, day) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _instant_day(value: str, zone) -> tuple[datetime.date | None, str]:
    """The day of a timestamp with "Z" or an offset, in `zone`."""
    try:
        moment = datetime.datetime.fromisoformat(value.upper().replace(" ", "T"))
    except ValueError:
        return None, not_a_date()
    try:
        return moment.astimezone(zone or datetime.UTC).date(), ""
    except OverflowError:  # its day in the zone is before year 1 or after 9999
        return None, out_of_range()


@dataclass(frozen=True, slots=True)
class ColumnOrder:
    """How a column writes its all-number dates with the year last (`column_order`)."""

    order: str | None  # DAY_FIRST or MONTH_FIRST; None when the column holds both kinds
    settled: bool  # did a value settle it (a number above 12), or is it the default
    count: int  # how many of its values are such dates
    either: str  # the first value that fits both ways ("" if none)
    settling: str  # the first value that fits one way only and is a real day ("" if none)


def column_order(values, default: str) -> ColumnOrder:
    """DAY_FIRST or MONTH_FIRST for a column's all-number dates with the year last, as
    one of its values settles it (a first number above 12 is a day, a second above 12 a
    day too); `default` when none does; None when the column holds both kinds (then each
    such value is an error). One pass over the values."""
    day_first = month_first = True
    settled = False
    count = 0
    either = settling = ""
    for value in values:
        could = numeric_order(value)
        if could is None or could == (False, False):  # not one, or no date at all
            continue
        count += 1
        day_first, month_first = day_first and could[0], month_first and could[1]
        if could == (True, True):
            either = either or value
            continue
        settled = True
        if not settling and parse_date(value, order=DAY_FIRST if could[0] else MONTH_FIRST)[0]:
            settling = value
    if day_first and month_first:
        order = default
    elif day_first or month_first:
        order = DAY_FIRST if day_first else MONTH_FIRST
    else:
        order = None
    return ColumnOrder(order, settled, count, either, settling)
