"""Scheduled interviews: recorded ahead with a time and a place, nothing asked about
timing until their day has passed, then one short question on the dashboard; a timed
event in the calendar feed, in the user's zone, with the place."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from applications import selectors, services
from applications.models import Application, Interview, Preferences
from tests.factories import ApplicationFactory, InterviewFactory, PreferencesFactory
from tests.helpers import days, messages_of

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")


def new_interview_data(today, offset, **fields):
    return {
        "interview-date": days(today, offset).isoformat(),
        "interview-time": "14:30",
        "interview-format": "video",
        "interview-place": "https://meet.example/abc-defg",
        "interview-next_steps": "",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
        **fields,
    }


@pytest.fixture
def today(owner):
    """The owner lives in New York: their today, in their zone (week-end moves off)."""
    prefs = PreferencesFactory(
        user=owner, weekdays_only=False, time_zone="America/New_York", time_zone_confirmed=True
    )
    return selectors.local_today(prefs=prefs)


@pytest.fixture
def application(owner, today):
    return ApplicationFactory(owner=owner, company="Globex", applied_on=days(today, -10))


# ----------------------------------------------------------------------------------------
# Recording one ahead


def test_an_interview_ahead_is_recorded_with_its_time_and_place_and_no_timing_asked(
    owner_client, application, today
):
    response = owner_client.post(
        reverse("interview_new", args=[application.pk]), new_interview_data(today, 3)
    )

    assert response.status_code == 302
    interview = Interview.objects.get()
    assert (interview.time, interview.place, interview.timing) == (
        datetime.time(14, 30),
        "https://meet.example/abc-defg",
        "not_asked",
    )
    assert (interview.decision_from, interview.decision_by) == (None, None)
    html = owner_client.get(reverse("application_detail", args=[application.pk])).content
    html = html.decode()
    assert "Interview (video, 2:30 PM)" in html
    assert 'Where: <a href="https://meet.example/abc-defg"' in html


def test_an_interview_that_happened_still_needs_what_they_said(owner_client, application, today):
    response = owner_client.post(
        reverse("interview_new", args=[application.pk]), new_interview_data(today, -1)
    )

    assert response.status_code == 400
    assert "What did they say about timing?" in str(response.context["interview_form"].errors)
    assert not Interview.objects.exists()


def test_an_interview_ahead_may_still_carry_what_they_already_said(
    owner_client, application, today
):
    owner_client.post(
        reverse("interview_new", args=[application.pk]),
        new_interview_data(
            today, 2, **{"interview-timeline": "date", "interview-decision_by": days(today, 9)}
        ),
    )

    interview = Interview.objects.get()
    assert (interview.timing, interview.decision_by) == ("date", days(today, 9))


# ----------------------------------------------------------------------------------------
# The question once its day has passed


def ahead_then_passed(application, today, *, on):
    return InterviewFactory(
        application=application,
        date=days(today, on),
        timing="not_asked",
        decision_by=None,
        time=datetime.time(9, 0),
    )


def question(html):
    found = re.search(
        r'<li class="task">(?:(?!</li>).)*How did the interview with Globex go.*?</li>',
        html,
        re.DOTALL,
    )
    return found.group(0) if found else ""


def test_the_dashboard_asks_once_the_interviews_day_has_passed(owner_client, application, today):
    interview = ahead_then_passed(application, today, on=-1)

    html = owner_client.get(DASHBOARD).content.decode()

    asked = question(html)
    yesterday = days(today, -1)
    assert (
        f"How did the interview with Globex go on {yesterday:%a}, {yesterday:%b} {yesterday.day}"
    ) in asked
    assert "what did they say about timing?" in asked
    assert f'action="{reverse("interview_timing", args=[application.pk, interview.pk])}"' in asked
    options = re.findall(r'<option value="(\w*)">', asked)
    assert options[0] == "" and "not_asked" not in options and "range" not in options
    assert {"date", "next_week", "none"} <= set(options)
    assert re.search(r">Today <span class=\"count\">\(\d+\)</span>", html)


@pytest.mark.parametrize("on", [0, 2])
def test_no_question_before_the_day_has_passed(owner_client, application, today, on):
    ahead_then_passed(application, today, on=on)

    assert question(owner_client.get(DASHBOARD).content.decode()) == ""


def test_no_question_once_answered_or_for_a_closed_application(owner_client, application, today):
    ahead_then_passed(application, today, on=-2)
    other = ApplicationFactory(owner=application.owner, company="Globex", outcome="withdrawn")
    ahead_then_passed(other, today, on=-2)
    Interview.objects.filter(application=application).update(timing="none")

    assert question(owner_client.get(DASHBOARD).content.decode()) == ""


@pytest.mark.parametrize(
    "answer, dates",
    [
        ({"timeline": "next_week"}, "next_week"),
        ({"timeline": "date", "decision_by": 6}, (None, 6)),
        ({"timeline": "none"}, (None, None)),
    ],
)
def test_answering_the_question_records_what_they_said(
    owner_client, application, today, answer, dates
):
    interview = ahead_then_passed(application, today, on=-1)
    data = {
        key: days(today, value).isoformat() if key == "decision_by" else value
        for key, value in answer.items()
    }

    response = owner_client.post(
        reverse("interview_timing", args=[application.pk, interview.pk]), data
    )

    assert response["Location"] == DASHBOARD
    assert messages_of(response) == ["Saved what Globex said about timing."]
    interview.refresh_from_db()
    assert interview.timing == answer["timeline"]
    if dates == "next_week":
        expected = services.interview_decision_dates(timing="next_week", date=interview.date)
    else:
        expected = tuple(None if d is None else days(today, d) for d in dates)
    assert (interview.decision_from, interview.decision_by) == expected
    assert question(owner_client.get(DASHBOARD).content.decode()) == ""


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "This field is required."),
        ({"timeline": "not_asked"}, "is not one of the available choices"),
        ({"timeline": "date"}, "Enter the date they gave"),
        ({"timeline": "date", "decision_by": -5}, "can't decide before the interview"),
    ],
)
def test_a_wrong_answer_says_why_and_changes_nothing(
    owner_client, application, today, data, message
):
    interview = ahead_then_passed(application, today, on=-1)
    data = {
        key: days(today, value).isoformat() if key == "decision_by" else value
        for key, value in data.items()
    }

    response = owner_client.post(
        reverse("interview_timing", args=[application.pk, interview.pk]), data
    )

    assert any(message in text for text in messages_of(response)), messages_of(response)
    interview.refresh_from_db()
    assert (interview.timing, interview.decision_by) == ("not_asked", None)


def test_the_answer_is_only_for_the_owners_interview(client, stranger, application, today):
    interview = ahead_then_passed(application, today, on=-1)
    client.force_login(stranger)

    url = reverse("interview_timing", args=[application.pk, interview.pk])
    assert client.post(url, {"timeline": "none"}).status_code == 404
    assert Interview.objects.get(pk=interview.pk).timing == "not_asked"
    assert Application.objects.filter(owner=stranger).count() == 0


# ----------------------------------------------------------------------------------------
# The calendar feed


def test_a_timed_interview_is_a_timed_event_in_the_users_zone_with_its_place(
    owner, application, today
):
    prefs = Preferences.objects.get(user=owner)
    token = services.calendar_token_regenerate(preferences=prefs)
    timed = ahead_then_passed(application, today, on=3)
    timed.place = "Globex HQ, 5 Main St, Springfield"
    timed.save()
    untimed = InterviewFactory(application=application, date=days(today, 5))

    response = Client().get(reverse("calendar_feed", args=[token]))

    calendar = Calendar.from_ical(response.content)
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    event = events[f"interview-{timed.pk}@testserver"]
    start, end = event["DTSTART"].dt, event["DTEND"].dt
    assert (start.date(), start.hour, start.minute) == (days(today, 3), 9, 0)
    assert str(start.tzinfo) == "America/New_York"
    assert end - start == datetime.timedelta(hours=1)
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert str(event["LOCATION"]) == "Globex HQ, 5 Main St, Springfield"
    assert "Where: Globex HQ" in str(event["DESCRIPTION"])
    assert "America/New_York" in {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    all_day = events[f"interview-{untimed.pk}@testserver"]
    assert all_day["DTSTART"].dt == days(today, 5)
    assert "LOCATION" not in all_day
