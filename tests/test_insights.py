"""Insights (/insights/): every figure from a known data set, computed by hand in the
comments, the pure measures of `applications.insights` at their edges (no database),
the pictures' geometry, and the page: its text alternatives, empty states, query count
and owner scoping.

The known data set is evaluated as of Thu 2026-12-10 with the default rules; the weeks
of the chart then start on the Mondays from 2026-09-21 to 2026-12-07.
"""

import datetime
import math
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import insights, selectors
from applications import status as engine
from tests.factories import (
    ApplicationFactory,
    FollowUpFactory,
    InterviewFactory,
    full_application,
)

D = datetime.date
AS_OF = D(2026, 12, 10)  # a Thursday
INSIGHTS = reverse("insights")


# ----------------------------------------------------------------------------------------
# Facts for the pure measures (no database)


APPLIED_ON = D(2026, 11, 2)


def facts(
    applied_on=APPLIED_ON,
    *,
    interviews=(),
    responses=(),
    check_ins=(),
    thank_yous=(),
    outcome="",
):
    """An application's facts. `interviews`: (date, decision_by) pairs, or
    (date, decision_from, decision_by) for a range."""
    interview_facts = []
    for interview in interviews:
        if len(interview) == 2:
            day, decision_by = interview
            decision_from = None
        else:
            day, decision_from, decision_by = interview
        interview_facts.append(engine.InterviewFacts(day, decision_from, decision_by))
    return engine.ApplicationFacts(
        applied_on=applied_on,
        interviews=tuple(interview_facts),
        follow_ups=tuple(
            [engine.FollowUpFacts(day, engine.RESPONSE) for day in responses]
            + [engine.FollowUpFacts(day, engine.CHECK_IN) for day in check_ins]
            + [engine.FollowUpFacts(day, engine.THANK_YOU) for day in thank_yous]
        ),
        outcome=outcome,
    )


# ----------------------------------------------------------------------------------------
# Applications per week


def test_the_weeks_are_the_twelve_mondays_to_sundays_up_to_the_one_containing_as_of():
    weeks = insights.applications_per_week([], as_of=AS_OF)

    assert len(weeks) == 12
    # Thu Dec 10 lies in the week of Mon Dec 7; eleven weeks before that: Mon Sep 21.
    assert (weeks[0].start, weeks[0].end) == (D(2026, 9, 21), D(2026, 9, 27))
    assert (weeks[-1].start, weeks[-1].end) == (D(2026, 12, 7), D(2026, 12, 13))
    assert all(week.start.weekday() == 0 and week.end.weekday() == 6 for week in weeks)
    week = datetime.timedelta(weeks=1)
    pairs = zip(weeks, weeks[1:], strict=False)
    assert all(later.start - earlier.start == week for earlier, later in pairs)
    assert all(week.total == 0 for week in weeks)


@pytest.mark.parametrize(
    "applied_on, week_index",
    [
        (D(2026, 9, 20), None),  # the Sunday before the first Monday: too old
        (D(2026, 9, 21), 0),  # the first Monday
        (D(2026, 9, 27), 0),  # ... and its Sunday
        (D(2026, 9, 28), 1),  # the next Monday starts the next week
        (D(2026, 12, 6), 10),  # the Sunday before as_of's week
        (D(2026, 12, 7), 11),  # the Monday of as_of's week
        (D(2026, 12, 10), 11),  # as_of itself
        (D(2026, 12, 11), None),  # in as_of's week but after it: not looked at
        (D(2025, 12, 10), None),  # a year before
    ],
)
def test_an_application_counts_in_the_week_it_was_sent(applied_on, week_index):
    weeks = insights.applications_per_week([(applied_on, engine.WAITING)], as_of=AS_OF)

    counted = [index for index, week in enumerate(weeks) if week.total]
    assert counted == ([] if week_index is None else [week_index])


@pytest.mark.parametrize(
    "as_of, first_monday",
    [
        (D(2026, 12, 7), D(2026, 9, 21)),  # as_of a Monday: its week is the last
        (D(2026, 12, 13), D(2026, 9, 21)),  # as_of a Sunday: still the same weeks
        (D(2026, 12, 14), D(2026, 9, 28)),  # the next Monday moves every week along
    ],
)
def test_the_weeks_follow_as_of_from_monday_to_sunday(as_of, first_monday):
    weeks = insights.applications_per_week([(as_of, engine.WAITING)], as_of=as_of)

    assert weeks[0].start == first_monday
    assert weeks[-1].start == first_monday + datetime.timedelta(weeks=11)
    assert weeks[-1].counts[engine.WAITING] == 1  # sent on as_of: the last week


def test_each_week_is_stacked_by_status_in_the_dashboards_order_then_the_closed_ones():
    monday = D(2026, 12, 7)
    sent = [
        (monday, engine.WITHDRAWN),
        (monday, engine.WAITING),
        (monday, engine.WAITING),
        (monday, engine.FOLLOW_UP_NOW),
        (monday, engine.OFFER),
    ]

    (*_, week) = insights.applications_per_week(sent, as_of=AS_OF)

    assert week.in_order() == [
        ("follow_up_now", 1),
        ("waiting", 2),
        ("likely_closed", 0),
        ("offer_coming", 0),  # an offer on its way, counted apart (rules v2)
        ("offer", 1),
        ("rejected", 0),
        ("withdrawn", 1),
    ]
    assert week.total == 5


# ----------------------------------------------------------------------------------------
# Getting back vs the date they gave

I1, BY1 = D(2026, 11, 10), D(2026, 11, 17)  # an interview on Nov 10, "we decide by Nov 17"


@pytest.mark.parametrize(
    "application, expected",
    [
        # Before the date they gave: negative. 11-13 - 11-17 = -4.
        (facts(interviews=[(I1, BY1)], responses=[D(2026, 11, 13)]), [-4]),
        # On it: 0. After it: 11-20 - 11-17 = +3.
        (facts(interviews=[(I1, BY1)], responses=[D(2026, 11, 17)]), [0]),
        (facts(interviews=[(I1, BY1)], responses=[D(2026, 11, 20)]), [3]),
        # Only the first response after the interview counts: 11-20, not 11-25.
        (facts(interviews=[(I1, BY1)], responses=[D(2026, 11, 25), D(2026, 11, 20)]), [3]),
        # A response on the interview's own day follows it: 11-10 - 11-17 = -7.
        (facts(interviews=[(I1, BY1)], responses=[I1]), [-7]),
        # A response before the interview answers nothing here.
        (facts(interviews=[(I1, BY1)], responses=[D(2026, 11, 5)]), []),
        # No date given: nothing to compare.
        (facts(interviews=[(I1, None)], responses=[D(2026, 11, 20)]), []),
        # A range: its end is the date. 11-16 - 11-17 = -1.
        (facts(interviews=[(I1, D(2026, 11, 15), BY1)], responses=[D(2026, 11, 16)]), [-1]),
        # A later interview (with no date) came before the response: it answers that one.
        (
            facts(interviews=[(I1, BY1), (D(2026, 11, 18), None)], responses=[D(2026, 11, 20)]),
            [],
        ),
        # A later interview on the response's own day: the response follows it.
        # 11-20 - 11-27 = -7; the first interview gets nothing.
        (
            facts(
                interviews=[(I1, BY1), (D(2026, 11, 20), D(2026, 11, 27))],
                responses=[D(2026, 11, 20)],
            ),
            [-7],
        ),
        # Two interviews, each answered: 11-12 - 11-17 = -5, 11-30 - 11-27 = +3.
        (
            facts(
                interviews=[(D(2026, 11, 20), D(2026, 11, 27)), (I1, BY1)],
                responses=[D(2026, 11, 30), D(2026, 11, 12)],
            ),
            [-5, 3],
        ),
        # Two interviews the same day: the latest date given counts. 11-20 - 11-19 = +1.
        (
            facts(interviews=[(I1, BY1), (I1, D(2026, 11, 19))], responses=[D(2026, 11, 20)]),
            [1],
        ),
        # Nothing after as_of: neither a response nor an interview still ahead.
        (facts(interviews=[(I1, BY1)], responses=[D(2026, 12, 11)]), []),
        (facts(interviews=[(D(2026, 12, 11), D(2026, 12, 12))], responses=[AS_OF]), []),
        # A response on as_of is looked at. 12-10 - 11-17 = +23.
        (facts(interviews=[(I1, BY1)], responses=[AS_OF]), [23]),
    ],
)
def test_days_from_their_date(application, expected):
    assert insights.days_from_their_date([application], as_of=AS_OF) == expected


def test_days_from_their_date_gathers_every_application_sorted():
    applications = [
        facts(interviews=[(I1, BY1)], responses=[D(2026, 11, 20)]),  # +3
        facts(interviews=[(I1, BY1)], responses=[D(2026, 11, 12)]),  # -5
        facts(interviews=[(I1, BY1)]),  # no response yet
    ]
    assert insights.days_from_their_date(applications, as_of=AS_OF) == [-5, 3]


# ----------------------------------------------------------------------------------------
# Check-ins that got an answer


@pytest.mark.parametrize(
    "application, answered, total",
    [
        # Answered on the same day (rule 6: a response answers check-ins up to its own day).
        (facts(check_ins=[D(2026, 11, 20)], responses=[D(2026, 11, 20)]), 1, 1),
        # Answered later; one response answers both.
        (facts(check_ins=[D(2026, 11, 20), D(2026, 11, 27)], responses=[D(2026, 11, 30)]), 2, 2),
        # A check-in after their last response is still unanswered.
        (facts(check_ins=[D(2026, 11, 20), D(2026, 11, 21)], responses=[D(2026, 11, 20)]), 1, 2),
        # A response before the check-in does not answer it.
        (facts(check_ins=[D(2026, 11, 20)], responses=[D(2026, 11, 19)]), 0, 1),
        # Thank-you notes are not check-ins.
        (facts(thank_yous=[D(2026, 11, 10)], responses=[D(2026, 11, 20)]), 0, 0),
        # Nothing after as_of: a check-in ahead is not counted, a response ahead answers none.
        (facts(check_ins=[D(2026, 12, 11)], responses=[D(2026, 12, 12)]), 0, 0),
        (facts(check_ins=[AS_OF], responses=[D(2026, 12, 11)]), 0, 1),
        (facts(check_ins=[AS_OF], responses=[AS_OF]), 1, 1),
    ],
)
def test_check_ins_answered(application, answered, total):
    share = insights.check_ins_answered([application], as_of=AS_OF)
    assert share == insights.Share(answered, total)


def test_a_response_answers_only_its_own_applications_check_ins():
    applications = [
        facts(check_ins=[D(2026, 11, 20)]),
        facts(responses=[D(2026, 11, 30)]),
    ]
    assert insights.check_ins_answered(applications, as_of=AS_OF) == insights.Share(0, 1)


@pytest.mark.parametrize(
    "part, whole, percent",
    [
        (0, 0, None),  # no check-ins: no share at all, not 0%
        (0, 5, 0),
        (5, 5, 100),
        (1, 3, 33),  # 33.3
        (2, 3, 67),  # 66.7
        (1, 8, 13),  # 12.5 rounds half up
        (4, 7, 57),  # 57.1
    ],
)
def test_the_share_in_percent_rounds_half_up(part, whole, percent):
    assert insights.Share(part, whole).percent == percent


# ----------------------------------------------------------------------------------------
# Days to hear back


@pytest.mark.parametrize(
    "application, days, without",
    [
        # The same day: 0.
        (facts(interviews=[(I1, None)], responses=[I1]), [0], 0),
        # The first response on or after it: 11-20 - 11-10 = 10, not 11-25.
        (facts(interviews=[(I1, None)], responses=[D(2026, 11, 25), D(2026, 11, 20)]), [10], 0),
        # A response before the interview does not count: still waiting.
        (facts(interviews=[(I1, None)], responses=[D(2026, 11, 5)]), [], 1),
        (facts(interviews=[(I1, BY1)]), [], 1),
        # Two interviews before one response: each counts from its own date.
        # 11-20 - 11-10 = 10, 11-20 - 11-13 = 7.
        (
            facts(interviews=[(I1, None), (D(2026, 11, 13), None)], responses=[D(2026, 11, 20)]),
            [7, 10],
            0,
        ),
        # Nothing after as_of: an interview ahead is left out, a response ahead is no answer.
        (facts(interviews=[(D(2026, 12, 11), None)], responses=[D(2026, 12, 12)]), [], 0),
        (facts(interviews=[(I1, None)], responses=[D(2026, 12, 11)]), [], 1),
        # An interview on as_of, answered that day.
        (facts(interviews=[(AS_OF, None)], responses=[AS_OF]), [0], 0),
    ],
)
def test_days_to_hear_back(application, days, without):
    hear_back = insights.days_to_hear_back([application], as_of=AS_OF)
    assert hear_back == insights.HearBack(days, without)


@pytest.mark.parametrize(
    "values, middle",
    [
        ([], None),
        ([5], 5),
        ([10, 1, 3], 3),  # odd: the middle one, whatever the order given
        ([1, 2, 3, 4], 2.5),  # even: the mean of the two middle ones
        ([1, 3, 5, 7], 4),  # ... a whole number stays whole
        ([-4, -1], -2.5),
        ([-3, 3], 0),
    ],
)
def test_median(values, middle):
    result = insights.median(values)
    assert result == middle
    assert type(result) is type(middle)


# ----------------------------------------------------------------------------------------
# The pictures' geometry


def test_the_weekly_bars_are_as_long_as_their_counts():
    weeks = insights.applications_per_week(
        [(D(2026, 12, 7), engine.WAITING)] * 2
        + [(D(2026, 12, 8), engine.OFFER)]
        + [(D(2026, 9, 21), engine.REJECTED)],
        as_of=AS_OF,
    )

    chart = insights.week_chart(weeks)

    # The largest week has 3: a scale of 0..3 in steps of 1 over the 258 units of a bar.
    unit = (insights.BAR_RIGHT - insights.BAR_LEFT) / 3
    assert [tick.label for tick in chart.ticks] == ["0", "1", "2", "3"]
    assert [tick.x for tick in chart.ticks] == [
        round(insights.BAR_LEFT + n * unit, 2) for n in range(4)
    ]
    last = chart.bars[-1]
    assert [(s.status, s.count, s.x, s.width) for s in last.segments] == [
        ("waiting", 2, insights.BAR_LEFT, round(2 * unit, 2)),
        ("offer", 1, round(insights.BAR_LEFT + 2 * unit, 2), round(unit, 2)),
    ]
    assert last.label == "Dec 7"
    assert last.segments[0].label == "Week of Dec 7: 2 waiting"
    assert chart.bars[0].segments[0].status == "rejected"
    assert chart.bars[1].segments == []
    # Rows go down a row at a time, oldest week on top, all inside the picture.
    assert [bar.y for bar in chart.bars] == [
        insights.WEEK_TOP + n * insights.WEEK_ROW for n in range(12)
    ]
    assert chart.height >= chart.bars[-1].y + insights.WEEK_BAR
    assert chart.legend[1][0] == "waiting" and chart.legend[1][2] == 2
    assert chart.summary == (
        "4 applications in the 12 weeks from Sep 21, 2026 to Dec 13, 2026; "
        "the most in one week: 3, the week of Dec 7."
    )


def test_a_count_is_printed_in_its_segment_only_where_it_fits():
    busy = [(D(2026, 12, 7), engine.WAITING)] * 40 + [(D(2026, 12, 7), engine.OFFER)]

    chart = insights.week_chart(insights.applications_per_week(busy, as_of=AS_OF))

    # 41 in at most 4 steps of 1, 2, 5, 10, 20...: 0..60 in steps of 20, where one
    # application is 258 / 60 = 4.3 units wide, too narrow for its count.
    assert [tick.label for tick in chart.ticks] == ["0", "20", "40", "60"]
    waiting, offer = chart.bars[-1].segments
    assert waiting.show_count and not offer.show_count


def test_the_dot_plot_puts_each_value_over_its_day_and_stacks_equal_ones():
    plot = insights.dot_plot(
        [3, -2, 0, 3], signed=True, reference_label="their date", median_value=1.5
    )

    # Days -3..4 (at least 3 either side of 0, at least a week wide): 8 columns over
    # 328 units, 41 each; day d sits at 16 + (d + 3 + 0.5) * 41.
    def x(day):
        return 16 + (day + 3.5) * 41

    assert plot.days_per_column == 1
    assert plot.radius == 7
    assert plot.reference.x == x(0) and plot.reference.label == "their date"
    assert plot.median.x == x(1.5) and plot.median.label == "median +1.5"
    assert sorted((dot.value, dot.x) for dot in plot.dots) == [
        (-2, x(-2)),
        (0, x(0)),
        (3, x(3)),
        (3, x(3)),
    ]
    # Equal values stack upwards from the baseline, a dot's height (16) apart.
    threes = sorted(dot.y for dot in plot.dots if dot.value == 3)
    assert threes == [plot.baseline - 24, plot.baseline - 8]
    assert [tick.label for tick in plot.ticks] == ["\u22122", "0", "+2", "+4"]
    assert all(
        dot.x - plot.radius >= insights.PLOT_LEFT and dot.x + plot.radius <= insights.PLOT_RIGHT
        for dot in plot.dots
    )


def test_a_wide_spread_gathers_several_days_per_column():
    plot = insights.dot_plot([0, 100], signed=False, median_value=50)

    # 0..100 is 101 days: at most 30 columns, so 4 days each (26 columns, days 0..103).
    assert plot.days_per_column == 4
    assert plot.reference is None
    first, last = sorted(dot.x for dot in plot.dots)
    assert first == round(16 + 2 / 104 * 328, 2)  # the middle of days 0-3
    assert last == round(16 + 102 / 104 * 328, 2)  # the middle of days 100-103
    assert insights.dot_plot([], signed=False) is None


def test_the_ring_arc_is_the_answered_share_of_its_circumference():
    ring = insights.share_ring(insights.Share(1, 4))
    circumference = 2 * math.pi * insights.RING_RADIUS

    assert ring.answered == round(circumference / 4, 2)
    assert ring.answered + ring.unanswered == pytest.approx(circumference, abs=0.01)
    assert insights.share_ring(insights.Share(0, 0)) is None


# ----------------------------------------------------------------------------------------
# The known data set, through the selector


def _application(owner, company, applied_on, *, outcome=""):
    return ApplicationFactory(owner=owner, company=company, applied_on=applied_on, outcome=outcome)


def _interview(application, day, decision_by=None, decision_from=None):
    InterviewFactory(
        application=application, date=day, decision_by=decision_by, decision_from=decision_from
    )


def _follow_up(application, day, kind, **kwargs):
    FollowUpFactory(application=application, date=day, kind=kind, **kwargs)


@pytest.fixture
def known(owner):
    """Ten applications of the owner. Evaluated as of Thu 2026-12-10, default rules.

    app      applied    events ("I" interview, "by" its decision_by, "R" response)   status
    Acme     Mon 11-02  I 11-10 by 11-17; thank-you 11-10; check-in 11-20;      offer
                        R 11-20 next round, new date 12-01; I 12-03;
                        R 12-08 offer
    Birch    Mon 11-16  I 11-24 by 12-01; check-in 11-25; R 11-27               follow_up_now
    Cedar    Sun 11-22  I 11-30, range 12-02..12-04; check-in 12-07             waiting
    Dune     Mon 12-07  -                                                       waiting
    Elm      Sun 09-20  I 09-28 by 10-05; R 10-07 rejected                      rejected
    Fir      Mon 09-21  I 10-01 by 10-08; check-ins 10-12, 10-20; R 10-22;      withdrawn
                        I 10-28 by 11-04; the user withdrew
    Gale     Mon 10-26  I 11-02 by 11-06; I 11-09 by 11-13; R 11-12 rejected    rejected
    Hazel    Mon 10-12  I 10-20, no date; check-ins 10-27, 11-03                likely_closed
    Ivy      Wed 12-09  I 12-15 by 12-18; check-in 12-11; R 12-12 (all ahead)   waiting
    Juniper  Fri 12-11  - (sent after as_of)                                    waiting

    Statuses (docs/status-rules.md): Acme, Gale, Elm: rule 1, their latest response's outcome;
    Fir: the user's outcome. Birch: the response 11-27 is the anchor with no new date, so
    the window opens 11-27 + 7 = Fri 12-04 <= 12-10 (the 11-25 check-in is before the
    anchor). Cedar: window 12-04 + 2 = Sun 12-06 -> Mon 12-07; one check-in, the next due
    12-14 > 12-10. Dune, Juniper: applied phase, window 14 days on. Hazel: window 10-27,
    two check-ins, likely closed from max(11-03 + 7, 10-27) = 11-10. Ivy: rule 2.
    """
    acme = _application(owner, "Acme", D(2026, 11, 2))
    _interview(acme, D(2026, 11, 10), D(2026, 11, 17))
    _follow_up(acme, D(2026, 11, 10), "thank_you")
    _follow_up(acme, D(2026, 11, 20), "check_in")
    _follow_up(
        acme, D(2026, 11, 20), "response", outcome="next_round", new_decision_by=D(2026, 12, 1)
    )
    _interview(acme, D(2026, 12, 3))
    _follow_up(acme, D(2026, 12, 8), "response", outcome="offer")

    birch = _application(owner, "Birch", D(2026, 11, 16))
    _interview(birch, D(2026, 11, 24), D(2026, 12, 1))
    _follow_up(birch, D(2026, 11, 25), "check_in")
    _follow_up(birch, D(2026, 11, 27), "response")

    cedar = _application(owner, "Cedar", D(2026, 11, 22))
    _interview(cedar, D(2026, 11, 30), D(2026, 12, 4), decision_from=D(2026, 12, 2))
    _follow_up(cedar, D(2026, 12, 7), "check_in")

    _application(owner, "Dune", D(2026, 12, 7))

    elm = _application(owner, "Elm", D(2026, 9, 20))
    _interview(elm, D(2026, 9, 28), D(2026, 10, 5))
    _follow_up(elm, D(2026, 10, 7), "response", outcome="rejected")

    fir = _application(owner, "Fir", D(2026, 9, 21), outcome="withdrawn")
    _interview(fir, D(2026, 10, 1), D(2026, 10, 8))
    _follow_up(fir, D(2026, 10, 12), "check_in")
    _follow_up(fir, D(2026, 10, 20), "check_in")
    _follow_up(fir, D(2026, 10, 22), "response")
    _interview(fir, D(2026, 10, 28), D(2026, 11, 4))

    gale = _application(owner, "Gale", D(2026, 10, 26))
    _interview(gale, D(2026, 11, 2), D(2026, 11, 6))
    _interview(gale, D(2026, 11, 9), D(2026, 11, 13))
    _follow_up(gale, D(2026, 11, 12), "response", outcome="rejected")

    hazel = _application(owner, "Hazel", D(2026, 10, 12))
    _interview(hazel, D(2026, 10, 20))
    _follow_up(hazel, D(2026, 10, 27), "check_in")
    _follow_up(hazel, D(2026, 11, 3), "check_in")

    ivy = _application(owner, "Ivy", D(2026, 12, 9))
    _interview(ivy, D(2026, 12, 15), D(2026, 12, 18))
    _follow_up(ivy, D(2026, 12, 11), "check_in")
    _follow_up(ivy, D(2026, 12, 12), "response")

    _application(owner, "Juniper", D(2026, 12, 11))
    return owner


@pytest.fixture
def strangers_data(stranger):
    """Another user's application that would change every figure if it were counted:
    applied in as_of's week, answered 30 days late, a check-in answered."""
    theirs = _application(stranger, "Theirs", D(2026, 12, 7))
    _interview(theirs, D(2026, 9, 1), D(2026, 9, 2))
    _follow_up(theirs, D(2026, 10, 1), "check_in")
    _follow_up(theirs, D(2026, 10, 2), "response")
    return stranger


def known_insights(user):
    return selectors.insights_get(user=user, as_of=AS_OF, rules=engine.DEFAULT_RULES)


@pytest.mark.django_db
def test_the_known_data_set_gives_the_hand_computed_weeks(known, strangers_data):
    weeks = known_insights(known).weeks

    # Elm (09-20, the Sunday before the first Monday) and Juniper (12-11, after as_of)
    # are left out; Cedar, sent on Sunday 11-22, is in the week of Mon 11-16.
    by_week = {
        week.start: {status: count for status, count in week.counts.items() if count}
        for week in weeks.weeks
    }
    assert by_week == {
        D(2026, 9, 21): {"withdrawn": 1},  # Fir
        D(2026, 9, 28): {},
        D(2026, 10, 5): {},
        D(2026, 10, 12): {"likely_closed": 1},  # Hazel
        D(2026, 10, 19): {},
        D(2026, 10, 26): {"rejected": 1},  # Gale
        D(2026, 11, 2): {"offer": 1},  # Acme
        D(2026, 11, 9): {},
        D(2026, 11, 16): {"follow_up_now": 1, "waiting": 1},  # Birch, Cedar
        D(2026, 11, 23): {},
        D(2026, 11, 30): {},
        D(2026, 12, 7): {"waiting": 2},  # Dune, Ivy (not the stranger's)
    }
    assert weeks.total == 8


@pytest.mark.django_db
def test_the_known_data_set_gives_the_hand_computed_days_from_their_date(known, strangers_data):
    their_date = known_insights(known).their_date

    # Acme: R 11-20 - by 11-17 = +3 (its 12-03 interview gave no date).
    # Birch: 11-27 - 12-01 = -4 (early).
    # Elm: 10-07 - 10-05 = +2.
    # Fir: 10-22 - 10-08 = +14 (its 10-28 interview has no response yet).
    # Gale: the 11-12 response follows the 11-09 interview, not the 11-02 one:
    #   11-12 - 11-13 = -1.
    # Ivy: everything is after as_of. Sorted: -4 -1 2 3 14; the middle one: 2.
    assert their_date.values == [-4, -1, 2, 3, 14]
    assert their_date.median == 2
    assert their_date.sentence == "Companies got back a median of 2 days after the date they gave."
    assert their_date.rows == [
        ("4 days early", 1),
        ("1 day early", 1),
        ("2 days late", 1),
        ("3 days late", 1),
        ("14 days late", 1),
    ]


@pytest.mark.django_db
def test_the_known_data_set_gives_the_hand_computed_check_in_share(known, strangers_data):
    figures = known_insights(known)

    # Answered: Acme 11-20 (a response the same day), Birch 11-25 (11-27), Fir 10-12 and
    # 10-20 (10-22). Unanswered: Cedar 12-07, Hazel 10-27 and 11-03. Not counted: Acme's
    # thank-you, Ivy's check-in after as_of. 4 of 7 = 57.1%.
    assert figures.check_ins == insights.Share(4, 7)
    assert figures.check_ins.percent == 57
    assert figures.check_in_sentence == "4 of your 7 check-ins got an answer (57%)."


@pytest.mark.django_db
def test_the_known_data_set_gives_the_hand_computed_days_to_hear_back(known, strangers_data):
    figures = known_insights(known)

    # Acme 11-10 -> 11-20: 10, 12-03 -> 12-08: 5. Birch 11-24 -> 11-27: 3.
    # Elm 09-28 -> 10-07: 9. Fir 10-01 -> 10-22: 21; 10-28: none yet.
    # Gale 11-02 -> 11-12: 10, 11-09 -> 11-12: 3. Cedar 11-30, Hazel 10-20: none yet.
    # Ivy's interview is ahead. Sorted: 3 3 5 9 10 10 21; the middle (4th) one: 9.
    assert figures.hear_back.values == [3, 3, 5, 9, 10, 10, 21]
    assert figures.hear_back.median == 9
    assert figures.without_response == 3
    assert figures.hear_back.sentence == "At the median, you heard back 9 days after an interview."


@pytest.mark.django_db
def test_the_strangers_figures_are_their_own(known, strangers_data):
    figures = known_insights(strangers_data)

    assert figures.application_count == 1
    assert figures.weeks.total == 1
    # 10-02 - 09-02 = +30; 09-01 -> 10-02 = 31 days; their one check-in answered.
    assert figures.their_date.values == [30]
    assert figures.hear_back.values == [31]
    assert figures.check_ins == insights.Share(1, 1)


@pytest.mark.django_db
def test_an_account_without_applications_has_empty_figures(owner):
    figures = known_insights(owner)

    assert figures.is_empty
    assert not figures.weeks.has_data
    assert figures.their_date.values == [] and figures.their_date.median is None
    assert figures.their_date.plot is None and figures.their_date.sentence == ""
    assert figures.hear_back.plot is None and figures.without_response == 0
    assert figures.check_ins == insights.Share(0, 0) and figures.ring is None


# ----------------------------------------------------------------------------------------
# The page


@pytest.fixture
def on_known_day(monkeypatch):
    """The page's today is the known data set's as_of."""
    monkeypatch.setattr(selectors, "local_today", lambda *, prefs, now=None: AS_OF)


def page(client, user=None):
    """The insights page's HTML, signed in as `user` if one is given."""
    if user is not None:
        client.force_login(user)
    response = client.get(INSIGHTS)
    assert response.status_code == 200
    return response.content.decode()


def legend_of(html):
    """The statuses the chart's legend names, in its order."""
    legend = re.search(r'<ul class="legend ins-legend".*?</ul>', html, re.S).group()
    return re.findall(r"ins-s-(\w+)", legend)


@pytest.mark.django_db
def test_the_page_states_every_figure_of_the_known_data_set(
    known, strangers_data, client, on_known_day
):
    html = page(client, known)

    assert "As of Thu, Dec 10, 2026" in html
    assert html.count("Companies got back a median of 2 days after the date they gave.") == 2
    assert "4 of your 7 check-ins got an answer (57%)." in html
    assert ">57%</text>" in html
    assert "At the median, you heard back 9 days after an interview." in html
    assert "3 interviews have no response yet." in html
    assert "8 applications in the 12 weeks from Sep 21, 2026 to Dec 13, 2026" in html
    # Each measure is defined on the page, in plain words.
    assert "Each bar is a week, Monday to Sunday, over the last 12 weeks." in html
    assert "A check-in got an answer when they responded on the same day or later." in html
    # Every status has an application in the chart: the legend names all six, in the
    # order they are stacked.
    assert legend_of(html) == [
        "follow_up_now",
        "waiting",
        "likely_closed",
        "offer",
        "rejected",
        "withdrawn",
    ]


@pytest.mark.django_db
def test_every_picture_is_an_image_named_and_described_and_has_its_numbers_in_a_table(
    known, client, on_known_day
):
    html = page(client, known)

    svgs = re.findall(r"<svg [^>]*>", html)
    assert len(svgs) == 4
    for svg in svgs:
        assert 'role="img"' in svg
        assert re.search(r'viewBox="0 0 \d+ \d+"', svg)  # scales with its card
        title_id, desc_id = re.search(r'aria-labelledby="([\w-]+) ([\w-]+)"', svg).groups()
        assert f'<title id="{title_id}">' in html
        assert f'<desc id="{desc_id}">' in html
    # The week table: a caption, a header row, a row per week.
    table = re.search(
        r'<table class="ins-table">\s*<caption[^>]*>Applications per week.*?</table>', html, re.S
    ).group()
    assert len(re.findall(r'<th scope="row">', table)) == 12
    assert '<th scope="col">Follow up now</th>' in table
    assert len(re.findall(r"<caption", html)) == 3
    # No chart script, from anywhere: the pictures are drawn by the server.
    assert "<script" not in html


@pytest.mark.django_db
def test_the_page_of_an_account_without_applications_says_what_will_appear(owner_client):
    html = page(owner_client)

    assert "Nothing to show yet" in html
    assert "how early or late companies get back" in html
    assert "<svg" not in html
    assert f'href="{reverse("application_new")}"' in html


@pytest.mark.django_db
def test_with_one_application_the_other_figures_say_what_will_appear(owner, owner_client, today):
    ApplicationFactory(owner=owner, applied_on=today)

    html = page(owner_client)

    assert html.count("<svg") == 1
    assert "1 application in the 12 weeks" in html
    # The legend names only the statuses in the chart; the table still has them all.
    assert legend_of(html) == ["waiting"]
    assert '<th scope="col">Withdrawn</th>' in html
    assert "Nothing to compare yet." in html
    assert "No responses after an interview yet." in html
    assert "No check-ins recorded yet." in html


@pytest.mark.django_db
def test_the_page_answers_only_get_and_only_signed_in(owner_client, client):
    assert owner_client.post(INSIGHTS).status_code == 405
    client.logout()
    response = client.get(INSIGHTS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_page_costs_the_same_queries_for_3_and_for_30_applications(owner, owner_client, today):
    def insights_queries():
        with CaptureQueriesContext(connection) as captured:
            html = page(owner_client)
        return len(captured), html

    # Applied 40 days ago, so that every event of a full_application is in the past:
    # its check-in (day 24) is answered by its response (day 26).
    applied_on = today - datetime.timedelta(days=40)
    for _ in range(3):
        full_application(owner, applied_on=applied_on)
    with_three, html = insights_queries()
    assert "3 of your 3 check-ins got an answer (100%)." in html
    for _ in range(27):
        full_application(owner, applied_on=applied_on)
    with_thirty, html = insights_queries()
    assert "30 of your 30 check-ins got an answer (100%)." in html

    # 1 session, 2 user, 3 preferences, 4 applications, 5 the people at each interview,
    # 6 interviews, 7 follow-ups.
    assert with_three == with_thirty == 7


@pytest.mark.django_db
def test_with_few_values_the_page_says_the_picture_will_get_clearer(
    known, strangers_data, client, on_known_day
):
    html = page(client, strangers_data)

    # The stranger has one response after a date (+30) and one interview answered (31).
    assert "Companies got back a median of 30 days after the date they gave." in html
    assert "Only 1 response so far" in html
    assert "Only 1 interview with a response so far" in html
    assert "1 of your 1 check-in got an answer (100%)." in html

    html = page(client, known)
    assert "so far: the picture gets clearer" not in html  # 5 and 7 values


# ----------------------------------------------------------------------------------------
# Rules v2: an offer on its way counts apart; a courtesy reply is not hearing back


def reply(day, outcome="", recorded=0):
    return engine.FollowUpFacts(day, engine.RESPONSE, outcome=outcome, recorded=recorded)


AN_INTERVIEW = (D(2026, 11, 10), D(2026, 11, 17))


def with_replies(*replies, interviews=(AN_INTERVIEW,), check_ins=()):
    base = facts(interviews=interviews, check_ins=check_ins)
    return engine.ApplicationFacts(
        applied_on=base.applied_on,
        interviews=base.interviews,
        follow_ups=base.follow_ups + tuple(replies),
    )


@pytest.mark.parametrize(
    "replies, on_its_way",
    [
        ([reply(D(2026, 11, 20), "offer_coming")], True),
        # A courtesy reply since says nothing: the offer is still on its way.
        ([reply(D(2026, 11, 20), "offer_coming"), reply(D(2026, 11, 25), "courtesy")], True),
        # Anything said since does: an update, the offer itself.
        ([reply(D(2026, 11, 20), "offer_coming"), reply(D(2026, 11, 25))], False),
        ([reply(D(2026, 11, 20), "offer_coming"), reply(D(2026, 11, 25), "offer")], False),
        # One date: the one recorded later counts as later.
        ([reply(D(2026, 11, 20), "offer_coming", 2), reply(D(2026, 11, 20), "", 1)], True),
        ([reply(D(2026, 11, 20), "offer_coming", 1), reply(D(2026, 11, 20), "", 2)], False),
        # Not yet said as of the day asked.
        ([reply(AS_OF + datetime.timedelta(days=1), "offer_coming")], False),
        ([], False),
    ],
)
def test_an_offer_is_on_its_way_when_that_is_the_latest_thing_they_said(replies, on_its_way):
    assert insights.offer_on_its_way(with_replies(*replies), as_of=AS_OF) is on_its_way


def test_an_interview_after_the_offer_was_announced_is_news_too():
    application = with_replies(
        reply(D(2026, 11, 20), "offer_coming"),
        interviews=((D(2026, 11, 10), D(2026, 11, 17)), (D(2026, 11, 24), None)),
    )

    assert not insights.offer_on_its_way(application, as_of=AS_OF)


@pytest.mark.parametrize(
    "status, category",
    [
        (engine.WAITING, "offer_coming"),
        (engine.FOLLOW_UP_NOW, "offer_coming"),
        (engine.LIKELY_CLOSED, engine.LIKELY_CLOSED),  # silence after it: no longer counted
        (engine.WITHDRAWN, engine.WITHDRAWN),
    ],
)
def test_an_open_application_on_an_offer_on_its_way_has_its_own_place(status, category):
    application = with_replies(reply(D(2026, 11, 20), "offer_coming"))

    assert insights.category(application, status, as_of=AS_OF) == category


def test_the_weekly_chart_counts_offers_on_their_way_apart_from_offers():
    monday = D(2026, 12, 7)
    coming = with_replies(reply(D(2026, 12, 8), "offer_coming"))
    made = with_replies(reply(D(2026, 12, 8), "offer"))
    waiting = with_replies()
    sent = [
        (engine.ApplicationFacts(applied_on=monday, follow_ups=application.follow_ups), status)
        for application, status in [
            (coming, engine.WAITING),
            (made, engine.OFFER),
            (waiting, engine.WAITING),
        ]
    ]

    chart = insights.insights_from(sent, as_of=AS_OF).weeks

    assert chart.weeks[-1].in_order() == [
        ("follow_up_now", 0),
        ("waiting", 1),
        ("likely_closed", 0),
        ("offer_coming", 1),
        ("offer", 1),
        ("rejected", 0),
        ("withdrawn", 0),
    ]
    assert ("offer_coming", "Offer on its way", 1) in [
        (status, str(label), total) for status, label, total in chart.legend
    ]


def test_a_courtesy_reply_is_not_hearing_back_after_an_interview():
    interview = (D(2026, 11, 10), D(2026, 11, 17))
    courtesy_only = with_replies(reply(D(2026, 11, 12), "courtesy"), interviews=(interview,))
    then_news = with_replies(
        reply(D(2026, 11, 12), "courtesy"), reply(D(2026, 11, 19)), interviews=(interview,)
    )
    offer_said = with_replies(reply(D(2026, 11, 15), "offer_coming"), interviews=(interview,))

    heard = insights.days_to_hear_back([courtesy_only, then_news, offer_said], as_of=AS_OF)

    # 11-19 - 11-10 = 9 (the courtesy reply on 11-12 is not it); 11-15 - 11-10 = 5.
    assert (heard.days, heard.without_response) == ([5, 9], 1)
    assert insights.days_from_their_date([courtesy_only, then_news], as_of=AS_OF) == [2]


def test_a_courtesy_reply_does_not_answer_a_check_in():
    application = with_replies(
        reply(D(2026, 11, 26), "courtesy"),
        check_ins=[D(2026, 11, 20), D(2026, 11, 25)],
    )
    answered_later = with_replies(
        reply(D(2026, 11, 26), "courtesy"), reply(D(2026, 12, 1)), check_ins=[D(2026, 11, 20)]
    )

    share = insights.check_ins_answered([application, answered_later], as_of=AS_OF)

    assert (share.part, share.whole) == (1, 3)


@pytest.mark.django_db
def test_the_page_shows_offers_on_their_way_in_the_chart_and_its_table(owner, client, on_known_day):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 12, 7))
    InterviewFactory(application=application, date=D(2026, 12, 8))
    FollowUpFactory(
        application=application,
        date=D(2026, 12, 9),
        kind="response",
        outcome="offer_coming",
        new_decision_by=D(2026, 12, 15),
    )

    html = page(client, owner)

    assert legend_of(html) == ["offer_coming"]
    assert '<th scope="col">Offer on its way</th>' in html
