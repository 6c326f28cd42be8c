"""Insights: what the job seeker's own records say about their search and about how
companies get back to them.

Every figure is a pure function of plain values (the engine's `ApplicationFacts`, and each
application's status from `applications.status`) and of the date it is computed on,
`as_of`: nothing here reads the clock or the database, and no rule of the engine is
re-implemented (statuses come in already evaluated). Like the engine, every measure only
looks at events dated on or before `as_of`, so insights "as of" a past date show what
the records said then.

The page draws its pictures from the geometry computed here (as `applications.timeline`
does for an application's story); beside each picture a table of the same numbers is its
text alternative, and a sentence says what it shows.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from applications import status as engine
from applications.humanize import date_in_words

WEEKS = 12  # the weekly chart covers the week containing as_of and the 11 before it

# An application still open on an offer they said is on its way is counted apart, in
# the weekly chart, from offers made and from the others waiting: not an offer yet, and
# not an ordinary wait either.
OFFER_COMING = engine.OFFER_COMING
# The order of the statuses in each stacked bar, its legend and its table: active ones
# first, in the dashboard's order of urgency, then an offer on its way, then the closed
# ones.
STATUS_ORDER = engine.ACTIVE_STATUSES + (OFFER_COMING,) + engine.CLOSED_STATUSES
LABELS = {**engine.LABELS, OFFER_COMING: gettext_lazy("Offer on its way")}


# --- the measures -----------------------------------------------------------------------


def week_start(day: date) -> date:
    """The Monday on or before `day` (weeks run Monday to Sunday)."""
    return day - timedelta(days=day.weekday())


@dataclass(slots=True)
class WeekCount:
    """The applications sent in one week (`start`, a Monday, to `end`, its Sunday), by the
    status each has as of the day the insights are computed on."""

    start: date
    end: date
    counts: dict  # status -> number of applications, every status of STATUS_ORDER present

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def in_order(self) -> list:
        """(status, count) pairs in STATUS_ORDER."""
        return [(status, self.counts[status]) for status in STATUS_ORDER]


def applications_per_week(
    applications: Iterable[tuple[date, str]], *, as_of: date, weeks: int = WEEKS
) -> list[WeekCount]:
    """Applications per week by current status, oldest week first.

    `applications` are (applied_on, status) pairs, the status being the engine's result as
    of `as_of` (or OFFER_COMING, see `category`). The weeks are the `weeks` weeks (Monday
    to Sunday) up to and including the one containing `as_of`. An application counts in
    the week its `applied_on` falls in; applications sent before the first Monday are left
    out, and so are any dated after `as_of` (like every measure here, this one looks at
    nothing after `as_of`).
    """
    first = week_start(as_of) - timedelta(weeks=weeks - 1)
    result = [
        WeekCount(
            start=first + timedelta(weeks=n),
            end=first + timedelta(weeks=n, days=6),
            counts=dict.fromkeys(STATUS_ORDER, 0),
        )
        for n in range(weeks)
    ]
    for applied_on, status in applications:
        if first <= applied_on <= as_of:
            result[(applied_on - first).days // 7].counts[status] += 1
    return result


def _responses_on_or_before(facts: engine.ApplicationFacts, as_of: date) -> list[date]:
    """The dates of the application's responses up to `as_of`, oldest first: those that
    said something. A courtesy reply ("thanks for your note") is no news, so it is not
    hearing back, as the engine's rules leave it out too."""
    return sorted(
        follow_up.date
        for follow_up in facts.follow_ups
        if follow_up.kind == engine.RESPONSE
        and follow_up.outcome != engine.COURTESY
        and follow_up.date <= as_of
    )


def offer_on_its_way(facts: engine.ApplicationFacts, *, as_of: date) -> bool:
    """Did the latest thing they said, up to `as_of`, say an offer is on its way? That is,
    the latest response that said something (courtesy replies left out; of two on one
    date, the one recorded later) has outcome offer_coming, and no interview came after
    it."""
    responses = [
        follow_up
        for follow_up in facts.follow_ups
        if follow_up.kind == engine.RESPONSE
        and follow_up.outcome != engine.COURTESY
        and follow_up.date <= as_of
    ]
    if not responses:
        return False
    latest = max(responses, key=lambda follow_up: (follow_up.date, follow_up.recorded))
    return latest.outcome == OFFER_COMING and not any(
        latest.date < interview.date <= as_of for interview in facts.interviews
    )


def category(facts: engine.ApplicationFacts, status: str, *, as_of: date) -> str:
    """Where an application stands in the weekly chart: its status, except that one
    waiting or due a follow-up on an offer on its way counts as OFFER_COMING."""
    if status in (engine.WAITING, engine.FOLLOW_UP_NOW) and offer_on_its_way(facts, as_of=as_of):
        return OFFER_COMING
    return status


def _first_on_or_after(days: list[date], day: date) -> date | None:
    """The earliest of the sorted `days` on or after `day`, if any."""
    for candidate in days:
        if candidate >= day:
            return candidate
    return None


def days_from_their_date(
    applications: Iterable[engine.ApplicationFacts], *, as_of: date
) -> list[int]:
    """How many days after the date they gave each company got back (negative: before it),
    sorted.

    One value per interview that had a `decision_by` and got an answer: the *first*
    response dated on or after the interview (and on or before `as_of`), provided no other
    interview came in between, that is, the interview is the latest one on or before the
    response's date (a response on an interview's own day follows that interview, as in
    the engine's rule 4). The value is response date - `decision_by`; for a range it is the
    end of the range, the date by which they said they would have decided. Later responses
    to the same interview are not counted again, and a date given in a response
    (`new_decision_by`) is not measured here. When several interviews share a day, the
    date given is the latest `decision_by` among them (the engine's tie rule).
    """
    late = []
    for facts in applications:
        responses = _responses_on_or_before(facts, as_of)
        if not responses:
            continue
        given_by_day = {}  # interview date -> latest decision_by given that day, or None
        for interview in facts.interviews:
            if interview.date <= as_of:
                given = given_by_day.get(interview.date)
                if interview.decision_by is not None and (
                    given is None or interview.decision_by > given
                ):
                    given = interview.decision_by
                given_by_day[interview.date] = given
        interview_days = sorted(given_by_day)
        for index, interview_on in enumerate(interview_days):
            given = given_by_day[interview_on]
            if given is None:
                continue
            response_on = _first_on_or_after(responses, interview_on)
            if response_on is None:
                continue
            following = interview_days[index + 1] if index + 1 < len(interview_days) else None
            if following is not None and following <= response_on:
                continue  # they got back after a later interview: it answers that one
            late.append((response_on - given).days)
    return sorted(late)


@dataclass(frozen=True, slots=True)
class Share:
    """`part` of `whole`; `percent` is rounded half up to a whole number."""

    part: int
    whole: int

    @property
    def percent(self) -> int | None:
        if not self.whole:
            return None
        return (200 * self.part + self.whole) // (2 * self.whole)

    @property
    def fraction(self) -> float:
        return self.part / self.whole if self.whole else 0.0


def check_ins_answered(applications: Iterable[engine.ApplicationFacts], *, as_of: date) -> Share:
    """The share of check-ins that got an answer.

    Counted: every check-in dated on or before `as_of`. Answered: a response from the same
    application is dated on the check-in's day or later (and on or before `as_of`), as in
    the engine's rule 6, "a response answers every check-in up to and including its own
    day". One response may answer several check-ins. Thank-you notes are not check-ins,
    and a courtesy reply is not an answer (the engine's rule 0): a check-in met with
    "thanks, we'll be in touch" is still waiting for one.
    """
    answered = total = 0
    for facts in applications:
        responses = _responses_on_or_before(facts, as_of)
        last_response = responses[-1] if responses else None
        for follow_up in facts.follow_ups:
            if follow_up.kind == engine.CHECK_IN and follow_up.date <= as_of:
                total += 1
                if last_response is not None and follow_up.date <= last_response:
                    answered += 1
    return Share(answered, total)


@dataclass(slots=True)
class HearBack:
    """Days from each interview to the first response after it, and the interviews still
    without one."""

    days: list  # sorted, one per interview that got a response
    without_response: int


def days_to_hear_back(applications: Iterable[engine.ApplicationFacts], *, as_of: date) -> HearBack:
    """How long after an interview the company got back.

    For each interview dated on or before `as_of`: the days from the interview to the
    first response from the same application dated on or after it (on or before `as_of`);
    0 when they answered the same day. A courtesy reply is not hearing back: the first
    response that said something counts (an offer on its way does). Interviews with no
    such response are counted in `without_response`. Interviews still ahead of `as_of`
    are left out. Two interviews before one response each count, each from its own date.
    """
    days = []
    without = 0
    for facts in applications:
        responses = _responses_on_or_before(facts, as_of)
        for interview in facts.interviews:
            if interview.date > as_of:
                continue
            response_on = _first_on_or_after(responses, interview.date)
            if response_on is None:
                without += 1
            else:
                days.append((response_on - interview.date).days)
    return HearBack(sorted(days), without)


def median(values: Sequence[int]) -> float | int | None:
    """The middle value (the mean of the two middle ones for an even count); None when
    there are no values. A whole number comes back as an int."""
    if not values:
        return None
    middle = statistics.median(values)
    return int(middle) if float(middle).is_integer() else middle


# --- pictures ---------------------------------------------------------------------------

CHART_WIDTH = 360  # every picture's viewBox is this wide: on a phone it shrinks little
WEEK_LABEL_X = 56  # week labels end here (text-anchor end)
BAR_LEFT, BAR_RIGHT = 62, 320  # room on the right for each bar's total
WEEK_ROW, WEEK_BAR = 25, 17
WEEK_TOP = 24  # the scale's numbers sit above the bars
DIGIT_WIDTH = 8  # about how wide a digit is at the pictures' font size


def _nice_step(largest: float, most_ticks: int, steps=(1, 2, 5)) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... (or `steps` times a power of ten) that
    cuts 0..`largest` into at most `most_ticks` parts."""
    power = 1
    while True:
        for step in steps:
            if largest / (step * power) <= most_ticks:
                return step * power
        power *= 10


@dataclass(slots=True)
class Segment:
    status: str
    count: int
    x: float
    width: float
    text_x: float  # the middle of the segment, where its count is printed
    label: str  # for the tooltip: "Week of Nov 30: 2 waiting"
    show_count: bool  # wide enough to print the count inside


@dataclass(slots=True)
class Bar:
    week: WeekCount
    y: int
    text_y: int  # baseline of the week's label and total
    label: str  # "Nov 30"
    segments: list
    total_x: float


@dataclass(slots=True)
class Tick:
    x: float
    label: str


@dataclass(slots=True)
class WeekChart:
    weeks: list
    bars: list
    ticks: list
    total: int
    width: int = CHART_WIDTH
    height: int = 0
    grid_top: int = WEEK_TOP - 6
    bar_left: int = BAR_LEFT
    bar_height: int = WEEK_BAR
    label_x: int = WEEK_LABEL_X
    legend: list = field(default_factory=list)  # (status, label, total over the weeks)
    summary: str = ""

    @property
    def has_data(self) -> bool:
        return self.total > 0


def week_chart(weeks: list[WeekCount]) -> WeekChart:
    """The stacked bars of `applications_per_week`: one row per week, oldest at the top."""
    largest = max((week.total for week in weeks), default=0)
    step = _nice_step(max(largest, 1), 4)
    scale_max = max(step * math.ceil(largest / step), step)
    unit = (BAR_RIGHT - BAR_LEFT) / scale_max
    bars = []
    for index, week in enumerate(weeks):
        y = WEEK_TOP + index * WEEK_ROW
        label = date_in_words(week.start, style="day_month")
        x = BAR_LEFT
        segments = []
        for status, count in week.in_order():
            if not count:
                continue
            width = count * unit
            segments.append(
                Segment(
                    status,
                    count,
                    round(x, 2),
                    round(width, 2),
                    round(x + width / 2, 2),
                    _("Week of %(week)s: %(count)d %(status)s")
                    % {"week": label, "count": count, "status": str(LABELS[status]).lower()},
                    width >= 6 + DIGIT_WIDTH * len(str(count)),
                )
            )
            x += width
        bars.append(Bar(week, y, y + WEEK_BAR - 4, label, segments, round(x + 4, 2)))
    totals = Counter()
    for week in weeks:
        totals.update(week.counts)
    total = sum(week.total for week in weeks)
    busiest = max(weeks, key=lambda week: week.total) if weeks else None
    summary = ""
    if total:
        summary = ngettext(
            "%(count)d application in the %(weeks)d weeks from %(first)s to %(last)s; "
            "the most in one week: %(most)d, the week of %(busiest)s.",
            "%(count)d applications in the %(weeks)d weeks from %(first)s to %(last)s; "
            "the most in one week: %(most)d, the week of %(busiest)s.",
            total,
        ) % {
            "count": total,
            "weeks": len(weeks),
            "first": date_in_words(weeks[0].start, style="short"),
            "last": date_in_words(weeks[-1].end, style="short"),
            "most": busiest.total,
            "busiest": date_in_words(busiest.start, style="day_month"),
        }
    return WeekChart(
        weeks=weeks,
        bars=bars,
        ticks=[
            Tick(round(BAR_LEFT + value * unit, 2), number_format(value))
            for value in range(0, scale_max + 1, step)
        ],
        total=total,
        height=WEEK_TOP + len(weeks) * WEEK_ROW,
        legend=[(status, LABELS[status], totals[status]) for status in STATUS_ORDER],
        summary=summary,
    )


PLOT_LEFT, PLOT_RIGHT = 16, CHART_WIDTH - 16
MOST_COLUMNS = 30  # more days than this apart: each column gathers several days
LARGEST_DOT = 7
STACK_HEIGHT = 120  # the tallest stack of dots; a taller one packs its dots closer
PLOT_TOP = 40  # two rows of labels above the dots: "their date", then "median"


@dataclass(slots=True)
class Dot:
    x: float
    y: float
    value: int


@dataclass(slots=True)
class Marker:
    x: float
    y: int  # where the line starts (its label sits just above)
    label: str
    anchor: str  # text-anchor of the label, kept inside the picture


@dataclass(slots=True)
class DotPlot:
    """A dot histogram: one dot per value, stacked over its day (or over a column of a
    few days when the values spread wide: `days_per_column`)."""

    dots: list
    radius: float
    ticks: list
    baseline: int
    height: int
    days_per_column: int
    reference: Marker | None  # the zero line ("their date"), when the plot has one
    median: Marker | None
    captions: list  # (x, anchor, text) under the scale
    width: int = CHART_WIDTH
    left: int = PLOT_LEFT
    right: int = PLOT_RIGHT

    @property
    def tick_end(self) -> int:
        return self.baseline + 5

    @property
    def tick_label_y(self) -> int:
        return self.baseline + 20

    @property
    def caption_y(self) -> int:
        return self.baseline + 38


def _signed(value: int | float) -> str:
    text = number_format(abs(value))
    if value > 0:
        return "+" + text
    if value < 0:
        return "\u2212" + text  # a minus sign, not a hyphen
    return text


def _anchor(x: float, text: str) -> str:
    """Keep a label centred on `x` inside the picture."""
    half = len(text) * DIGIT_WIDTH / 2
    if x - half < 2:
        return "start"
    if x + half > CHART_WIDTH - 2:
        return "end"
    return "middle"


def dot_plot(
    values: Sequence[int],
    *,
    signed: bool,
    reference_label: str = "",
    median_value: float | int | None = None,
    captions: tuple[str, str, str] = ("", "", ""),
) -> DotPlot | None:
    """Lay out `values` (whole days) as stacked dots over a scale of days.

    `signed`: days either side of 0 (early or late), with a line at 0 labelled
    `reference_label`; otherwise days from 0 up. The scale always spans at least a week
    so that a single value does not fill the picture. `captions`: texts under the scale
    at its left end, middle and right end. None for no values.
    """
    if not values:
        return None
    low, high = min(values), max(values)
    if signed:
        low, high = min(low, -3), max(high, 3)
    else:
        low = min(low, 0)
    if high - low < 7:
        high = low + 7
    days_per_column = max(1, math.ceil((high - low + 1) / MOST_COLUMNS))
    columns = (high - low) // days_per_column + 1
    # Make the scale end where the last column does.
    high = low + columns * days_per_column - 1
    span_days = columns * days_per_column
    plot_width = PLOT_RIGHT - PLOT_LEFT
    column_width = plot_width / columns

    def x_of(day: float) -> float:
        return round(PLOT_LEFT + (day - low + 0.5) / span_days * plot_width, 2)

    stacks = Counter((value - low) // days_per_column for value in values)
    tallest = max(stacks.values())
    radius = min(LARGEST_DOT, column_width / 2 - 1)
    pitch = 2 * radius + 2
    if tallest * pitch > STACK_HEIGHT:
        pitch = STACK_HEIGHT / tallest
        radius = min(radius, pitch / 2 - 0.25)
    radius = max(radius, 1.5)
    stack_height = max(tallest * pitch, 3 * (2 * LARGEST_DOT + 2))
    baseline = PLOT_TOP + math.ceil(stack_height)
    dots = []
    placed = Counter()
    for value in values:
        column = (value - low) // days_per_column
        centre_day = low + column * days_per_column + (days_per_column - 1) / 2
        dots.append(
            Dot(x_of(centre_day), round(baseline - pitch / 2 - placed[column] * pitch, 2), value)
        )
        placed[column] += 1

    step = _nice_step(high - low, 6, steps=(1, 2, 5, 7, 10, 14))
    first_tick = math.ceil(low / step) * step
    ticks = [
        Tick(x_of(day), _signed(day) if signed else number_format(day))
        for day in range(first_tick, high + 1, step)
    ]
    reference = None
    if signed:
        reference = Marker(x_of(0), 16, reference_label, _anchor(x_of(0), reference_label))
    median_marker = None
    if median_value is not None:
        text = _("median %(days)s") % {
            "days": _signed(median_value) if signed else number_format(median_value)
        }
        median_marker = Marker(x_of(median_value), 32, text, _anchor(x_of(median_value), text))
    left, middle, right = captions
    return DotPlot(
        dots=dots,
        radius=round(radius, 2),
        ticks=ticks,
        baseline=baseline,
        height=baseline + (44 if any(captions) else 26),
        days_per_column=days_per_column,
        reference=reference,
        median=median_marker,
        captions=[
            (x, anchor, text)
            for x, anchor, text in (
                (PLOT_LEFT, "start", left),
                ((PLOT_LEFT + PLOT_RIGHT) / 2, "middle", middle),
                (PLOT_RIGHT, "end", right),
            )
            if text
        ],
    )


RING_RADIUS = 46  # the check-in ring, in a 120 x 120 picture


@dataclass(slots=True)
class Ring:
    """A ring whose coloured arc, starting at the top, is the answered share: drawn as a
    circle's stroke dashed to `answered` then `unanswered` (lengths along the circle)."""

    answered: float
    unanswered: float
    radius: int = RING_RADIUS


def share_ring(share: Share) -> Ring | None:
    if not share.whole:
        return None
    circumference = 2 * math.pi * RING_RADIUS
    answered = round(share.fraction * circumference, 2)
    return Ring(answered, round(circumference - answered, 2))


# --- the page ---------------------------------------------------------------------------


def _days(value: float | int) -> str:
    """A number of days as a person reads it: "3", "2.5" (in the active locale)."""
    return number_format(value)


def _plural_count(value: float | int) -> int:
    """The count that picks the plural form for `value` days (a fraction reads plural)."""
    return int(value) if float(value).is_integer() else 2


FEW = 3  # fewer values than this: the page says the picture will get clearer


@dataclass(slots=True)
class Distribution:
    """Whole-day values, their median, their picture and their table."""

    values: list
    median: float | int | None
    plot: DotPlot | None
    rows: list  # (label, count) for each distinct value, in order
    sentence: str

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def is_sparse(self) -> bool:
        """Too few values to say much: the page says the picture will get clearer."""
        return len(self.values) < FEW


@dataclass(slots=True)
class Insights:
    as_of: date
    application_count: int
    weeks: WeekChart
    their_date: Distribution
    check_ins: Share
    ring: Ring | None
    check_in_sentence: str
    hear_back: Distribution
    without_response: int

    @property
    def is_empty(self) -> bool:
        return not self.application_count


def _lateness_label(value: int) -> str:
    if value < 0:
        return ngettext("%(days)d day early", "%(days)d days early", -value) % {"days": -value}
    if value > 0:
        return ngettext("%(days)d day late", "%(days)d days late", value) % {"days": value}
    return _("on the date they gave")


def _their_date_sentence(middle) -> str:
    if middle is None:
        return ""
    if middle == 0:
        return _("At the median, companies got back on the very date they gave.")
    days = abs(middle)
    if middle > 0:
        text = ngettext(
            "Companies got back a median of %(days)s day after the date they gave.",
            "Companies got back a median of %(days)s days after the date they gave.",
            _plural_count(days),
        )
    else:
        text = ngettext(
            "Companies got back a median of %(days)s day before the date they gave.",
            "Companies got back a median of %(days)s days before the date they gave.",
            _plural_count(days),
        )
    return text % {"days": _days(days)}


def _hear_back_sentence(middle) -> str:
    if middle is None:
        return ""
    if middle == 0:
        return _("At the median, you heard back on the day of the interview.")
    return ngettext(
        "At the median, you heard back %(days)s day after an interview.",
        "At the median, you heard back %(days)s days after an interview.",
        _plural_count(middle),
    ) % {"days": _days(middle)}


def _check_in_sentence(share: Share) -> str:
    if not share.whole:
        return ""
    return ngettext(
        "%(answered)d of your %(total)d check-in got an answer (%(percent)d%%).",
        "%(answered)d of your %(total)d check-ins got an answer (%(percent)d%%).",
        share.whole,
    ) % {"answered": share.part, "total": share.whole, "percent": share.percent}


def insights_from(
    applications: Sequence[tuple[engine.ApplicationFacts, str]], *, as_of: date
) -> Insights:
    """Every figure of the insights page for `applications`: (facts, status as of `as_of`)
    pairs, one per application of the user. The weekly chart counts an application on an
    offer on its way apart (`category`)."""
    all_facts = [facts for facts, _status in applications]

    late = days_from_their_date(all_facts, as_of=as_of)
    late_median = median(late)
    their_date = Distribution(
        values=late,
        median=late_median,
        plot=dot_plot(
            late,
            signed=True,
            reference_label=_("their date"),
            median_value=late_median,
            captions=(_("← early"), "", _("late →")),
        ),
        rows=[(_lateness_label(value), count) for value, count in sorted(Counter(late).items())],
        sentence=_their_date_sentence(late_median),
    )

    hear_back = days_to_hear_back(all_facts, as_of=as_of)
    back_median = median(hear_back.days)
    back = Distribution(
        values=hear_back.days,
        median=back_median,
        plot=dot_plot(
            hear_back.days,
            signed=False,
            median_value=back_median,
            captions=("", _("days after the interview"), ""),
        ),
        rows=[
            (
                ngettext("%(days)d day", "%(days)d days", value) % {"days": value}
                if value
                else _("the same day"),
                count,
            )
            for value, count in sorted(Counter(hear_back.days).items())
        ],
        sentence=_hear_back_sentence(back_median),
    )

    check_ins = check_ins_answered(all_facts, as_of=as_of)
    return Insights(
        as_of=as_of,
        application_count=len(applications),
        weeks=week_chart(
            applications_per_week(
                (
                    (facts.applied_on, category(facts, status, as_of=as_of))
                    for facts, status in applications
                ),
                as_of=as_of,
            )
        ),
        their_date=their_date,
        check_ins=check_ins,
        ring=share_ring(check_ins),
        check_in_sentence=_check_in_sentence(check_ins),
        hear_back=back,
        without_response=hear_back.without_response,
    )
