"""The admin for bulk editing: derived status columns, filters, search, actions."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import selectors
from applications import status as engine
from applications.models import Application, Preferences
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FollowUpFactory,
    InterviewFactory,
    UserFactory,
    full_application,
)

CHANGELIST = reverse("admin:applications_application_changelist")


@pytest.fixture
def staff_client(client, db):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def _overdue(owner, company="Acme"):
    application = ApplicationFactory(owner=owner, company=company)
    InterviewFactory(application=application, date=datetime.date(2026, 1, 5), decision_by=datetime.date(2026, 1, 9))
    return application


def _ahead(owner, company="Futura"):
    application = ApplicationFactory(owner=owner, company=company)
    InterviewFactory(application=application, date=datetime.date(2099, 1, 5))
    return application


@pytest.mark.django_db
def test_changelist_shows_the_engines_status_and_next_action_date(owner, staff_client):
    overdue = _overdue(owner)
    response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Follow up now" in html
    expected = engine.evaluate(
        selectors.facts_from_instance(selectors.with_status_prefetch(Application.objects.filter(pk=overdue.pk)).get()),
        engine.DEFAULT_RULES,
        datetime.date.today(),
    )
    assert expected.code == engine.FOLLOW_UP_NOW
    assert "Jan. 12, 2026" in html  # Jan 9 + 2 days is a Sunday: Monday Jan 12


@pytest.mark.django_db
def test_filter_by_status(owner, staff_client):
    _overdue(owner, "Overdue Ltd")
    _ahead(owner, "Future Inc")
    ApplicationFactory(owner=owner, company="Closed Co", outcome="rejected")
    html = staff_client.get(CHANGELIST, {"status": "follow_up_now"}).content.decode()
    assert "Overdue Ltd" in html and "Future Inc" not in html and "Closed Co" not in html
    html = staff_client.get(CHANGELIST, {"status": "waiting"}).content.decode()
    assert "Future Inc" in html and "Overdue Ltd" not in html
    html = staff_client.get(CHANGELIST, {"outcome__exact": "rejected"}).content.decode()
    assert "Closed Co" in html and "Future Inc" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("query, expected", [("Globex", "Globex"), ("Platform", "Platform Team"), ("Quinn", "Initech")])
def test_search_by_company_role_and_contact(owner, staff_client, query, expected):
    ApplicationFactory(owner=owner, company="Globex", role="Designer")
    ApplicationFactory(owner=owner, company="Platform Team", role="Platform engineer")
    initech = ApplicationFactory(owner=owner, company="Initech", role="Analyst")
    ContactFactory(application=initech, name="Morgan Quinn")
    html = staff_client.get(CHANGELIST, {"q": query}).content.decode()
    assert expected in html
    others = {"Globex", "Platform Team", "Initech"} - {expected}
    assert not any(f">{name}<" in html for name in others)


@pytest.mark.django_db
def test_changelist_query_count_does_not_grow_with_the_rows(owner, staff_client):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(CHANGELIST).status_code == 200
        return len(captured)

    for _ in range(3):
        full_application(owner)
    three = count()
    for _ in range(27):
        full_application(UserFactory())
    assert count() == three


@pytest.mark.django_db
@pytest.mark.parametrize("action, outcome", [("close_as_offer", "offer"), ("close_as_rejected", "rejected"), ("close_as_withdrawn", "withdrawn")])
def test_close_selected(owner, staff_client, action, outcome):
    chosen, other = _overdue(owner, "A"), _overdue(owner, "B")
    response = staff_client.post(CHANGELIST, {"action": action, "_selected_action": [chosen.pk]}, follow=True)
    assert response.status_code == 200
    chosen.refresh_from_db(), other.refresh_from_db()
    assert (chosen.outcome, other.outcome) == (outcome, "")


@pytest.mark.django_db
def test_snooze_selected_for_a_week_from_the_owners_today(owner, staff_client):
    from applications.models import Preferences

    prefs = Preferences.objects.create(user=owner, time_zone="Pacific/Kiritimati")
    chosen = _overdue(owner)
    staff_client.post(CHANGELIST, {"action": "snooze_a_week", "_selected_action": [chosen.pk]})
    chosen.refresh_from_db()
    assert chosen.snoozed_until == selectors.local_today(prefs=prefs) + datetime.timedelta(days=7)


def _close_on_the_page(client, application, outcome):
    return client.post(reverse("close", args=[application.pk]), {"outcome": outcome})


@pytest.mark.django_db
def test_the_admins_close_is_the_pages_close_and_drops_the_snooze(owner, staff_client, client):
    snoozed = {"snoozed_until": datetime.date(2099, 1, 1)}
    in_admin = ApplicationFactory(owner=owner, company="In admin", **snoozed)
    on_page = ApplicationFactory(owner=owner, company="On the page", **snoozed)
    left = ApplicationFactory(owner=owner, company="Left alone", **snoozed)

    staff_client.post(
        CHANGELIST, {"action": "close_as_rejected", "_selected_action": [in_admin.pk]}
    )
    client.force_login(owner)
    assert _close_on_the_page(client, on_page, "rejected").status_code == 302

    closed = Application.objects.filter(pk__in=[in_admin.pk, on_page.pk])
    assert set(closed.values_list("outcome", "snoozed_until")) == {("rejected", None)}
    left.refresh_from_db()
    assert (left.outcome, left.snoozed_until) == ("", datetime.date(2099, 1, 1))


@pytest.mark.django_db
def test_closing_selected_of_several_owners_closes_each_and_says_how_many(
    owner, stranger, staff_client
):
    mine, theirs = _overdue(owner, "Mine"), _overdue(stranger, "Theirs")
    kept = _overdue(stranger, "Kept")

    response = staff_client.post(
        CHANGELIST,
        {"action": "close_as_withdrawn", "_selected_action": [mine.pk, theirs.pk]},
        follow=True,
    )

    assert "Closed 2 applications as Withdrawn." in response.content.decode()
    assert dict(Application.objects.values_list("company", "outcome")) == {
        "Mine": "withdrawn",
        "Theirs": "withdrawn",
        "Kept": "",
    }
    assert kept.updated_at == Application.objects.get(pk=kept.pk).updated_at


@pytest.mark.django_db
def test_snoozing_selected_of_several_owners_counts_a_week_from_each_ones_today(
    owner, stranger, staff_client
):
    east = Preferences.objects.create(user=owner, time_zone="Pacific/Kiritimati")
    west = Preferences.objects.create(user=stranger, time_zone="Pacific/Pago_Pago")
    mine, theirs = _overdue(owner, "Mine"), _overdue(stranger, "Theirs")

    response = staff_client.post(
        CHANGELIST,
        {"action": "snooze_a_week", "_selected_action": [mine.pk, theirs.pk]},
        follow=True,
    )

    assert "Snoozed 2 applications for a week." in response.content.decode()
    week = datetime.timedelta(days=7)
    assert dict(Application.objects.values_list("company", "snoozed_until")) == {
        "Mine": selectors.local_today(prefs=east) + week,
        "Theirs": selectors.local_today(prefs=west) + week,
    }


@pytest.mark.django_db
def test_export_selected_as_hearback_v1(owner, staff_client):
    chosen = full_application(owner, company="Chosen")
    full_application(owner, company="Not chosen")
    response = staff_client.post(CHANGELIST, {"action": "export_hearback", "_selected_action": [chosen.pk]})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["format"] == "hearback/v1"
    assert [a["company"] for a in document["applications"]] == ["Chosen"]


@pytest.mark.django_db
def test_export_refuses_a_mix_of_owners(owner, stranger, staff_client):
    mine, theirs = full_application(owner), full_application(stranger)
    response = staff_client.post(
        CHANGELIST, {"action": "export_hearback", "_selected_action": [mine.pk, theirs.pk]}, follow=True
    )
    assert "one owner" in response.content.decode()


@pytest.mark.django_db
def test_outcome_and_snooze_are_editable_in_the_list(owner, staff_client):
    application = _overdue(owner)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(application.pk),
        "form-0-outcome": "withdrawn",
        "form-0-snoozed_until": "2026-12-24",
        "_save": "Save",
    }
    response = staff_client.post(CHANGELIST, data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.outcome, application.snoozed_until) == ("withdrawn", datetime.date(2026, 12, 24))


@pytest.mark.django_db
def test_change_page_offers_only_the_applications_own_contacts(owner, stranger, staff_client):
    application = full_application(owner)
    other = full_application(stranger)
    html = staff_client.get(reverse("admin:applications_application_change", args=[application.pk])).content.decode()
    for contact in application.contacts.all():
        assert contact.name in html
    for contact in other.contacts.all():
        assert contact.name not in html


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["application", "contact", "interview", "followup", "preferences"])
def test_every_model_has_a_working_admin_list(owner, staff_client, model):
    full_application(owner)
    assert staff_client.get(reverse(f"admin:applications_{model}_changelist")).status_code == 200
