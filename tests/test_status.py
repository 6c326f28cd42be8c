"""The status engine against docs/status-rules.md, rule by rule.

Each table pins a threshold with the day before, the day of, and the day after. Dates are
chosen on weekdays unless a test is about weekends, so rule 8 only moves what it should.
No database: the engine takes plain values.

Calendar used below (2026): Nov 2, 9, 16, 23, 30 and Dec 7, 14 are Mondays;
Dec 5, 12 are Saturdays and Dec 6, 13 Sundays.
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from applications.status import (
    ACTIVE_STATUSES,
    CHECK_IN,
    CLOSED_STATUSES,
    COURTESY,
    DEFAULT_RULES,
    FOLLOW_UP_NOW,
    LIKELY_CLOSED,
    NEXT_ROUND,
    OFFER,
    OFFER_COMING,
    REJECTED,
    RESPONSE,
    THANK_YOU,
    WAITING,
    WITHDRAWN,
    ApplicationFacts,
    FollowUpFacts,
    InterviewFacts,
    Rules,
    Status,
    evaluate,
    is_early_check_in,
    keep_searching,
    urgency_key,
)

# --- helpers: a small language for facts ---------------------------------------------


def d(text: str) -> date:
    """ "12-03" is 2026-12-03; a full ISO date is taken as it is."""
    return date.fromisoformat(text if len(text) == 10 else "2026-" + text)


def interview(day, by=None, since=None, contacts=(), timing=""):
    return InterviewFacts(
        date=d(day),
        decision_from=d(since) if since else None,
        decision_by=d(by) if by else None,
        contacts=tuple(contacts),
        timing=timing,
    )


def check_in(day):
    return FollowUpFacts(date=d(day), kind=CHECK_IN)


def thank_you(day, contact=None):
    return FollowUpFacts(date=d(day), kind=THANK_YOU, contact=contact)


def response(day, new_by=None, outcome=""):
    return FollowUpFacts(
        date=d(day), kind=RESPONSE, new_decision_by=d(new_by) if new_by else None, outcome=outcome
    )


def app(*events, applied="11-01", outcome="", snoozed=None):
    """An application from interviews and follow-ups given in any order."""
    return ApplicationFacts(
        applied_on=d(applied),
        interviews=tuple(e for e in events if isinstance(e, InterviewFacts)),
        follow_ups=tuple(e for e in events if isinstance(e, FollowUpFacts)),
        outcome=outcome,
        snoozed_until=d(snoozed) if snoozed else None,
    )


def status_on(facts, as_of, rules=DEFAULT_RULES):
    return evaluate(facts, rules, d(as_of))


def brief(result: Status):
    """(status, next action date) as the spec's tables write them."""
    day = result.next_action_date
    return (result.code, day.strftime("%m-%d") if day else None)


PLAIN = Rules(weekdays_only=False)  # for tables about something other than weekends


# --- rule 1: closed -------------------------------------------------------------------


@pytest.mark.parametrize("outcome", [OFFER, REJECTED, WITHDRAWN])
@pytest.mark.parametrize(
    "events",
    [
        pytest.param((), id="applied-phase"),
        pytest.param((interview("12-01", by="12-03"),), id="would-be-follow-up-now"),
        pytest.param((interview("12-15"),), id="interview-ahead"),
        pytest.param(
            (interview("11-02"), check_in("11-09"), check_in("11-16")), id="would-be-likely-closed"
        ),
        pytest.param((response("12-01", outcome=OFFER),), id="response-says-otherwise"),
    ],
)
def test_application_outcome_is_the_status_whatever_else_is_true(outcome, events):
    result = status_on(app(*events, outcome=outcome, snoozed="12-20"), "12-10")

    assert result.code == outcome
    assert result.next_action_date is None
    assert result.is_closed and not result.is_active


@pytest.mark.parametrize("outcome", [OFFER, REJECTED])
@pytest.mark.parametrize(
    "as_of, closed",
    [("11-19", False), ("11-20", True), ("11-21", True)],
)
def test_latest_response_with_offer_or_rejection_closes_it_from_its_day(outcome, as_of, closed):
    facts = app(interview("11-10"), response("11-20", outcome=outcome))

    result = status_on(facts, as_of)

    if closed:
        assert brief(result) == (outcome, None)
    else:
        assert result.code in ACTIVE_STATUSES


def test_next_round_response_does_not_close_it():
    facts = app(interview("11-10"), response("11-20", outcome=NEXT_ROUND))

    assert brief(status_on(facts, "12-10")) == (FOLLOW_UP_NOW, "11-27")


@pytest.mark.parametrize(
    "events, expected",
    [
        pytest.param(
            (response("11-20", outcome=REJECTED), response("11-24", outcome=NEXT_ROUND)),
            (FOLLOW_UP_NOW, "12-01"),
            id="a-later-reply-reopens-a-rejection",
        ),
        pytest.param(
            (response("11-20", outcome=NEXT_ROUND), response("11-24", outcome=OFFER)),
            (OFFER, None),
            id="a-later-offer-closes",
        ),
        pytest.param(
            (response("11-24", outcome=REJECTED), response("11-24")),
            (REJECTED, None),
            id="same-day-replies-the-decisive-one-wins",
        ),
    ],
)
def test_only_the_latest_response_can_close_it(events, expected):
    facts = app(interview("11-10"), *events)

    assert brief(status_on(facts, "12-10")) == expected
    assert brief(status_on(app(interview("11-10"), *reversed(events)), "12-10")) == expected


@pytest.mark.parametrize("outcome", [OFFER, REJECTED])
def test_closing_response_after_as_of_is_ignored(outcome):
    facts = app(interview("12-01", by="12-03"), response("12-11", outcome=outcome))

    assert brief(status_on(facts, "12-10")) == (FOLLOW_UP_NOW, "12-07")
    assert brief(status_on(facts, "12-11")) == (outcome, None)


def test_closing_response_wins_over_an_interview_ahead():
    facts = app(interview("12-15"), response("12-08", outcome=REJECTED))

    assert brief(status_on(facts, "12-10")) == (REJECTED, None)


# --- rule 2: interview ahead ------------------------------------------------------------


@pytest.mark.parametrize(
    "as_of, expected",
    [
        ("12-09", (WAITING, "12-10")),
        ("12-10", (WAITING, "12-17")),  # interview day: its own window opens a week later
        ("12-11", (WAITING, "12-17")),
    ],
)
def test_interview_ahead_waits_until_the_interview_day(as_of, expected):
    facts = app(interview("11-16", by="11-20"), interview("12-10"))

    assert brief(status_on(facts, as_of)) == expected


def test_interview_ahead_waits_for_the_earliest_upcoming_interview():
    facts = app(interview("12-18"), interview("12-15"), interview("12-11"), interview("12-01"))

    assert brief(status_on(facts, "12-10")) == (WAITING, "12-11")


@pytest.mark.parametrize(
    "events",
    [
        pytest.param((interview("11-16", by="11-20"),), id="over-a-follow-up-now"),
        pytest.param(
            (interview("11-02"), check_in("11-09"), check_in("11-16")), id="over-likely-closed"
        ),
    ],
)
def test_interview_ahead_wins_over_follow_up_now_and_likely_closed(events):
    facts = app(*events, interview("12-12"))

    assert brief(status_on(facts, "12-10")) == (WAITING, "12-12")


def test_interview_ahead_on_a_weekend_does_not_move():
    facts = app(interview("12-12"))  # a Saturday

    assert brief(status_on(facts, "12-10")) == (WAITING, "12-12")


# --- rules 3 and 4: the anchor and the expected decision date --------------------------


@pytest.mark.parametrize(
    "events, window",
    [
        pytest.param((), "11-15", id="applied-phase-anchor-is-applied_on"),
        pytest.param((interview("11-10"),), "11-17", id="interview"),
        pytest.param((interview("11-10"), response("11-12")), "11-19", id="later-response"),
        pytest.param((response("11-12"), interview("11-14")), "11-21", id="later-interview"),
        pytest.param((response("11-12"),), "11-19", id="response-without-interview"),
        pytest.param(
            (interview("11-10"), interview("11-03")), "11-17", id="latest-of-two-interviews"
        ),
        pytest.param((interview("11-10"), response("12-11")), "11-17", id="response-after-as_of"),
    ],
)
def test_anchor_is_the_latest_interview_or_response(events, window):
    result = status_on(app(*events, applied="11-01"), "12-10", PLAIN)

    assert brief(result) == (FOLLOW_UP_NOW, window)


@pytest.mark.parametrize(
    "events, window",
    [
        pytest.param((interview("11-10", by="11-24"),), "11-26", id="interview-decision_by"),
        pytest.param(
            (interview("11-10", by="11-24"), response("11-12", new_by="11-30")),
            "12-02",
            id="later-response-new-date-replaces-it",
        ),
        pytest.param(
            (interview("11-10", by="11-24"), response("11-12")),
            "11-26",
            id="later-response-without-date-keeps-the-interviews-date",
        ),
        pytest.param(
            (interview("11-10", by="11-24"), response("11-10", new_by="11-30")),
            "12-02",
            id="response-same-day-as-interview-counts",
        ),
        pytest.param(
            (interview("11-10", by="11-24"), response("11-10")),
            "11-26",
            id="response-same-day-without-date-keeps-the-interviews-date",
        ),
        pytest.param(
            (response("11-05", new_by="11-30"), interview("11-10", by="11-24")),
            "11-26",
            id="response-before-interview-is-superseded",
        ),
        pytest.param(
            (response("11-05", new_by="11-30"), interview("11-10")),
            "11-17",
            id="interview-without-date-after-response",
        ),
        pytest.param(
            (interview("11-10", since="11-20"),), "11-17", id="decision_from-alone-is-no-date"
        ),
        pytest.param(
            (interview("11-10", by="11-24"), interview("11-10")),
            "11-26",
            id="same-day-interviews-the-one-with-a-date",
        ),
        pytest.param(
            (response("11-12", new_by="11-30"), response("11-12")),
            "12-02",
            id="same-day-responses-the-one-with-a-date",
        ),
    ],
)
def test_expected_decision_date_comes_from_the_latest_interview_or_response(events, window):
    assert brief(status_on(app(*events), "12-10", PLAIN)) == (FOLLOW_UP_NOW, window)
    assert brief(status_on(app(*reversed(events)), "12-10", PLAIN)) == (FOLLOW_UP_NOW, window)


# --- rule 5: the follow-up window --------------------------------------------------------

THRESHOLD = [("day-before", -1, WAITING), ("on", 0, FOLLOW_UP_NOW), ("day-after", 1, FOLLOW_UP_NOW)]


def around(day: str):
    """The day before, on and after `day`, with the status rule 7 expects for n = 0."""
    return [
        pytest.param((d(day) + timedelta(shift)).strftime("%m-%d"), status, id=name)
        for name, shift, status in THRESHOLD
    ]


@pytest.mark.parametrize("as_of, expected", around("12-03"))
def test_window_opens_grace_days_after_the_date_given(as_of, expected):
    facts = app(interview("11-20", by="12-01"))  # Tue + 2 = Thu Dec 3

    assert brief(status_on(facts, as_of)) == (expected, "12-03")


@pytest.mark.parametrize("as_of, expected", around("12-03"))
def test_window_for_a_range_opens_grace_days_after_its_end(as_of, expected):
    facts = app(interview("11-20", since="11-25", by="12-01"))

    assert brief(status_on(facts, as_of)) == (expected, "12-03")


@pytest.mark.parametrize("as_of, expected", around("12-03"))
def test_window_opens_grace_days_after_a_new_date_from_a_response(as_of, expected):
    facts = app(interview("11-10", by="11-20"), response("11-23", new_by="12-01"))

    assert brief(status_on(facts, as_of)) == (expected, "12-03")


@pytest.mark.parametrize("as_of, expected", around("12-08"))
def test_window_opens_a_week_after_an_interview_without_a_date(as_of, expected):
    facts = app(interview("12-01"))

    assert brief(status_on(facts, as_of)) == (expected, "12-08")


@pytest.mark.parametrize("as_of, expected", around("12-09"))
def test_window_opens_a_week_after_a_response_without_a_date(as_of, expected):
    facts = app(interview("11-16", by="11-20"), response("12-02"))

    assert brief(status_on(facts, as_of)) == (expected, "12-09")


@pytest.mark.parametrize("as_of, expected", around("12-08"))
def test_window_opens_two_weeks_after_applying_without_an_interview(as_of, expected):
    facts = app(applied="11-24")

    assert brief(status_on(facts, as_of)) == (expected, "12-08")


# --- rule 6: which check-ins count ------------------------------------------------------


@pytest.mark.parametrize(
    "events, expected",
    [
        pytest.param((check_in("11-01"),), (FOLLOW_UP_NOW, "11-09"), id="before-anchor"),
        pytest.param((check_in("11-02"),), (FOLLOW_UP_NOW, "11-09"), id="on-anchor-day"),
        pytest.param((check_in("11-03"),), (FOLLOW_UP_NOW, "11-10"), id="day-after-anchor-counts"),
        pytest.param(
            (thank_you("11-03"), thank_you("11-04", 1)), (FOLLOW_UP_NOW, "11-09"), id="thank-yous"
        ),
        pytest.param((check_in("11-20"),), (FOLLOW_UP_NOW, "11-09"), id="after-as_of"),
    ],
)
def test_check_ins_count_only_strictly_after_the_anchor(events, expected):
    # Interview Mon Nov 2, no date: window Mon Nov 9; one counted check-in on d makes
    # the next one due max(d + 7, Nov 9).
    facts = app(interview("11-02"), *events)

    assert brief(status_on(facts, "11-19")) == expected


@pytest.mark.parametrize(
    "response_day, expected",
    [
        pytest.param(
            "11-10", (LIKELY_CLOSED, None), id="check-in-the-day-after-the-response-counts"
        ),
        pytest.param(
            "11-11", (FOLLOW_UP_NOW, "11-18"), id="check-in-on-the-response-day-is-answered"
        ),
        pytest.param(
            "11-12", (FOLLOW_UP_NOW, "11-19"), id="check-in-before-the-response-is-answered"
        ),
    ],
)
def test_a_response_answers_every_check_in_up_to_its_own_day(response_day, expected):
    # With one check-in allowed, a counted check-in means likely closed.
    facts = app(interview("11-02"), check_in("11-11"), response(response_day))

    assert brief(status_on(facts, "11-30", Rules(max_check_ins=1, weekdays_only=False))) == expected


# --- rule 7: the status from the number of check-ins ----------------------------------


@pytest.mark.parametrize("as_of, expected", around("11-17"))
def test_next_check_in_is_due_a_spacing_after_the_last(as_of, expected):
    facts = app(interview("11-02"), check_in("11-10"))  # window Nov 9; Nov 10 + 7 = Tue Nov 17

    assert brief(status_on(facts, as_of)) == (expected, "11-17")


@pytest.mark.parametrize("as_of, expected", around("11-25"))
def test_next_check_in_is_never_due_before_the_window(as_of, expected):
    # An early check-in on Nov 5 (+7 = Nov 12) does not bring forward a window of Wed Nov 25.
    facts = app(interview("11-02", by="11-23"), check_in("11-05"))

    assert brief(status_on(facts, as_of)) == (expected, "11-25")


@pytest.mark.parametrize("as_of, expected", around("11-24"))
def test_below_max_check_ins_the_next_one_is_still_due(as_of, expected):
    rules = Rules(max_check_ins=3)
    facts = app(interview("11-02"), check_in("11-10"), check_in("11-17"))

    assert brief(status_on(facts, as_of, rules)) == (expected, "11-24")


@pytest.mark.parametrize(
    "as_of, expected",
    [
        ("11-22", (WAITING, "11-23")),
        ("11-23", (LIKELY_CLOSED, None)),
        ("11-24", (LIKELY_CLOSED, None)),
    ],
)
def test_likely_closed_a_spacing_after_the_last_of_max_check_ins(as_of, expected):
    facts = app(interview("11-02"), check_in("11-09"), check_in("11-16"))

    assert brief(status_on(facts, as_of)) == expected


@pytest.mark.parametrize(
    "as_of, expected",
    [
        ("11-24", (WAITING, "11-25")),
        ("11-25", (LIKELY_CLOSED, None)),
        ("11-26", (LIKELY_CLOSED, None)),
    ],
)
def test_likely_closed_never_before_the_window_opens(as_of, expected):
    facts = app(interview("11-02", by="11-23"), check_in("11-03"), check_in("11-04"))

    assert brief(status_on(facts, as_of)) == expected


def test_more_check_ins_than_the_maximum_stay_likely_closed():
    facts = app(interview("11-02"), check_in("11-09"), check_in("11-16"), check_in("11-23"))

    assert brief(status_on(facts, "11-29")) == (WAITING, "11-30")
    assert brief(status_on(facts, "11-30")) == (LIKELY_CLOSED, None)


def test_likely_closed_is_lifted_by_a_response():
    facts = app(interview("11-02"), check_in("11-09"), check_in("11-16"), response("12-01"))

    assert brief(status_on(facts, "11-30")) == (LIKELY_CLOSED, None)
    assert brief(status_on(facts, "12-01")) == (WAITING, "12-08")


# --- rule 8: weekends --------------------------------------------------------------------


@pytest.mark.parametrize(
    "events, applied, window",
    [
        pytest.param(
            (interview("12-01", by="12-03"),), "11-01", "12-07", id="date-given-lands-Sat"
        ),
        pytest.param(
            (interview("12-01", by="12-04"),), "11-01", "12-07", id="date-given-lands-Sun"
        ),
        pytest.param((interview("12-05"),), "11-01", "12-14", id="no-date-lands-Sat"),
        pytest.param((interview("12-06"),), "11-01", "12-14", id="no-date-lands-Sun"),
        pytest.param(
            (interview("11-20"), response("12-05")), "11-01", "12-14", id="response-lands-Sat"
        ),
        pytest.param(
            (interview("11-20"), response("12-06")), "11-01", "12-14", id="response-lands-Sun"
        ),
        pytest.param((), "11-28", "12-14", id="applied-lands-Sat"),
        pytest.param((), "11-29", "12-14", id="applied-lands-Sun"),
    ],
)
def test_window_on_a_weekend_moves_to_monday(events, applied, window):
    facts = app(*events, applied=applied)
    monday = d(window)

    assert brief(status_on(facts, (monday - timedelta(1)).strftime("%m-%d"))) == (WAITING, window)
    assert brief(status_on(facts, window)) == (FOLLOW_UP_NOW, window)
    # weekdays_only off: the window stays on the weekend day.
    unmoved = status_on(facts, window, PLAIN).next_action_date
    assert unmoved in (monday - timedelta(2), monday - timedelta(1))


@pytest.mark.parametrize(
    "last_check_in, due",
    [
        pytest.param("11-13", "11-20", id="Fri-stays-Fri"),
        pytest.param("11-14", "11-23", id="Sat-moves-to-Mon"),
        pytest.param("11-15", "11-23", id="Sun-moves-to-Mon"),
        pytest.param("11-16", "11-23", id="Mon-stays-Mon"),
    ],
)
def test_next_check_in_due_on_a_weekend_moves_to_monday(last_check_in, due):
    facts = app(interview("11-02"), check_in(last_check_in))

    assert brief(status_on(facts, "11-19")) == (WAITING, due)
    unmoved = d(last_check_in) + timedelta(7)
    assert status_on(facts, "11-19", PLAIN).next_action_date == unmoved


@pytest.mark.parametrize("last_check_in", ["11-14", "11-15"])
def test_likely_closed_date_is_not_moved_off_a_weekend(last_check_in):
    facts = app(interview("11-02"), check_in("11-09"), check_in(last_check_in))
    closes_on = d(last_check_in) + timedelta(7)  # Sat Nov 21 / Sun Nov 22

    assert evaluate(facts, DEFAULT_RULES, closes_on - timedelta(1)).next_action_date == closes_on
    assert evaluate(facts, DEFAULT_RULES, closes_on).code == LIKELY_CLOSED


def test_likely_closed_uses_the_moved_window():
    # Decision by Thu Nov 19 + 2 = Sat Nov 21, moved to Mon Nov 23; early check-ins
    # (Nov 10, Nov 11 + 7 = Nov 18) wait for the moved window.
    facts = app(interview("11-05", by="11-19"), check_in("11-10"), check_in("11-11"))

    assert brief(status_on(facts, "11-22")) == (WAITING, "11-23")
    assert brief(status_on(facts, "11-23")) == (LIKELY_CLOSED, None)
    assert brief(status_on(facts, "11-21", PLAIN)) == (LIKELY_CLOSED, None)


# --- rule 9: snooze -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "snoozed, expected",
    [
        pytest.param("12-09", (FOLLOW_UP_NOW, "12-07"), id="snooze-over"),
        pytest.param("12-10", (FOLLOW_UP_NOW, "12-07"), id="snooze-ends-today"),
        pytest.param("12-11", (WAITING, "12-11"), id="snoozed-until-tomorrow"),
        pytest.param("12-12", (WAITING, "12-12"), id="snoozed-to-a-Saturday-stays-there"),
    ],
)
def test_snooze_turns_follow_up_now_into_waiting_until_the_snooze_date(snoozed, expected):
    facts = app(interview("12-01", by="12-05"), snoozed=snoozed)

    assert brief(status_on(facts, "12-10")) == expected


@pytest.mark.parametrize(
    "events, expected",
    [
        pytest.param((interview("12-14"),), (WAITING, "12-14"), id="interview-ahead"),
        pytest.param(
            (interview("11-20"), check_in("11-27"), check_in("12-04")),
            (WAITING, "12-11"),
            id="the-day-it-turns-likely-closed",
        ),
        pytest.param(
            (interview("11-02"), check_in("11-09"), check_in("11-16")),
            (LIKELY_CLOSED, None),
            id="likely-closed",
        ),
        pytest.param((response("12-01", outcome=OFFER),), (OFFER, None), id="closed"),
    ],
)
def test_rule_9_a_snooze_never_hides_an_interview_a_likely_closed_date_or_an_outcome(
    events, expected
):
    facts = app(*events, snoozed="12-20")

    assert brief(status_on(facts, "12-10")) == expected


@pytest.mark.parametrize(
    "snoozed, expected",
    [
        pytest.param("12-10", (WAITING, "12-11"), id="snooze-ends-today"),
        pytest.param("12-11", (WAITING, "12-11"), id="snoozed-to-the-day-it-falls-due"),
        pytest.param("12-12", (WAITING, "12-12"), id="snoozed-past-the-day-it-falls-due"),
        pytest.param("12-20", (WAITING, "12-20"), id="snoozed-well-past-it"),
    ],
)
def test_rule_9_a_snooze_moves_a_follow_up_date_it_covers(snoozed, expected):
    # Example B: waiting for the follow-up window, which opens on 12-11.
    facts = app(interview("12-01", by="12-09"), snoozed=snoozed)

    result = status_on(facts, "12-10")

    assert brief(result) == expected
    if expected[1] != "12-11":
        until = d(expected[1])
        assert result.reason == f"Snoozed until {until:%b} {until.day}."


# --- the worked examples (docs/status-rules.md, as of 2026-12-10) ------------------------

WORKED_EXAMPLES = [
    pytest.param(app(interview("12-01", by="12-05")), (FOLLOW_UP_NOW, "12-07"), id="A"),
    pytest.param(app(interview("12-01", by="12-09")), (WAITING, "12-11"), id="B"),
    pytest.param(app(interview("12-06")), (WAITING, "12-14"), id="C"),
    pytest.param(
        app(interview("11-20"), check_in("11-27"), check_in("12-04")), (WAITING, "12-11"), id="D"
    ),
    pytest.param(
        app(interview("11-10"), check_in("11-17"), check_in("11-25")), (LIKELY_CLOSED, None), id="E"
    ),
    pytest.param(
        app(interview("11-10"), check_in("11-17"), response("11-18", new_by="12-01")),
        (FOLLOW_UP_NOW, "12-03"),
        id="F",
    ),
    pytest.param(app(applied="11-30"), (WAITING, "12-14"), id="G"),
    pytest.param(
        app(interview("11-10"), response("11-20", outcome=REJECTED)), (REJECTED, None), id="H"
    ),
    pytest.param(app(interview("12-15")), (WAITING, "12-15"), id="I"),
    pytest.param(app(interview("12-01", by="12-05"), snoozed="12-12"), (WAITING, "12-12"), id="J"),
    pytest.param(
        app(interview("12-01", by="12-05"), response("12-02", outcome=COURTESY)),
        (FOLLOW_UP_NOW, "12-07"),
        id="K",
    ),
    pytest.param(
        app(interview("11-20"), response("11-25", new_by="12-01", outcome=OFFER_COMING)),
        (FOLLOW_UP_NOW, "12-03"),
        id="L",
    ),
    pytest.param(app(applied="10-20"), (LIKELY_CLOSED, None), id="M"),
    pytest.param(
        app(interview("10-01", by="10-09"), check_in("12-04")), (WAITING, "12-11"), id="N"
    ),
    pytest.param(app(interview("11-20", by="11-24")), (FOLLOW_UP_NOW, "11-27"), id="O"),
]
# The worked examples use the default settings, but for these.
EXAMPLE_RULES = {"O": Rules(holiday_country="US")}


@pytest.mark.parametrize("facts, expected", WORKED_EXAMPLES)
def test_worked_example(facts, expected, request):
    rules = EXAMPLE_RULES.get(request.node.callspec.id, DEFAULT_RULES)

    assert brief(evaluate(facts, rules, d("12-10"))) == expected


def test_worked_example_n_becomes_likely_closed_after_its_last_try():
    facts = app(interview("10-01", by="10-09"), check_in("12-04"))

    assert brief(status_on(facts, "12-11")) == (LIKELY_CLOSED, None)
    assert status_on(facts, "12-10").reason == (
        "That was your last check-in, on Dec 4: if you hear nothing before Dec 11, it's "
        "likely closed, so move on."
    )


def test_worked_example_o_without_the_holidays_falls_due_on_thanksgiving():
    facts = app(interview("11-20", by="11-24"))

    assert brief(status_on(facts, "12-10")) == (FOLLOW_UP_NOW, "11-26")


def test_worked_example_d_becomes_likely_closed_the_next_day():
    facts = app(interview("11-20"), check_in("11-27"), check_in("12-04"))

    assert brief(status_on(facts, "12-11")) == (LIKELY_CLOSED, None)


# --- each setting changed from its default ------------------------------------------------


@pytest.mark.parametrize(
    "rules, events, applied, expected",
    [
        pytest.param(
            Rules(grace_days=0),
            (interview("12-01", by="12-03"),),
            "11-01",
            "12-03",
            id="grace_days=0",
        ),
        pytest.param(
            Rules(grace_days=5),
            (interview("12-01", by="12-03"),),
            "11-01",
            "12-08",
            id="grace_days=5",
        ),
        pytest.param(
            Rules(no_date_wait_days=3),
            (interview("12-01"),),
            "11-01",
            "12-04",
            id="no_date_wait_days=3",
        ),
        pytest.param(
            Rules(no_date_wait_days=0),
            (interview("12-01"),),
            "11-01",
            "12-01",
            id="no_date_wait_days=0",
        ),
        pytest.param(Rules(applied_wait_days=21), (), "11-02", "11-23", id="applied_wait_days=21"),
        pytest.param(
            Rules(applied_wait_days=90, applied_gives_up_days=120),
            (),
            "09-10",
            "12-09",
            id="applied_wait_days=90",
        ),
        pytest.param(
            Rules(check_in_spacing_days=3),
            (interview("11-02"), check_in("11-10")),
            "11-01",
            "11-13",
            id="spacing=3",
        ),
        pytest.param(
            Rules(check_in_spacing_days=14),
            (interview("11-02"), check_in("11-10")),
            "11-01",
            "11-24",
            id="spacing=14",
        ),
    ],
)
def test_each_day_setting_moves_the_date_it_names(rules, events, applied, expected):
    facts = app(*events, applied=applied)
    day = d(expected)

    before = evaluate(facts, rules, day - timedelta(1))
    on = evaluate(facts, rules, day)
    assert (before.code, before.next_action_date) == (WAITING, day)
    assert (on.code, on.next_action_date) == (FOLLOW_UP_NOW, day)
    assert evaluate(facts, DEFAULT_RULES, day).next_action_date != day


@pytest.mark.parametrize(
    "max_check_ins, check_ins, expected",
    [
        (1, ("11-10",), (LIKELY_CLOSED, None)),
        (1, (), (FOLLOW_UP_NOW, "11-09")),
        (3, ("11-10", "11-17"), (FOLLOW_UP_NOW, "11-24")),
        (3, ("11-10", "11-17", "11-20"), (LIKELY_CLOSED, None)),
        (5, ("11-05", "11-06", "11-09", "11-10"), (FOLLOW_UP_NOW, "11-17")),
    ],
)
def test_max_check_ins_sets_when_it_is_likely_closed(max_check_ins, check_ins, expected):
    facts = app(interview("11-02"), *map(check_in, check_ins))

    assert brief(status_on(facts, "11-27", Rules(max_check_ins=max_check_ins))) == expected


@pytest.mark.parametrize(
    "settings",
    [
        {"grace_days": -1},
        {"grace_days": 91},
        {"no_date_wait_days": 91},
        {"applied_wait_days": -1},
        {"check_in_spacing_days": 100},
        {"grace_days": 2.5},
        {"grace_days": "2"},
        {"grace_days": True},
        {"max_check_ins": 0},
        {"max_check_ins": 6},
        {"weekdays_only": 1},
        {"weekdays_only": "yes"},
    ],
    ids=repr,
)
def test_invalid_settings_are_rejected_not_clamped(settings):
    with pytest.raises(ValueError):
        Rules(**settings)


@pytest.mark.parametrize(
    "settings",
    [
        {
            "grace_days": 0,
            "no_date_wait_days": 0,
            "applied_wait_days": 0,
            "check_in_spacing_days": 0,
        },
        {
            "grace_days": 90,
            "no_date_wait_days": 90,
            "applied_wait_days": 90,
            "check_in_spacing_days": 90,
        },
        {"max_check_ins": 1},
        {"max_check_ins": 5},
        {"weekdays_only": False},
    ],
    ids=repr,
)
def test_settings_at_the_ends_of_their_ranges_are_accepted(settings):
    rules = Rules(**settings)

    for name, value in settings.items():
        assert getattr(rules, name) == value


def test_defaults_are_the_specs():
    assert (
        Rules(
            grace_days=2,
            no_date_wait_days=7,
            applied_wait_days=14,
            check_in_spacing_days=7,
            max_check_ins=2,
            weekdays_only=True,
            applied_gives_up_days=42,
            last_try_after_days=21,
            holiday_country="",
            holiday_subdivision="",
        )
        == DEFAULT_RULES
    )


# --- coaching signal: early check-ins -----------------------------------------------------


@pytest.mark.parametrize(
    "check_in_day, early",
    [("11-24", True), ("11-25", False), ("11-26", False)],
)
def test_first_check_in_before_the_window_is_early(check_in_day, early):
    facts = app(interview("11-02", by="11-23"), check_in(check_in_day))  # window Wed Nov 25

    assert status_on(facts, "12-10").early_check_ins == ((d(check_in_day),) if early else ())


@pytest.mark.parametrize(
    "second, early",
    [("12-01", True), ("12-02", False), ("12-03", False)],
)
def test_later_check_in_before_a_spacing_after_the_last_is_early(second, early):
    facts = app(interview("11-02", by="11-23"), check_in("11-25"), check_in(second))

    assert status_on(facts, "12-10").early_check_ins == ((d(second),) if early else ())


@pytest.mark.parametrize(
    "second, early",
    [("12-05", True), ("12-06", True), ("12-07", False)],
)
def test_later_check_in_due_on_a_weekend_is_due_on_monday(second, early):
    facts = app(interview("11-02", by="11-23"), check_in("11-28"), check_in(second))  # Sat + 7

    assert status_on(facts, "12-10").early_check_ins == ((d(second),) if early else ())


def test_early_check_ins_list_every_early_one_in_date_order():
    facts = app(
        interview("11-02", by="11-23"), check_in("11-27"), check_in("11-10"), check_in("11-12")
    )

    assert status_on(facts, "12-10", Rules(max_check_ins=5)).early_check_ins == (
        d("11-10"),
        d("11-12"),
    )


@pytest.mark.parametrize(
    "events",
    [
        pytest.param((check_in("11-01"),), id="before-the-anchor"),
        pytest.param((check_in("12-11"),), id="after-as_of"),
        pytest.param((check_in("11-10"), response("11-12")), id="answered-by-a-response"),
    ],
)
def test_check_ins_that_do_not_count_are_never_early(events):
    facts = app(interview("11-02", by="11-23"), *events)

    assert status_on(facts, "12-10").early_check_ins == ()


def test_early_check_ins_do_not_change_the_status():
    early = app(interview("11-02", by="11-23"), check_in("11-05"))
    on_time = app(interview("11-02", by="11-23"), check_in("11-25"))

    assert status_on(early, "11-25").early_check_ins == (d("11-05"),)
    assert brief(status_on(early, "11-25")) == (FOLLOW_UP_NOW, "11-25")
    assert brief(status_on(on_time, "11-25")) == (WAITING, "12-02")


@pytest.mark.parametrize(
    "on, early",
    [
        pytest.param("11-24", True, id="day-before-window"),
        pytest.param("11-25", False, id="window-opens"),
        pytest.param("11-26", False, id="day-after"),
    ],
)
def test_is_early_check_in_warns_while_the_application_is_waiting(on, early):
    facts = app(interview("11-02", by="11-23"))

    assert is_early_check_in(facts, DEFAULT_RULES, d(on)) is early


@pytest.mark.parametrize(
    "on, early",
    [("12-01", True), ("12-02", False), ("12-03", False)],
)
def test_is_early_check_in_after_a_check_in_waits_a_spacing(on, early):
    facts = app(interview("11-02", by="11-23"), check_in("11-25"))

    assert is_early_check_in(facts, DEFAULT_RULES, d(on)) is early


def test_a_snooze_never_makes_a_check_in_early_but_an_interview_ahead_does():
    # Due since Dec 5 and snoozed to Dec 12: checking in on Dec 10 is not early by the rules.
    assert not is_early_check_in(
        app(interview("12-01", by="12-03"), snoozed="12-12"), DEFAULT_RULES, d("12-10")
    )
    # Snoozed, but the window opens only on Dec 11: early all the same.
    assert is_early_check_in(
        app(interview("12-01", by="12-09"), snoozed="12-12"), DEFAULT_RULES, d("12-10")
    )
    assert is_early_check_in(app(interview("12-15")), DEFAULT_RULES, d("12-10"))
    assert not is_early_check_in(app(interview("12-01", by="12-03")), DEFAULT_RULES, d("12-10"))


# --- coaching signal: thank-you owed -------------------------------------------------------


@pytest.mark.parametrize(
    "thank_yous, owed",
    [
        pytest.param((), ("dana", "lee"), id="nobody-thanked"),
        pytest.param((thank_you("12-03", "dana"),), ("lee",), id="one-thanked-on-the-day"),
        pytest.param((thank_you("12-05", "lee"),), ("dana",), id="one-thanked-later"),
        pytest.param(
            (thank_you("12-02", "dana"),), ("dana", "lee"), id="thanked-before-the-interview"
        ),
        pytest.param(
            (thank_you("12-03", "dana"), thank_you("12-04", "lee")), (), id="both-thanked"
        ),
        pytest.param(
            (thank_you("12-03"),), ("dana", "lee"), id="thank-you-to-nobody-in-particular"
        ),
        pytest.param((thank_you("12-11", "dana"),), ("dana", "lee"), id="thank-you-after-as_of"),
        pytest.param((thank_you("12-03", "sam"),), ("dana", "lee"), id="thank-you-to-someone-else"),
    ],
)
def test_thank_you_owed_to_each_contact_of_the_latest_interview(thank_yous, owed):
    facts = app(interview("12-03", contacts=("dana", "lee")), *thank_yous)

    assert status_on(facts, "12-10").thank_you_owed == owed


@pytest.mark.parametrize(
    "thank_yous, owed",
    [
        pytest.param((), (None,), id="none-sent"),
        pytest.param((thank_you("12-02"),), (None,), id="sent-before-the-interview"),
        pytest.param((thank_you("12-03"),), (), id="sent-on-the-day"),
        pytest.param((thank_you("12-05", "dana"),), (), id="any-thank-you-counts"),
    ],
)
def test_thank_you_owed_once_for_an_interview_without_contacts(thank_yous, owed):
    facts = app(interview("12-03"), *thank_yous)

    assert status_on(facts, "12-10").thank_you_owed == owed


@pytest.mark.parametrize(
    "as_of, owed",
    [
        pytest.param("12-02", (), id="interview-still-ahead"),
        pytest.param("12-03", ("dana",), id="interview-day"),
        pytest.param("12-10", ("dana",), id="seven-days-later"),
        pytest.param("12-11", (), id="eight-days-later"),
    ],
)
def test_thank_you_owed_only_for_a_week_after_the_interview(as_of, owed):
    facts = app(interview("12-03", contacts=("dana",)))

    assert status_on(facts, as_of).thank_you_owed == owed


def test_thank_you_owed_only_for_the_latest_interview():
    facts = app(interview("12-01", contacts=("dana",)), interview("12-04", contacts=("lee",)))

    assert status_on(facts, "12-05").thank_you_owed == ("lee",)


def test_thank_you_owed_for_every_interview_of_the_same_day_whatever_the_order():
    first = interview("12-04", contacts=("dana",))
    second = interview("12-04", contacts=("lee", "dana"))

    owed = status_on(app(first, second), "12-05").thank_you_owed
    assert sorted(owed) == ["dana", "lee"]
    assert status_on(app(second, first), "12-05").thank_you_owed == owed


def test_closed_applications_owe_no_thank_you_and_raise_no_signal():
    facts = app(interview("12-03"), check_in("12-04"), outcome=WITHDRAWN)

    result = status_on(facts, "12-05")
    assert (result.thank_you_owed, result.early_check_ins, result.no_timeline) == ((), (), False)


# --- coaching signal: no timeline -------------------------------------------------------------


@pytest.mark.parametrize(
    "events, no_timeline",
    [
        pytest.param((interview("12-01"),), True, id="nothing-said"),
        pytest.param((interview("12-01", timing="none"),), True, id="they-didnt-say"),
        pytest.param((interview("12-01", timing="not_asked"),), False, id="not-asked-yet"),
        pytest.param((interview("12-10", timing="not_asked"),), False, id="not-asked-yet-today"),
        pytest.param((interview("12-10", timing="none"),), True, id="today-they-didnt-say"),
        pytest.param((interview("12-01", by="12-05"),), False, id="a-date"),
        pytest.param((interview("12-01", since="12-03", by="12-05"),), False, id="a-range"),
        pytest.param((interview("12-01", since="12-03"),), False, id="a-start-only"),
        pytest.param((), False, id="no-interview-yet"),
        pytest.param((interview("12-15"),), False, id="only-an-interview-ahead"),
        pytest.param(
            (interview("11-20"), interview("12-01", by="12-05")), False, id="latest-gave-a-date"
        ),
        pytest.param(
            (interview("11-20", by="11-25"), interview("12-01")), True, id="latest-gave-none"
        ),
        pytest.param(
            (interview("12-01"), interview("12-15", by="12-20")),
            True,
            id="the-one-ahead-does-not-count",
        ),
        pytest.param(
            (interview("12-01"), interview("12-01", by="12-05")),
            False,
            id="same-day-one-gave-a-date",
        ),
    ],
)
def test_no_timeline_when_the_latest_interview_gave_no_timing(events, no_timeline):
    assert status_on(app(*events), "12-10").no_timeline is no_timeline
    assert status_on(app(*reversed(events)), "12-10").no_timeline is no_timeline


# --- coaching signal: keep searching ----------------------------------------------------------


@pytest.mark.parametrize(
    "active_count, applied, expected",
    [
        pytest.param(2, ["12-10"], True, id="two-active"),
        pytest.param(3, ["12-10"], False, id="three-active-applied-today"),
        pytest.param(3, ["12-03"], False, id="applied-seven-days-ago"),
        pytest.param(3, ["12-02"], True, id="applied-eight-days-ago"),
        pytest.param(3, ["12-11"], True, id="applied-date-after-as_of"),
        pytest.param(3, [], True, id="no-applications"),
        pytest.param(12, ["11-01", "12-02", "12-05"], False, id="one-recent-among-old"),
        pytest.param(0, [], True, id="nothing-at-all"),
    ],
)
def test_keep_searching_with_few_active_or_no_recent_applications(active_count, applied, expected):
    result = keep_searching(
        active_count=active_count, applied_dates=(d(a) for a in applied), as_of=d("12-10")
    )

    assert result is expected


# --- urgency ordering -------------------------------------------------------------------------


def test_urgency_key_sorts_most_urgent_first():
    def row(status, day, company):
        return (Status(status, d(day) if day else None, "reason"), company)

    expected = [
        row(FOLLOW_UP_NOW, "11-29", "Zeta"),
        row(FOLLOW_UP_NOW, "12-07", "acme"),
        row(FOLLOW_UP_NOW, "12-07", "Beta"),
        row(WAITING, "12-11", "Zeta"),
        row(WAITING, "12-15", "Acme"),
        row(WAITING, "2027-01-04", "Acme"),
        row(LIKELY_CLOSED, None, "acme"),
        row(LIKELY_CLOSED, None, "Beta"),
        row(OFFER, None, "Zeta"),
        row(REJECTED, None, "Acme"),
        row(REJECTED, None, "beta"),
        row(WITHDRAWN, None, "Acme"),
    ]
    shuffled = expected[5:] + expected[:5][::-1]

    assert sorted(shuffled, key=lambda r: urgency_key(*r)) == expected


def test_status_constants_list_active_in_urgency_order_then_closed():
    assert ACTIVE_STATUSES == (FOLLOW_UP_NOW, WAITING, LIKELY_CLOSED)
    assert CLOSED_STATUSES == (OFFER, REJECTED, WITHDRAWN)


# --- reasons name the dates they used -----------------------------------------------------------


@pytest.mark.parametrize(
    "facts, as_of, reason",
    [
        pytest.param(
            app(interview("12-01", by="12-03")),
            "12-10",
            "They said they would decide by Dec 3; follow up from Dec 7.",
            id="date-given",
        ),
        pytest.param(
            app(interview("11-20", since="11-25", by="12-01")),
            "12-02",
            "They said they would decide between Nov 25 and Dec 1; follow up from Dec 3.",
            id="range-given",
        ),
        pytest.param(
            app(interview("11-20", since="12-01", by="12-01")),
            "12-02",
            "They said they would decide by Dec 1; follow up from Dec 3.",
            id="range-of-one-day",
        ),
        pytest.param(
            app(interview("11-20", since="12-01")),
            "11-24",
            "They gave no decide-by date at your Nov 20 interview; follow up from Nov 27.",
            id="start-of-range-only",
        ),
        pytest.param(
            app(interview("12-06")),
            "12-10",
            "No decision date was given at your Dec 6 interview; follow up from Dec 14.",
            id="no-date",
        ),
        pytest.param(
            app(interview("11-10"), response("11-18", new_by="12-01")),
            "12-10",
            "On Nov 18 they said they would get back to you by Dec 1; follow up from Dec 3.",
            id="response-with-new-date",
        ),
        pytest.param(
            app(interview("11-10", by="11-12"), response("11-18")),
            "11-20",
            "They got back to you on Nov 18 without a new date; follow up from Nov 25.",
            id="response-without-date",
        ),
        pytest.param(
            app(interview("11-10"), response("11-18", outcome=NEXT_ROUND)),
            "11-20",
            "They moved you to the next round on Nov 18; if nothing gets scheduled, "
            "follow up from Nov 25.",
            id="next-round-without-date",
        ),
        pytest.param(
            app(interview("11-10"), response("11-18", new_by="11-27", outcome=NEXT_ROUND)),
            "11-20",
            "On Nov 18 they moved you to the next round and said they would be in touch by Nov 27; "
            "follow up from Nov 30.",
            id="next-round-with-date",
        ),
        pytest.param(
            app(applied="11-30"),
            "12-10",
            "You applied on Nov 30; nudge them from Dec 14 if you haven't heard back.",
            id="applied-phase",
        ),
        pytest.param(
            app(interview("11-20"), check_in("11-27")),
            "11-30",
            "You checked in on Nov 27; check in again from Dec 4 if you hear nothing.",
            id="one-check-in",
        ),
        pytest.param(
            app(interview("11-20"), check_in("11-27"), check_in("12-04")),
            "12-10",
            "No reply yet after 2 check-ins, the last on Dec 4; if you hear nothing before "
            "Dec 11, it's likely closed.",
            id="max-check-ins-waiting",
        ),
        pytest.param(
            app(interview("11-10"), check_in("11-17"), check_in("11-25")),
            "12-10",
            "No reply after 2 check-ins since your Nov 10 interview; it's likely closed, "
            "so keep your search moving.",
            id="likely-closed-after-interview",
        ),
        pytest.param(
            app(interview("11-02"), response("11-05"), check_in("11-12"), check_in("11-19")),
            "12-10",
            "No reply after 2 check-ins since they last wrote on Nov 5; it's likely closed, "
            "so keep your search moving.",
            id="likely-closed-after-response",
        ),
        pytest.param(
            app(check_in("11-16"), check_in("11-23"), applied="11-01"),
            "12-10",
            "No reply after 2 check-ins since you applied on Nov 1; it's likely closed, "
            "so keep your search moving.",
            id="likely-closed-after-applying",
        ),
        pytest.param(
            app(interview("12-01", by="12-05"), snoozed="12-12"),
            "12-10",
            "Snoozed until Dec 12.",
            id="snoozed",
        ),
        pytest.param(
            app(interview("12-15")), "12-10", "Your interview is on Dec 15.", id="interview-ahead"
        ),
        pytest.param(
            app(interview("11-10"), response("11-20", outcome=OFFER)),
            "12-10",
            "They made you an offer on Nov 20.",
            id="offer-response",
        ),
        pytest.param(
            app(interview("11-10"), response("11-20", outcome=REJECTED)),
            "12-10",
            "They let you know on Nov 20 that they won't be moving forward.",
            id="rejected-response",
        ),
        pytest.param(
            app(outcome=WITHDRAWN), "12-10", "You withdrew from this one.", id="withdrawn"
        ),
        pytest.param(
            app(outcome=OFFER),
            "12-10",
            "You have an offer for this one, congratulations!",
            id="offer-marked",
        ),
        pytest.param(
            app(outcome=REJECTED),
            "12-10",
            "This one didn't work out; keep your search moving.",
            id="rejected-marked",
        ),
        pytest.param(
            app(interview("12-22", by="12-31")),
            "12-28",
            "They said they would decide by Dec 31; follow up from Jan 4, 2027.",
            id="next-year-shows-its-year",
        ),
        pytest.param(
            app(interview("12-22", by="12-31")),
            "2027-01-05",
            "They said they would decide by Dec 31, 2026; follow up from Jan 4.",
            id="last-year-shows-its-year",
        ),
    ],
)
def test_reason_names_the_dates_it_used(facts, as_of, reason):
    assert status_on(facts, as_of).reason == reason


def test_reason_for_one_of_one_check_ins_is_singular():
    facts = app(interview("11-20"), check_in("11-27"))
    rules = Rules(max_check_ins=1)

    assert status_on(facts, "11-30", rules).reason == (
        "No reply yet after 1 check-in, the last on Nov 27; if you hear nothing before Dec 4, "
        "it's likely closed."
    )
    assert status_on(facts, "12-10", rules).reason == (
        "No reply after 1 check-in since your Nov 20 interview; it's likely closed, "
        "so keep your search moving."
    )


def test_reason_is_in_the_active_language_and_languages_do_not_mix(monkeypatch):
    from django.utils import translation

    from applications import status as engine

    # A stand-in catalog: German "translates" by marking the sentence.
    def gettext(message):
        return "[de] " + message if translation.get_language() == "de" else message

    monkeypatch.setattr(engine, "gettext", gettext)
    facts = app(interview("12-01", by="12-03"))

    english = status_on(facts, "12-10").reason
    with translation.override("de"):
        german = status_on(facts, "12-10").reason
    again = status_on(facts, "12-10").reason
    assert german == "[de] They said they would decide by Dez 3; follow up from Dez 7."
    assert again == english
    assert english == "They said they would decide by Dec 3; follow up from Dec 7."


# --- events after as_of, order, and bad input ------------------------------------------------


@pytest.mark.parametrize(
    "later",
    [
        pytest.param(check_in("12-11"), id="check-in"),
        pytest.param(response("12-11", new_by="12-20"), id="response-with-date"),
        pytest.param(response("12-11", outcome=OFFER), id="offer"),
        pytest.param(thank_you("12-11"), id="thank-you"),
    ],
)
@pytest.mark.parametrize(
    "facts",
    [pytest.param(example.values[0], id=example.id) for example in WORKED_EXAMPLES],
)
def test_follow_ups_after_as_of_are_ignored(facts, later):
    with_later = ApplicationFacts(
        applied_on=facts.applied_on,
        interviews=facts.interviews,
        follow_ups=facts.follow_ups + (later,),
        outcome=facts.outcome,
        snoozed_until=facts.snoozed_until,
    )

    assert evaluate(with_later, DEFAULT_RULES, d("12-10")) == evaluate(
        facts, DEFAULT_RULES, d("12-10")
    )


def test_a_past_date_answers_what_the_status_was_then():
    facts = app(interview("11-10"), check_in("11-17"), response("11-18", new_by="12-01"))

    assert brief(status_on(facts, "11-09")) == (WAITING, "11-10")  # interview ahead
    assert brief(status_on(facts, "11-16")) == (WAITING, "11-17")  # a week after it
    assert brief(status_on(facts, "11-17")) == (WAITING, "11-24")  # checked in that day
    assert brief(status_on(facts, "11-18")) == (WAITING, "12-03")  # they gave a new date


def test_order_of_interviews_and_follow_ups_does_not_matter():
    events = (
        interview("11-02", contacts=(1,)),
        interview("11-10", by="11-20", contacts=(2, 3)),
        thank_you("11-10", 2),
        check_in("11-23"),
        check_in("11-24"),
        response("11-12"),
        check_in("11-05"),
    )
    reference = status_on(app(*events), "11-30", Rules(max_check_ins=3))

    assert reference.early_check_ins == (d("11-24"),)
    for rotation in range(1, len(events)):
        shuffled = events[rotation:] + events[:rotation]
        assert status_on(app(*shuffled), "11-30", Rules(max_check_ins=3)) == reference


@pytest.mark.parametrize(
    "facts",
    [
        pytest.param(app(FollowUpFacts(d("12-01"), "email")), id="unknown-kind"),
        pytest.param(app(outcome="ghosted"), id="unknown-application-outcome"),
        pytest.param(app(response("12-01", outcome="withdrawn")), id="unknown-response-outcome"),
    ],
)
def test_unknown_values_are_refused(facts):
    with pytest.raises(ValueError):
        status_on(facts, "12-10")


def test_status_says_whether_it_is_active_or_closed():
    for value in ACTIVE_STATUSES:
        assert Status(value, None, "").is_active and not Status(value, None, "").is_closed
    for value in CLOSED_STATUSES:
        assert Status(value, None, "").is_closed and not Status(value, None, "").is_active


# --- rules v2 ----------------------------------------------------------------------------


def test_rule_0_a_courtesy_reply_is_no_anchor_no_date_and_no_answer_to_a_check_in():
    # Interview 11-20, no date: the window opens 11-27; a check-in on 11-27, then a
    # courtesy reply on 11-28 ("thanks for your note!"): the check-in is still unanswered.
    plain = app(interview("11-20"), check_in("11-27"))
    courtesy = app(interview("11-20"), check_in("11-27"), response("11-28", outcome=COURTESY))

    assert status_on(courtesy, "12-03") == status_on(plain, "12-03")
    assert brief(status_on(courtesy, "12-04")) == (FOLLOW_UP_NOW, "12-04")


def test_rule_0_a_courtesy_reply_does_not_end_the_applied_phase():
    facts = app(response("11-20", outcome=COURTESY), applied="10-20")

    assert brief(status_on(facts, "11-30")) == (FOLLOW_UP_NOW, "11-03")
    assert brief(status_on(facts, "12-01")) == (LIKELY_CLOSED, None)


@pytest.mark.parametrize(
    "update_on, window",
    [
        pytest.param("11-23", "11-26", id="update-before-their-date-keeps-it"),
        pytest.param("11-24", "12-01", id="update-on-their-date-waits-a-week"),
        pytest.param("11-25", "12-02", id="update-after-their-date-waits-a-week"),
    ],
)
def test_rule_4_an_update_without_a_new_date_never_brings_the_follow_up_before_their_date(
    update_on, window
):
    facts = app(interview("11-10", by="11-24"), response(update_on))

    assert brief(status_on(facts, "12-10", PLAIN)) == (FOLLOW_UP_NOW, window)


def test_rule_4_an_update_keeping_their_date_says_so():
    facts = app(interview("11-10", by="11-24"), response("11-20"))

    assert status_on(facts, "11-21").reason == (
        "On Nov 20 they said they are still deciding, and gave no new date; they had said "
        "Nov 24, so follow up from Nov 26."
    )


@pytest.mark.parametrize(
    "events, as_of, expected, reason",
    [
        pytest.param(
            (interview("11-20"), response("11-25", new_by="12-01", outcome=OFFER_COMING)),
            "12-02",
            (WAITING, "12-03"),
            "They said an offer is on its way by Dec 1; check in from Dec 3.",
            id="with-the-date-the-written-offer-is-expected",
        ),
        pytest.param(
            (interview("11-20"), response("11-25", outcome=OFFER_COMING)),
            "12-02",
            (FOLLOW_UP_NOW, "12-02"),
            "On Nov 25 they said an offer is on its way; check in from Dec 2 if it hasn't come.",
            id="without-a-date",
        ),
        pytest.param(
            (
                interview("11-20"),
                response("11-25", new_by="12-01", outcome=OFFER_COMING),
                response("12-02", outcome=OFFER),
            ),
            "12-02",
            (OFFER, None),
            "They made you an offer on Dec 2.",
            id="then-the-written-offer-closes-it",
        ),
    ],
)
def test_an_offer_on_its_way_keeps_the_application_open_and_silence_is_noticed(
    events, as_of, expected, reason
):
    result = status_on(app(*events), as_of)

    assert brief(result) == expected
    assert result.reason == reason


@pytest.mark.parametrize(
    "as_of, expected",
    [
        pytest.param("11-30", (FOLLOW_UP_NOW, "11-03"), id="the-day-before-it-goes-quiet"),
        pytest.param("12-01", (LIKELY_CLOSED, None), id="the-day-it-goes-quiet"),
        pytest.param("12-02", (LIKELY_CLOSED, None), id="after"),
    ],
)
def test_rule_7a_an_application_with_no_interview_goes_quiet_after_six_weeks(as_of, expected):
    # Example M: applied 10-20, nothing since; 10-20 + 42 days = 12-01.
    facts = app(applied="10-20")

    result = status_on(facts, as_of)

    assert brief(result) == expected
    if result.code == LIKELY_CLOSED:
        assert result.reason == (
            "You applied on Oct 20 and heard nothing in 6 weeks; it's likely closed, so "
            "keep your search moving."
        )


def test_rule_7a_goes_quiet_whatever_the_check_ins():
    facts = app(check_in("11-20"), applied="10-20")

    assert brief(status_on(facts, "11-30")) == (FOLLOW_UP_NOW, "11-27")
    assert brief(status_on(facts, "12-01")) == (LIKELY_CLOSED, None)


@pytest.mark.parametrize(
    "applied_wait_days, expected",
    [
        pytest.param(41, (WAITING, "12-12"), id="window-the-day-before-it-goes-quiet"),
        pytest.param(42, (WAITING, "12-13"), id="window-the-day-it-goes-quiet"),
        pytest.param(50, (WAITING, "12-13"), id="window-after-it-goes-quiet"),
    ],
)
def test_rule_7a_a_waiting_date_past_the_day_it_goes_quiet_becomes_that_day(
    applied_wait_days, expected
):
    # Applied 11-01: it goes quiet on 12-13.
    rules = Rules(applied_wait_days=applied_wait_days, weekdays_only=False)

    result = evaluate(app(applied="11-01"), rules, d("12-10"))

    assert brief(result) == expected
    if expected[1] == "12-13":
        assert result.reason == (
            "You applied on Nov 1 and haven't heard back; if nothing comes before Dec 13, "
            "it's likely closed."
        )


@pytest.mark.parametrize(
    "events",
    [
        pytest.param((interview("11-20"),), id="an-interview"),
        pytest.param((interview("12-20"),), id="an-interview-ahead"),
        pytest.param((response("11-02"),), id="a-response"),
    ],
)
def test_rule_7a_an_interview_or_a_response_ends_the_applied_phase(events):
    assert status_on(app(*events, applied="10-01"), "12-10").code != LIKELY_CLOSED


def test_rule_7a_off_with_zero():
    rules = Rules(applied_gives_up_days=0)

    assert evaluate(app(applied="01-05"), rules, d("12-10")).code == FOLLOW_UP_NOW


@pytest.mark.parametrize(
    "check_in_on, expected",
    [
        pytest.param("11-02", (FOLLOW_UP_NOW, "11-09"), id="the-day-before-the-last-try"),
        pytest.param("11-03", (WAITING, "11-10"), id="on-the-day-it-is-the-last-try"),
        pytest.param("11-04", (WAITING, "11-11"), id="after"),
    ],
)
def test_rule_7_a_check_in_three_weeks_after_the_window_opened_is_the_last_try(
    check_in_on, expected
):
    # Interview 10-01, decision by 10-11: the window opens 10-13; + 21 days = 11-03.
    facts = app(interview("10-01", by="10-11"), check_in(check_in_on))

    assert brief(status_on(facts, "11-09", PLAIN)) == expected


def test_rule_7_the_last_try_closes_a_spacing_after_it():
    facts = app(interview("10-01", by="10-11"), check_in("11-03"))

    assert brief(status_on(facts, "11-09", PLAIN)) == (WAITING, "11-10")
    assert brief(status_on(facts, "11-10", PLAIN)) == (LIKELY_CLOSED, None)
    assert status_on(facts, "11-10", PLAIN).reason == (
        "No reply to your last check-in on Nov 3; it's likely closed, so keep your search moving."
    )


@pytest.mark.parametrize(
    "as_of, reason",
    [
        pytest.param(
            "11-02",
            "They said they would decide by Oct 11; follow up from Oct 13.",
            id="the-day-before",
        ),
        pytest.param(
            "11-03",
            "Your follow-up has been due since Oct 13, 3 weeks ago: send one last check-in, "
            "then move on.",
            id="three-weeks-after-the-window",
        ),
    ],
)
def test_rule_7_a_follow_up_long_overdue_says_it_is_the_last_try(as_of, reason):
    facts = app(interview("10-01", by="10-11"))

    result = status_on(facts, as_of, PLAIN)

    assert result.code == FOLLOW_UP_NOW
    assert result.reason == reason


def test_rule_7_no_last_try_with_zero():
    facts = app(interview("10-01", by="10-11"), check_in("12-04"))
    rules = Rules(last_try_after_days=0, weekdays_only=False)

    assert brief(evaluate(facts, rules, d("12-10"))) == (WAITING, "12-11")
    assert evaluate(facts, rules, d("12-10")).reason.startswith("You checked in on Dec 4")


US = Rules(holiday_country="US")


@pytest.mark.parametrize(
    "events, as_of, expected",
    [
        pytest.param(
            (interview("11-20", by="11-24"),),
            "11-26",
            (WAITING, "11-27"),
            id="thanksgiving",
        ),
        pytest.param(
            (interview("12-15", by="12-23"),),
            "12-24",
            (WAITING, "12-28"),
            id="christmas-then-a-weekend",
        ),
        pytest.param(
            (interview("11-10"), check_in("11-19")),
            "11-26",
            (WAITING, "11-27"),
            id="the-next-check-in",
        ),
    ],
)
def test_rule_8_a_follow_up_date_on_a_public_holiday_moves_to_the_next_working_day(
    events, as_of, expected
):
    assert brief(evaluate(app(*events), US, d(as_of))) == expected
    # Without the holidays it falls due on the holiday itself.
    without = evaluate(app(*events), DEFAULT_RULES, d(as_of)).next_action_date
    assert US.is_day_off(without) and without < d(expected[1])


def test_rule_8_holidays_move_nothing_else():
    # An interview on a holiday stays there; so does a likely-closed date.
    assert brief(evaluate(app(interview("12-25")), US, d("12-10"))) == (WAITING, "12-25")
    closing = app(interview("11-05"), check_in("11-12"), check_in("11-19"))
    assert brief(evaluate(closing, US, d("11-25"))) == (WAITING, "11-26")


def test_rule_8_holidays_of_a_subdivision_and_none_without_weekdays_only():
    # Dec 26 (Boxing Day) is a day off in all of Germany; Jan 6 only in some states.
    facts = app(interview("12-28", by="2027-01-04"))
    bavaria = Rules(holiday_country="DE", holiday_subdivision="BY")
    berlin = Rules(holiday_country="DE", holiday_subdivision="BE")

    assert brief(evaluate(facts, bavaria, d("12-30"))) == (WAITING, "01-07")
    assert brief(evaluate(facts, berlin, d("12-30"))) == (WAITING, "01-06")
    loose = Rules(holiday_country="DE", holiday_subdivision="BY", weekdays_only=False)
    assert brief(evaluate(facts, loose, d("12-30"))) == (WAITING, "01-06")


@pytest.mark.parametrize(
    "country, subdivision",
    [("XX", ""), ("US", "XX"), ("DE", "CA"), ("", "CA")],
)
def test_rules_refuse_a_country_or_subdivision_the_holidays_do_not_know(country, subdivision):
    with pytest.raises(ValueError):
        Rules(holiday_country=country, holiday_subdivision=subdivision)


@pytest.mark.parametrize(
    "snoozed, expected",
    [
        pytest.param("12-12", (WAITING, "12-12"), id="snooze-ends-before-it-goes-quiet"),
        pytest.param("12-13", (WAITING, "12-13"), id="snooze-ends-the-day-it-goes-quiet"),
        pytest.param("12-20", (WAITING, "12-13"), id="going-quiet-comes-first"),
    ],
)
def test_rule_9_a_snooze_never_hides_the_day_it_goes_quiet(snoozed, expected):
    facts = app(applied="11-01", snoozed=snoozed)

    assert brief(status_on(facts, "12-10")) == expected


@pytest.mark.parametrize(
    "first, second, expected",
    [
        pytest.param(OFFER, "", (FOLLOW_UP_NOW, "12-07"), id="an-update-recorded-after-an-offer"),
        pytest.param("", OFFER, (OFFER, None), id="an-offer-recorded-after-an-update"),
    ],
)
def test_same_day_the_event_recorded_later_counts_as_the_later_one(first, second, expected):
    facts = app(
        interview("11-20"),
        replace(response("11-30", outcome=first), recorded=1),
        replace(response("11-30", outcome=second), recorded=2),
    )

    assert brief(status_on(facts, "12-10")) == expected


def test_same_day_interviews_the_one_recorded_later_counts():
    earlier = replace(interview("12-01", by="12-03"), recorded=1)
    later = replace(interview("12-01"), recorded=2)

    assert brief(status_on(app(earlier, later), "12-08", PLAIN)) == (FOLLOW_UP_NOW, "12-08")


@pytest.mark.parametrize(
    "timing, by, since, reason",
    [
        pytest.param(
            "end_of_week",
            "12-04",
            None,
            "They said “by the end of this week” (Fri, Dec 4); follow up from Dec 7.",
            id="one-day",
        ),
        pytest.param(
            "two_to_three_weeks",
            "12-22",
            "12-15",
            "They said “in two to three weeks” (Dec 15 to Dec 22); follow up from Dec 24.",
            id="a-span",
        ),
    ],
)
def test_the_reason_quotes_what_they_said_about_timing(timing, by, since, reason):
    said = replace(interview("12-01", by=by, since=since), timing=timing)

    assert status_on(app(said), "12-03").reason == reason
