"""An application's story in date order (`applications.timeline`): the list the page
shows, and the geometry of the picture drawn from it."""

import datetime

import pytest

from applications import status as engine
from applications.timeline import (
    AXIS_Y,
    MARGIN,
    TALL_MAX_GAP,
    TALL_MIN_GAP,
    WIDTH,
    application_timeline,
)
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FollowUpFactory,
    InterviewFactory,
    follow_up_due,
)
from tests.helpers import facts_of

pytestmark = pytest.mark.django_db

D = datetime.date


def status_of(application, as_of, rules=engine.DEFAULT_RULES):
    return engine.evaluate(facts_of(application), rules, as_of)


def timeline_of(application, as_of):
    return application_timeline(
        application=application, status=status_of(application, as_of), as_of=as_of
    )


def events_of_kind(application, as_of, kind):
    return [event for event in timeline_of(application, as_of).events if event.kind == kind]


@pytest.fixture
def story(owner):
    """Applied, two rounds (a range, then a date), a thank-you, a check-in, and a response
    moving them to the next round with a new date."""
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 2))
    dana = ContactFactory(application=application, name="Dana Reyes")
    lee = ContactFactory(application=application, name="Lee Chen")
    InterviewFactory(
        application=application,
        date=D(2026, 11, 9),
        format="phone",
        next_steps="Meet the team",
        decision_from=D(2026, 11, 11),
        decision_by=D(2026, 11, 13),
        contacts=[dana],
    )
    InterviewFactory(
        application=application,
        date=D(2026, 11, 16),
        decision_by=D(2026, 11, 20),
        contacts=[dana, lee],
    )
    # Recorded out of order on purpose: the timeline sorts by date, not by entry.
    FollowUpFactory(
        application=application,
        date=D(2026, 11, 24),
        kind="response",
        outcome="next_round",
        new_decision_by=D(2026, 12, 1),
        note="Final round next",
    )
    FollowUpFactory(application=application, date=D(2026, 11, 19), kind="check_in", channel="phone")
    FollowUpFactory(application=application, date=D(2026, 11, 16), kind="thank_you", contact=dana)
    return application


def test_every_dated_thing_appears_oldest_first_saying_what_happened(story):
    timeline = timeline_of(story, D(2026, 11, 26))

    assert [(event.date, event.kind, event.title) for event in timeline.events] == [
        (D(2026, 11, 2), "applied", "Applied"),
        (D(2026, 11, 9), "interview", "Interview (phone)"),
        (D(2026, 11, 13), "decision", "They expect to decide between Nov 11 and Nov 13"),
        (D(2026, 11, 16), "interview", "Interview (video)"),
        (D(2026, 11, 16), "thank_you", "Thank-you note sent"),
        (D(2026, 11, 19), "check_in", "You checked in (phone)"),
        (D(2026, 11, 20), "decision", "They expect to decide by this date"),
        (D(2026, 11, 24), "response", "They responded: next round"),
        (D(2026, 12, 1), "decision", "New date they gave"),
        # Waiting for the new date (Dec 1) plus two days of grace.
        (D(2026, 12, 3), "next", "Next change"),
    ]


def test_each_event_carries_its_people_and_notes(story):
    events = {
        (event.date, event.kind): event for event in timeline_of(story, D(2026, 11, 26)).events
    }

    first_round = events[(D(2026, 11, 9), "interview")]
    assert (first_round.people, first_round.detail) == (["Dana Reyes"], "Meet the team")
    assert events[(D(2026, 11, 16), "interview")].people == ["Dana Reyes", "Lee Chen"]
    assert events[(D(2026, 11, 16), "thank_you")].people == ["Dana Reyes"]
    assert events[(D(2026, 11, 24), "response")].detail == "Final round next"
    assert events[(D(2026, 11, 2), "applied")].people == []


def test_events_of_one_day_follow_the_order_things_happen(owner):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 2))
    # All on one day, entered backwards.
    FollowUpFactory(application=application, date=D(2026, 11, 2), kind="response")
    FollowUpFactory(application=application, date=D(2026, 11, 2), kind="check_in")
    FollowUpFactory(application=application, date=D(2026, 11, 2), kind="thank_you")
    InterviewFactory(application=application, date=D(2026, 11, 2))

    kinds = [event.kind for event in timeline_of(application, D(2026, 11, 3)).events]

    assert kinds[:5] == ["applied", "interview", "thank_you", "check_in", "response"]


def test_a_check_in_sent_before_it_was_due_is_marked_early(owner):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 2))
    # They said Nov 20: follow up from Sunday Nov 22, moved to Monday Nov 23.
    InterviewFactory(application=application, date=D(2026, 11, 16), decision_by=D(2026, 11, 20))
    FollowUpFactory(application=application, date=D(2026, 11, 19), kind="check_in")
    FollowUpFactory(application=application, date=D(2026, 11, 26), kind="check_in")

    check_ins = events_of_kind(application, D(2026, 11, 30), "check_in")

    assert [(event.date, event.early) for event in check_ins] == [
        (D(2026, 11, 19), True),
        (D(2026, 11, 26), False),
    ]


def test_the_next_step_says_follow_up_from_here_once_it_is_due(owner):
    application = follow_up_due(owner)  # they said Dec 5: follow up from Mon, Dec 7

    (waiting,) = events_of_kind(application, D(2026, 12, 6), "next")
    (due,) = events_of_kind(application, D(2026, 12, 10), "next")

    assert (waiting.date, waiting.title) == (D(2026, 12, 7), "Next change")
    assert (due.date, due.title) == (D(2026, 12, 7), "Follow up from here")


def test_a_closed_application_has_no_next_step_and_an_offer_reads_as_such(owner):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 2))
    InterviewFactory(application=application, date=D(2026, 11, 10))
    FollowUpFactory(application=application, date=D(2026, 11, 12), kind="thank_you")
    FollowUpFactory(application=application, date=D(2026, 11, 20), kind="response", outcome="offer")

    events = timeline_of(application, D(2026, 11, 26)).events

    assert [event.kind for event in events] == ["applied", "interview", "thank_you", "response"]
    assert events[-1].title == "They responded: offer"
    # A thank-you to everyone names nobody.
    assert events[2].people == []


def test_a_single_decision_date_given_as_a_range_of_one_day_reads_as_a_date(owner):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 2))
    InterviewFactory(
        application=application,
        date=D(2026, 11, 10),
        decision_from=D(2026, 11, 13),
        decision_by=D(2026, 11, 13),
    )

    (decision,) = events_of_kind(application, D(2026, 11, 11), "decision")

    assert decision.title == "They expect to decide by this date"


def test_the_summary_is_the_pictures_text_alternative(story):
    timeline = timeline_of(story, D(2026, 11, 26))

    assert timeline.summary == "10 events from Nov 2, 2026 to Dec 3, 2026; today is Nov 26, 2026."


# ----------------------------------------------------------------------------------------
# The picture


def test_the_picture_has_one_mark_per_event_placed_by_date_between_the_margins(story):
    as_of = D(2026, 11, 26)
    timeline = timeline_of(story, as_of)

    assert [(mark.kind, mark.label) for mark in timeline.marks] == [
        (event.kind, event.title) for event in timeline.events
    ]
    xs = [mark.x for mark in timeline.marks]
    assert xs == sorted(xs)
    # The oldest event sits on the left margin, the latest on the right; today between.
    assert xs[0] == MARGIN
    assert xs[-1] == WIDTH - MARGIN
    assert xs[0] < timeline.today_x < xs[-1]
    # Dec 3 is 7 days after today, Nov 2 is 24 days before: today is 24/31 of the way.
    assert timeline.today_x == MARGIN + round(24 / 31 * (WIDTH - 2 * MARGIN))
    assert [mark.date_label for mark in timeline.marks][:2] == ["Nov 2", "Nov 9"]


def test_events_of_one_day_sit_side_by_side_not_on_top_of_each_other(story):
    marks = timeline_of(story, D(2026, 11, 26)).marks
    interview, thank_you = marks[3], marks[4]  # both on Nov 16

    assert (interview.kind, thank_you.kind) == ("interview", "thank_you")
    assert thank_you.x - interview.x == 16


def test_date_labels_close_together_on_one_side_never_share_a_line(owner):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 2))
    # A busy week: a note a day for five days, on a month-long axis.
    for dom in (20, 21, 22, 23, 24):
        FollowUpFactory(application=application, date=D(2026, 11, dom), kind="thank_you")

    marks = timeline_of(application, D(2026, 12, 2)).marks

    def above(mark):
        return mark.label_y < AXIS_Y

    close_on_one_side = [
        (mark, other)
        for index, mark in enumerate(marks)
        for other in marks[index + 1 :]
        if abs(other.x - mark.x) < 70 and above(other) == above(mark)
    ]
    assert close_on_one_side, "the busy week must put labels near each other"
    for mark, other in close_on_one_side:
        assert other.label_y != mark.label_y, (mark, other)


def test_today_after_every_event_stretches_the_axis_to_today(owner):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 2), outcome="withdrawn")

    timeline = timeline_of(application, D(2026, 11, 12))

    assert [event.kind for event in timeline.events] == ["applied"]
    assert timeline.marks[0].x == MARGIN
    assert timeline.today_x == WIDTH - MARGIN


def test_a_timeline_of_one_day_does_not_break_the_scale(owner):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 2), outcome="withdrawn")

    timeline = timeline_of(application, D(2026, 11, 2))

    assert timeline.marks[0].x == timeline.today_x == MARGIN


def test_the_upright_picture_has_a_row_per_event_spaced_by_date_within_bounds(story):
    as_of = D(2026, 11, 26)
    timeline = timeline_of(story, as_of)

    marks = timeline.tall_marks
    assert [mark.kind for mark in marks] == [event.kind for event in timeline.events]
    assert marks[0].label == "Nov 2 · Applied"
    for above, below, earlier, later in zip(
        marks, marks[1:], timeline.events, timeline.events[1:], strict=False
    ):
        step = below.y - above.y
        assert TALL_MIN_GAP <= step <= TALL_MAX_GAP, (above, below)
        if later.date == earlier.date:
            assert step == TALL_MIN_GAP  # one day's events stacked, no closer
    # Today (Nov 26) falls between the rows of the days around it, on neither label.
    before = max(m.y for m, e in zip(marks, timeline.events, strict=True) if e.date <= as_of)
    after = min(m.y for m, e in zip(marks, timeline.events, strict=True) if e.date > as_of)
    assert before + TALL_MIN_GAP // 2 <= timeline.tall_today_y <= after - TALL_MIN_GAP // 2
    assert timeline.tall_height > marks[-1].y


def test_the_upright_picture_puts_today_after_the_last_event(owner):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 2), outcome="withdrawn")

    timeline = timeline_of(application, D(2026, 11, 12))

    (mark,) = timeline.tall_marks
    assert timeline.tall_today_y > mark.y
    assert timeline.tall_height > timeline.tall_today_y


def test_the_summary_of_a_single_event_says_one_event(owner):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 2), outcome="withdrawn")

    timeline = timeline_of(application, D(2026, 11, 2))

    assert timeline.summary == "1 event from Nov 2, 2026 to Nov 2, 2026; today is Nov 2, 2026."


# ----------------------------------------------------------------------------------------
# Rules v2: their words about timing, and the new kinds of response. The status is given
# (the timeline only shows it), so these read the same under any engine.

WAITING = engine.Status(engine.WAITING, D(2026, 12, 14), "")
AS_OF = D(2026, 12, 10)


def timeline_with(application):
    return application_timeline(application=application, status=WAITING, as_of=AS_OF)


@pytest.mark.parametrize(
    "timing, decision_from, decision_by, said, decision_title",
    [
        ("end_of_week", None, D(2026, 12, 4), "They said “by the end of this week”.",
         "They said “by the end of this week”: by this date"),
        ("next_week", D(2026, 12, 7), D(2026, 12, 11), "They said “next week”.",
         "They said “next week”: between Dec 7 and Dec 11"),
        ("none", None, None, "They didn't say when they would decide.", None),
        ("not_asked", None, None, "You haven't asked about their timing yet.", None),
        ("date", None, D(2026, 12, 4), "", "They expect to decide by this date"),
        ("", None, D(2026, 12, 4), "", "They expect to decide by this date"),
    ],
)  # fmt: skip
def test_the_interview_shows_the_words_they_said_about_timing(
    owner, timing, decision_from, decision_by, said, decision_title
):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 20))
    InterviewFactory(
        application=application,
        date=D(2026, 12, 1),
        timing=timing,
        decision_from=decision_from,
        decision_by=decision_by,
    )

    events = timeline_with(application).events

    (interview,) = [event for event in events if event.kind == "interview"]
    assert interview.said == said
    decisions = [event.title for event in events if event.kind == "decision"]
    assert decisions == ([decision_title] if decision_title else [])


@pytest.mark.parametrize(
    "outcome, new_date, title, date_title",
    [
        ("offer_coming", D(2026, 12, 9), "They said an offer is on its way",
         "The written offer is expected"),
        ("offer_coming", None, "They said an offer is on its way", None),
        ("courtesy", None, "A courtesy reply (no news)", None),
        ("", D(2026, 12, 9), "They responded", "New date they gave"),
        ("next_round", None, "They responded: next round", None),
    ],
)  # fmt: skip
def test_each_kind_of_response_has_its_title(owner, outcome, new_date, title, date_title):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 20))
    FollowUpFactory(
        application=application,
        date=D(2026, 12, 2),
        kind="response",
        outcome=outcome,
        new_decision_by=new_date,
    )

    events = timeline_with(application).events

    assert [event.title for event in events if event.kind == "response"] == [title]
    dated = [event.title for event in events if event.kind == "decision"]
    assert dated == ([date_title] if date_title else [])


def test_the_application_page_shows_the_words_on_the_interview(owner, owner_client):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 20))
    InterviewFactory(
        application=application,
        date=D(2026, 12, 1),
        timing="two_to_three_weeks",
        decision_from=D(2026, 12, 15),
        decision_by=D(2026, 12, 22),
    )

    html = owner_client.get(application.get_absolute_url()).content.decode()

    assert '<p class="tl-detail tl-said">They said “in two to three weeks”.</p>' in html
    assert "They said “in two to three weeks”: between Dec 15 and Dec 22" in html
