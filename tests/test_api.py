"""GET /api/applications.json: every application of the signed-in user, most urgent first."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import selectors
from applications import status as engine
from tests.factories import (
    ApplicationFactory,
    FollowUpFactory,
    InterviewFactory,
    PreferencesFactory,
    full_application,
)
from tests.helpers import facts_of
from tests.test_status import WORKED_EXAMPLES

URL = reverse("api_applications")
AS_OF = "2026-12-10"


def _get(client, **params):
    return client.get(URL, params)


@pytest.mark.django_db
def test_lists_every_application_most_urgent_first_with_status_reason_and_link(owner, owner_client):
    # Worked examples of the spec, as of 2026-12-10.
    overdue = ApplicationFactory(owner=owner, company="Zeta")  # A: follow up since 12-07
    InterviewFactory(
        application=overdue, date=datetime.date(2026, 12, 1), decision_by=datetime.date(2026, 12, 5)
    )
    less_overdue = ApplicationFactory(owner=owner, company="Alpha")  # F: follow up since 12-03
    InterviewFactory(application=less_overdue, date=datetime.date(2026, 11, 10))
    FollowUpFactory(application=less_overdue, date=datetime.date(2026, 11, 17), kind="check_in")
    FollowUpFactory(
        application=less_overdue,
        date=datetime.date(2026, 11, 18),
        kind="response",
        new_decision_by=datetime.date(2026, 12, 1),
    )
    soon = ApplicationFactory(owner=owner, company="Beta")  # B: waiting until 12-11
    InterviewFactory(
        application=soon, date=datetime.date(2026, 12, 1), decision_by=datetime.date(2026, 12, 9)
    )
    later = ApplicationFactory(
        owner=owner, company="Gamma", applied_on=datetime.date(2026, 11, 30)
    )  # G: 12-14
    gone_quiet = ApplicationFactory(owner=owner, company="Delta")  # E: likely closed
    InterviewFactory(application=gone_quiet, date=datetime.date(2026, 11, 10))
    FollowUpFactory(application=gone_quiet, date=datetime.date(2026, 11, 17))
    FollowUpFactory(application=gone_quiet, date=datetime.date(2026, 11, 25))
    offer = ApplicationFactory(owner=owner, company="Omega", outcome="offer")
    rejected = ApplicationFactory(owner=owner, company="Eta")  # H
    InterviewFactory(application=rejected, date=datetime.date(2026, 11, 10))
    FollowUpFactory(
        application=rejected, date=datetime.date(2026, 11, 20), kind="response", outcome="rejected"
    )

    response = _get(owner_client, as_of=AS_OF)

    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == AS_OF
    listed = [(a["company"], a["status"], a["next_action_date"]) for a in body["applications"]]
    assert listed == [
        ("Alpha", "follow_up_now", "2026-12-03"),
        ("Zeta", "follow_up_now", "2026-12-07"),
        ("Beta", "waiting", "2026-12-11"),
        ("Gamma", "waiting", "2026-12-14"),
        ("Delta", "likely_closed", None),
        ("Omega", "offer", None),
        ("Eta", "rejected", None),
    ]
    zeta = body["applications"][1]
    assert zeta["id"] == overdue.pk
    assert zeta["role"] == overdue.role
    assert zeta["url"] == f"/applications/{overdue.pk}/"
    assert "Dec 5" in zeta["reason"] and "Dec 7" in zeta["reason"]
    assert {a["id"] for a in body["applications"]} == {
        app.pk for app in (overdue, less_overdue, soon, later, gone_quiet, offer, rejected)
    }


@pytest.mark.django_db
def test_reason_and_dates_are_the_engines_own(owner, owner_client):
    application = full_application(owner)
    as_of = datetime.date(2026, 12, 10)
    expected = engine.evaluate(facts_of(application), engine.DEFAULT_RULES, as_of)
    (listed,) = _get(owner_client, as_of=as_of.isoformat()).json()["applications"]
    assert listed["status"] == expected.code
    assert listed["reason"] == expected.reason
    assert listed["next_action_date"] == (
        expected.next_action_date.isoformat() if expected.next_action_date else None
    )


@pytest.mark.django_db
def test_the_users_own_rule_settings_apply(owner, owner_client):
    PreferencesFactory(user=owner, grace_days=5)
    application = ApplicationFactory(owner=owner)
    InterviewFactory(
        application=application,
        date=datetime.date(2026, 12, 1),
        decision_by=datetime.date(2026, 12, 5),
    )
    (listed,) = _get(owner_client, as_of=AS_OF).json()["applications"]
    # Dec 5 + 5 days of grace is Thursday Dec 10 (the default 2 days would say Dec 7).
    assert (listed["status"], listed["next_action_date"]) == ("follow_up_now", "2026-12-10")


@pytest.mark.django_db
def test_as_of_defaults_to_the_users_local_today(owner, owner_client):
    prefs = PreferencesFactory(user=owner, time_zone="Pacific/Kiritimati")  # UTC+14
    body = _get(owner_client).json()
    assert body["as_of"] == selectors.local_today(prefs=prefs).isoformat()


def test_local_today_follows_the_users_zone_across_midnight_utc():
    late_evening_utc = datetime.datetime(2026, 12, 9, 22, 30, tzinfo=datetime.UTC)
    assert selectors.local_today(prefs=_prefs("UTC"), now=late_evening_utc) == datetime.date(
        2026, 12, 9
    )
    assert selectors.local_today(prefs=_prefs("Asia/Tokyo"), now=late_evening_utc) == datetime.date(
        2026, 12, 10
    )
    assert selectors.local_today(
        prefs=_prefs("America/Los_Angeles"), now=late_evening_utc
    ) == datetime.date(2026, 12, 9)


def _prefs(zone):
    from applications.models import Preferences

    return Preferences(time_zone=zone)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad", ["yesterday", "2026-13-01", "2026-02-30", "2026-1-5", "", "2026-12-10T00:00", "20261210"]
)
def test_a_bad_as_of_answers_400_with_a_json_error(owner_client, bad):
    response = _get(owner_client, as_of=bad)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "YYYY-MM-DD" in response.json()["error"]


@pytest.mark.django_db
def test_without_a_session_it_answers_401_in_json(client):
    response = client.get(URL)
    assert response.status_code == 401
    assert "error" in response.json()


@pytest.mark.django_db
def test_only_post_is_refused(owner_client):
    assert owner_client.post(URL).status_code == 405


@pytest.mark.django_db
def test_never_lists_another_users_applications(owner, stranger, stranger_client):
    full_application(owner, company="Owner's secret employer")
    mine = ApplicationFactory(owner=stranger, company="Stranger's own")
    body = _get(stranger_client, as_of=AS_OF).json()
    assert [a["id"] for a in body["applications"]] == [mine.pk]


@pytest.mark.django_db
def test_query_count_is_the_same_for_3_and_300_applications(owner, owner_client):
    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            assert _get(owner_client, as_of=AS_OF).status_code == 200
        return len(captured)

    PreferencesFactory(user=owner)
    for _ in range(3):
        full_application(owner)
    with_three = count_queries()
    for _ in range(297):
        full_application(owner)
    with_three_hundred = count_queries()
    # session, user, preferences, applications, interview people, interviews, follow-ups
    assert with_three == with_three_hundred == 7
    assert len(_get(owner_client, as_of=AS_OF).json()["applications"]) == 300


@pytest.mark.django_db
@pytest.mark.parametrize("facts, expected", WORKED_EXAMPLES)
def test_the_api_gives_each_worked_example_exactly(facts, expected, owner, owner_client, request):
    """Examples A-O of docs/status-rules.md, recorded as a user would and read back
    through the API on 2026-12-10 (O with the public holidays of the United States)."""
    example = request.node.callspec.id
    PreferencesFactory(user=owner, holiday_country="US" if example == "O" else "")
    application = ApplicationFactory(
        owner=owner, applied_on=facts.applied_on, snoozed_until=facts.snoozed_until
    )
    for interview in facts.interviews:
        InterviewFactory(
            application=application,
            date=interview.date,
            decision_from=interview.decision_from,
            decision_by=interview.decision_by,
        )
    for follow_up in sorted(facts.follow_ups, key=lambda event: event.date):
        FollowUpFactory(
            application=application,
            date=follow_up.date,
            kind=follow_up.kind,
            new_decision_by=follow_up.new_decision_by,
            outcome=follow_up.outcome,
        )

    (listed,) = _get(owner_client, as_of=AS_OF).json()["applications"]

    status, next_action = expected
    assert listed["status"] == status, example
    assert listed["next_action_date"] == (f"2026-{next_action}" if next_action else None), example
