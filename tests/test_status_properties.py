"""Properties of the status engine that must hold for any application, settings and date.

The tables in test_status.py pin each rule at its thresholds; these let Hypothesis look
for the combination nobody thought of: the contract of `next_action_date` for each
status, independence from the clock and from the order of events, rule 8's promise
that the follow-up dates it governs never fall on a day off, and rules v2's promises:
courtesy replies change nothing, a snooze never hides an interview or a likely-closed
date, and an application with no interview and no news goes quiet on its own.
"""

import gc
import os
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from applications import status as engine
from applications.status import (
    CHECK_IN,
    CLOSED_STATUSES,
    COURTESY,
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
    evaluate,
)

# Around a year's end, so that dates in another year than as_of's appear.
days = st.dates(date(2026, 9, 1), date(2027, 3, 31))
maybe_day = st.none() | days
contact_keys = st.sampled_from(["dana", "lee", "sam", 7, 8])

# The order events were recorded in: often all alike (hand-made facts), sometimes not.
recorded = st.integers(0, 3)
interviews = st.builds(
    InterviewFacts,
    date=days,
    decision_from=maybe_day,
    decision_by=maybe_day,
    contacts=st.lists(contact_keys, max_size=3).map(tuple),
    recorded=recorded,
)
courtesy_replies = st.builds(
    FollowUpFacts, date=days, kind=st.just(RESPONSE), outcome=st.just(COURTESY)
)
follow_ups = st.one_of(
    st.builds(FollowUpFacts, date=days, kind=st.just(CHECK_IN)),
    st.builds(FollowUpFacts, date=days, kind=st.just(THANK_YOU), contact=st.none() | contact_keys),
    st.builds(
        FollowUpFacts,
        date=days,
        kind=st.just(RESPONSE),
        new_decision_by=maybe_day,
        outcome=st.sampled_from(["", "", "", NEXT_ROUND, OFFER, REJECTED, OFFER_COMING]),
        recorded=recorded,
    ),
    courtesy_replies,
)
applications = st.builds(
    ApplicationFacts,
    applied_on=days,
    interviews=st.lists(interviews, max_size=4).map(tuple),
    follow_ups=st.lists(follow_ups, max_size=8).map(tuple),
    outcome=st.sampled_from(["", "", "", "", "", OFFER, REJECTED, WITHDRAWN]),
    snoozed_until=maybe_day,
)
# Small values most of the time, so that thresholds fall inside the generated dates.
day_setting = st.one_of(st.integers(0, 14), st.integers(0, 90))
rule_settings = st.builds(
    Rules,
    grace_days=day_setting,
    no_date_wait_days=day_setting,
    applied_wait_days=day_setting,
    check_in_spacing_days=day_setting,
    max_check_ins=st.integers(1, 5),
    weekdays_only=st.booleans(),
    applied_gives_up_days=st.one_of(st.integers(0, 60), st.integers(0, 365)),
    last_try_after_days=st.one_of(st.integers(0, 30), st.integers(0, 365)),
    holiday_country=st.sampled_from(["", "", "US", "DE", "GB"]),
)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def as_written(day: date, as_of: date) -> str:
    """How a reason writes `day` (in English): "Dec 3", or "Dec 3, 2027" in another year."""
    text = f"{MONTHS[day.month - 1]} {day.day}"
    return text if day.year == as_of.year else f"{text}, {day.year}"


def up_to(facts: ApplicationFacts, as_of: date) -> ApplicationFacts:
    """`facts` as known on `as_of`: later follow-ups dropped (interviews stay scheduled)."""
    return replace(facts, follow_ups=tuple(f for f in facts.follow_ups if f.date <= as_of))


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(facts=applications, rules=rule_settings, as_of=days)
def test_next_action_date_keeps_its_promise_for_each_status(facts, rules, as_of):
    result = evaluate(facts, rules, as_of)

    if result.code == WAITING:
        assert result.next_action_date > as_of
    elif result.code == FOLLOW_UP_NOW:
        assert result.next_action_date <= as_of
    else:
        assert result.code in (LIKELY_CLOSED, *CLOSED_STATUSES)
        assert result.next_action_date is None
    assert result.is_active is (result.code not in CLOSED_STATUSES)


@PROPERTY
@given(facts=applications, rules=rule_settings, as_of=days)
def test_reason_is_one_filled_in_sentence_naming_the_next_action_date(facts, rules, as_of):
    result = evaluate(facts, rules, as_of)

    assert result.reason[0].isupper() and result.reason[-1] in ".!"
    assert "%(" not in result.reason and "\n" not in result.reason
    if result.next_action_date is not None:
        assert as_written(result.next_action_date, as_of) in result.reason


@PROPERTY
@given(facts=applications, rules=rule_settings, as_of=days)
def test_waiting_changes_on_its_next_action_date_and_not_before(facts, rules, as_of):
    facts = up_to(facts, as_of)  # "if nothing new happens"
    result = evaluate(facts, rules, as_of)
    assume(result.code == WAITING)
    turn = result.next_action_date

    day_before = evaluate(facts, rules, turn - timedelta(1))
    on_the_day = evaluate(facts, rules, turn)
    assert (day_before.code, day_before.next_action_date) == (WAITING, turn)
    assert (on_the_day.code, on_the_day.next_action_date) != (WAITING, turn)


@PROPERTY
@given(
    facts=applications,
    rules=rule_settings,
    since_last_event=st.integers(0, 30),
    later=st.integers(1, 60),
)
def test_follow_up_now_stays_due_until_something_happens(facts, rules, since_last_event, later):
    # Nothing new after as_of: it comes after every event; no snooze, no closing.
    events = [
        facts.applied_on,
        *(i.date for i in facts.interviews),
        *(f.date for f in facts.follow_ups),
    ]
    as_of = max(events) + timedelta(since_last_event)
    facts = replace(
        facts,
        follow_ups=tuple(
            replace(f, outcome=NEXT_ROUND) if f.outcome in (OFFER, REJECTED) else f
            for f in facts.follow_ups
        ),
        outcome="",
        snoozed_until=None,
    )
    result = evaluate(facts, rules, as_of)
    assume(result.code == FOLLOW_UP_NOW)

    again = evaluate(facts, rules, as_of + timedelta(later))
    if again.code == LIKELY_CLOSED:
        # Rule 7a, the one thing time alone does: no interview, no news, gone quiet.
        assert not any(i.date <= as_of for i in facts.interviews)
        assert all(f.outcome == COURTESY for f in facts.follow_ups if f.kind == RESPONSE)
        gives_up = rules.applied_gives_up_days
        assert gives_up and as_of + timedelta(later) >= facts.applied_on + timedelta(gives_up)
    else:
        assert (again.code, again.next_action_date) == (FOLLOW_UP_NOW, result.next_action_date)


@PROPERTY
@given(facts=applications, rules=rule_settings, as_of=days, data=st.data())
def test_result_does_not_depend_on_the_order_of_events(facts, rules, as_of, data):
    shuffled = replace(
        facts,
        interviews=tuple(data.draw(st.permutations(facts.interviews))),
        follow_ups=tuple(data.draw(st.permutations(facts.follow_ups))),
    )

    assert evaluate(shuffled, rules, as_of) == evaluate(facts, rules, as_of)


@PROPERTY
@given(facts=applications, rules=rule_settings, as_of=days, later=st.lists(follow_ups, max_size=3))
def test_follow_ups_after_as_of_change_nothing(facts, rules, as_of, later):
    after = tuple(replace(f, date=max(f.date, as_of + timedelta(1))) for f in later)
    with_later = replace(facts, follow_ups=facts.follow_ups + after)

    assert evaluate(with_later, rules, as_of) == evaluate(facts, rules, as_of)


@PROPERTY
@given(facts=applications, rules=rule_settings, as_of=days)
def test_rule_8_follow_up_dates_never_fall_on_a_day_off(facts, rules, as_of):
    rules = replace(rules, weekdays_only=True)
    # Leave out the dates rule 8 does not move: interviews ahead and the snooze date.
    facts = replace(
        facts, interviews=tuple(i for i in facts.interviews if i.date <= as_of), snoozed_until=None
    )
    result = evaluate(facts, rules, as_of)
    assume(result.code in (WAITING, FOLLOW_UP_NOW))
    # ... and the likely-closed date, the one a waiting application turns likely closed on.
    turn = result.next_action_date
    assume(evaluate(up_to(facts, as_of), rules, turn).code != LIKELY_CLOSED)

    assert turn.weekday() < 5
    assert not rules.is_day_off(turn)


@PROPERTY
@given(
    facts=applications,
    rules=rule_settings,
    as_of=days,
    replies=st.lists(courtesy_replies, min_size=1, max_size=3),
)
def test_rule_0_courtesy_replies_change_nothing(facts, rules, as_of, replies):
    with_replies = replace(facts, follow_ups=facts.follow_ups + tuple(replies))

    assert evaluate(with_replies, rules, as_of) == evaluate(facts, rules, as_of)


@PROPERTY
@given(facts=applications, rules=rule_settings, as_of=days, snooze=st.integers(1, 60))
def test_rule_9_a_snooze_never_hides_an_interview_a_likely_closed_date_or_an_outcome(
    facts, rules, as_of, snooze
):
    until = as_of + timedelta(snooze)
    awake = evaluate(replace(facts, snoozed_until=None), rules, as_of)
    snoozed = evaluate(replace(facts, snoozed_until=until), rules, as_of)

    if awake.code not in (FOLLOW_UP_NOW, WAITING) or any(
        interview.date > as_of for interview in facts.interviews
    ):
        assert snoozed == awake
    elif snoozed != awake:
        # It only ever postpones, and never past the day the snooze ends.
        assert snoozed.code == WAITING
        assert snoozed.next_action_date <= until
        if awake.code == WAITING:
            assert awake.next_action_date < snoozed.next_action_date


@PROPERTY
@given(facts=applications, rules=rule_settings, as_of=days)
def test_rule_7a_no_interview_and_no_news_is_likely_closed_once_it_goes_quiet(facts, rules, as_of):
    assume(rules.applied_gives_up_days > 0 and not facts.outcome)
    quiet = replace(
        facts,
        interviews=(),
        follow_ups=tuple(f for f in facts.follow_ups if f.kind != RESPONSE),
    )
    goes_quiet = facts.applied_on + timedelta(rules.applied_gives_up_days)

    result = evaluate(quiet, rules, as_of)

    if as_of >= goes_quiet:
        assert result.code == LIKELY_CLOSED
    else:
        assert result.next_action_date is None or result.next_action_date <= goes_quiet


# --- the engine never reads the clock ------------------------------------------------------

CLOCK_FUNCTIONS = {
    "today", "now", "utcnow", "localdate", "localtime", "gmtime", "time", "time_ns",
    "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns", "fromtimestamp",
}  # fmt: skip


def clock_reads_during(call):
    """Run `call` and list every clock function it (or anything it calls) invoked."""
    seen = []

    def spy(frame, event, arg):
        if event == "c_call" and getattr(arg, "__name__", None) in CLOCK_FUNCTIONS:
            seen.append(arg.__name__)
        elif event == "call" and frame.f_code.co_name in CLOCK_FUNCTIONS:
            seen.append(frame.f_code.co_name)

    # Hypothesis times garbage collections with a gc callback: keep it out of the way.
    collecting = gc.isenabled()
    gc.disable()
    previous = sys.getprofile()
    sys.setprofile(spy)
    try:
        call()
    finally:
        sys.setprofile(previous)
        if collecting:
            gc.enable()
    return seen


def test_the_clock_spy_sees_clock_reads():
    from django.utils import timezone

    assert clock_reads_during(date.today) == ["today"]
    assert "now" in clock_reads_during(timezone.now)
    assert clock_reads_during(lambda: date(2026, 12, 10) + timedelta(1)) == []


@PROPERTY
@given(facts=applications, rules=rule_settings, as_of=days)
def test_evaluate_never_reads_the_clock(facts, rules, as_of):
    assert clock_reads_during(lambda: evaluate(facts, rules, as_of)) == []


class ClocklessDate(date):
    """A `date` whose clock readers fail the test if the engine ever calls them."""

    @classmethod
    def today(cls):
        raise AssertionError("the status engine read the clock")

    @classmethod
    def fromtimestamp(cls, timestamp):
        raise AssertionError("the status engine read the clock")


@pytest.mark.parametrize("zone", ["UTC", "Pacific/Kiritimati", "Etc/GMT+12"])
@settings(max_examples=50, deadline=None)
@given(facts=applications, rules=rule_settings, as_of=days)
def test_result_is_the_same_in_any_time_zone_and_without_a_clock(zone, facts, rules, as_of):
    expected = evaluate(facts, rules, as_of)
    saved = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        with mock.patch.object(engine, "date", ClocklessDate):
            assert evaluate(facts, rules, as_of) == expected
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()
