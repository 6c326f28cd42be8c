"""Every place a status shows reads the new response outcomes (an offer on its way, a
courtesy reply) through the one read path and says what the engine says: the dashboard,
the application page, the API, both exports, the calendar feed, the digest, the admin,
the closed list and the drafts.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from applications import digest, interchange, selectors, services
from tests.factories import ApplicationFactory, FollowUpFactory, InterviewFactory
from tests.helpers import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer_coming(owner, today):
    """Interviewed 12 days ago; 5 days ago they said an offer is on its way, in writing
    in 2 days' time; since then a courtesy reply to a check-in."""
    application = ApplicationFactory(owner=owner, company="Initech", applied_on=days(today, -30))
    InterviewFactory(application=application, date=days(today, -12), decision_by=days(today, -8))
    FollowUpFactory(
        application=application,
        date=days(today, -5),
        kind="response",
        outcome="offer_coming",
        new_decision_by=days(today, 2),
    )
    FollowUpFactory(application=application, date=days(today, -3), kind="check_in")
    FollowUpFactory(
        application=application, date=days(today, -2), kind="response", outcome="courtesy"
    )
    return application


@pytest.fixture
def status(owner, today, offer_coming):
    prefs = selectors.preferences_get(user=owner)
    (row,) = selectors.application_rows(
        user=owner, as_of=today, rules=selectors.rules_from(prefs), ids=[offer_coming.pk]
    )
    return row.status


def test_an_offer_on_its_way_keeps_the_application_open(status):
    assert status.is_active


def test_the_dashboard_and_the_application_page_say_the_engines_reason(
    owner_client, offer_coming, status
):
    for url in (reverse("dashboard"), offer_coming.get_absolute_url()):
        response = owner_client.get(url)
        assert response.status_code == 200
        assert status.reason in response.content.decode().replace("&#x27;", "'")


def test_the_api_gives_the_engines_answer(owner_client, offer_coming, status):
    (answer,) = owner_client.get(reverse("api_applications")).json()["applications"]

    assert (answer["status"], answer["reason"]) == (status.code, status.reason)


def test_both_exports_carry_the_outcomes_and_the_status(owner, owner_client, status):
    document = owner_client.get(reverse("export_download"))
    assert document.status_code == 200
    (exported,) = interchange.export_document(user=owner)["applications"]
    assert [f["outcome"] for f in exported["follow_ups"]] == ["offer_coming", None, "courtesy"]
    assert exported["status"]["reason"] == status.reason

    table = owner_client.get(reverse("csv_export"))
    assert table.status_code == 200
    assert status.code in table.content.decode("utf-8-sig")


def test_the_calendar_feed_and_the_digest_read_them(owner, client, today, offer_coming):
    preferences = selectors.preferences_get(user=owner)
    token = services.calendar_token_regenerate(preferences=preferences)
    assert client.get(reverse("calendar_feed", args=[token])).status_code == 200

    rules = selectors.rules_from(preferences)
    digest.digest_compose(user=owner, as_of=today, rules=rules)  # no error: None or a digest


def test_the_admin_lists_them_with_their_status(owner, client, offer_coming, status):
    staff = get_user_model().objects.create_superuser("staff", "staff@example.com", "pw-staff-1")
    client.force_login(staff)

    response = client.get(reverse("admin:applications_application_changelist"))
    assert response.status_code == 200
    assert str(status.label) in response.content.decode()
    change = reverse("admin:applications_application_change", args=[offer_coming.pk])
    assert client.get(change).status_code == 200


def test_the_drafts_and_insights_pages_answer(owner_client, offer_coming):
    for kind in ("thank_you", "check_in", "timeline"):
        assert owner_client.get(reverse("draft", args=[offer_coming.pk, kind])).status_code == 200
    assert owner_client.get(reverse("insights")).status_code == 200
    assert owner_client.get(reverse("closed_list")).status_code == 200


def test_a_courtesy_reply_alone_answers_nothing(owner, today):
    application = ApplicationFactory(owner=owner, applied_on=days(today, -30))
    InterviewFactory(application=application, date=days(today, -12), decision_by=days(today, -8))
    FollowUpFactory(
        application=application, date=days(today, -1), kind="response", outcome="courtesy"
    )
    prefs = selectors.preferences_get(user=owner)
    rules = selectors.rules_from(prefs)

    (row,) = selectors.application_rows(user=owner, as_of=today, rules=rules)

    # As if the courtesy reply were not there (rule 0): due since 6 days ago.
    assert (row.status.code, row.status.next_action_date) == (
        "follow_up_now",
        days(today, -8) + datetime.timedelta(days=rules.grace_days),
    )
