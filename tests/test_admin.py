"""The admin for bulk editing: derived status columns, filters, search, actions."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import selectors
from applications import status as engine
from applications.admin import OWNER_PARAMETER, ApplicationAdmin
from applications.models import Application, Preferences
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
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
    InterviewFactory(
        application=application,
        date=datetime.date(2026, 1, 5),
        decision_by=datetime.date(2026, 1, 9),
    )
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
    (expected,) = selectors.application_rows(
        user=owner, as_of=datetime.date.today(), rules=engine.DEFAULT_RULES, ids=[overdue.pk]
    )
    assert expected.status.code == engine.FOLLOW_UP_NOW
    assert "Jan. 12, 2026" in html  # Jan 9 + 2 days is a Sunday: Monday Jan 12


@pytest.mark.django_db
def test_filter_by_status(owner, staff_client):
    _overdue(owner, "Overdue Ltd")
    _ahead(owner, "Future Inc")
    ApplicationFactory(owner=owner, company="Closed Co", outcome="rejected")
    own = {OWNER_PARAMETER: owner.pk}
    html = staff_client.get(CHANGELIST, {**own, "status": "follow_up_now"}).content.decode()
    assert "Overdue Ltd" in html and "Future Inc" not in html and "Closed Co" not in html
    html = staff_client.get(CHANGELIST, {**own, "status": "waiting"}).content.decode()
    assert "Future Inc" in html and "Overdue Ltd" not in html
    html = staff_client.get(CHANGELIST, {"outcome__exact": "rejected"}).content.decode()
    assert "Closed Co" in html and "Future Inc" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected", [("Globex", "Globex"), ("Platform", "Platform Team"), ("Quinn", "Initech")]
)
def test_search_by_company_role_and_contact(owner, staff_client, query, expected):
    ApplicationFactory(owner=owner, company="Globex", role="Designer")
    ApplicationFactory(owner=owner, company="Platform Team", role="Platform engineer")
    initech = ApplicationFactory(owner=owner, company="Initech", role="Analyst")
    ContactFactory(application=initech, name="Morgan Quinn")
    html = staff_client.get(CHANGELIST, {"q": query}).content.decode()
    assert expected in html
    others = {"Globex", "Platform Team", "Initech"} - {expected}
    assert not any(f">{name}<" in html for name in others)


def _changelist_queries(client, **params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(CHANGELIST, params).status_code == 200
    return len(captured)


def _application_rows_queries(owner):
    """The queries of one `application_rows` call for some of the owner's applications."""
    ids = list(Application.objects.filter(owner=owner).values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as captured:
        selectors.application_rows(
            user=owner, as_of=datetime.date.today(), rules=engine.DEFAULT_RULES, ids=ids
        )
    return len(captured)


@pytest.mark.django_db
def test_changelist_query_count_does_not_grow_with_the_rows(owner, staff_client):
    for _ in range(3):
        full_application(owner)
    three = _changelist_queries(staff_client)
    for _ in range(27):
        full_application(owner)
    assert _changelist_queries(staff_client) == three


@pytest.mark.django_db
def test_each_further_owner_on_the_page_costs_one_application_rows_and_the_page_bounds_it(
    owner, staff_client, monkeypatch
):
    # The status is each owner's, with their own rules and today: one `application_rows`
    # call per owner on the page, and the page (`list_per_page`) bounds the owners.
    monkeypatch.setattr(ApplicationAdmin, "list_per_page", 5)
    full_application(owner)
    others = [UserFactory() for _ in range(7)]
    full_application(others[0])
    two_owners = _changelist_queries(staff_client)
    per_owner = _application_rows_queries(owner)
    for other in others[1:3]:
        full_application(other)
    assert _changelist_queries(staff_client) == two_owners + 2 * per_owner  # 4 owners
    full_application(others[3])  # 5 owners: a full page
    full_page = _changelist_queries(staff_client)
    assert full_page == two_owners + 3 * per_owner
    for other in others[4:]:
        full_application(other)  # 8 owners, 5 on the page
    assert _changelist_queries(staff_client) == full_page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action, outcome",
    [
        ("close_as_offer", "offer"),
        ("close_as_rejected", "rejected"),
        ("close_as_withdrawn", "withdrawn"),
    ],
)
def test_close_selected(owner, staff_client, action, outcome):
    chosen, other = _overdue(owner, "A"), _overdue(owner, "B")
    response = staff_client.post(
        CHANGELIST, {"action": action, "_selected_action": [chosen.pk]}, follow=True
    )
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


# ----------------------------------------------------------------------------------------
# The status filter: one person's applications at a time


def _filter_titles(html):
    return re.findall(r"By ([a-z ]+?)\s*<", html)


@pytest.mark.django_db
def test_the_status_filter_waits_for_an_owner_when_several_have_applications(
    owner, stranger, staff_client
):
    _overdue(owner)
    _ahead(stranger)

    assert _filter_titles(staff_client.get(CHANGELIST).content.decode()) == [
        "owner",
        "outcome",
        "applied on",
    ]
    html = staff_client.get(CHANGELIST, {OWNER_PARAMETER: owner.pk}).content.decode()
    assert _filter_titles(html) == ["owner", "status", "outcome", "applied on"]


@pytest.mark.django_db
def test_on_a_server_with_one_person_the_status_filter_is_there_at_once(owner, staff_client):
    _overdue(owner, "Overdue Ltd")
    _ahead(owner, "Future Inc")

    html = staff_client.get(CHANGELIST).content.decode()
    assert _filter_titles(html) == ["status", "outcome", "applied on"]
    html = staff_client.get(CHANGELIST, {"status": "waiting"}).content.decode()
    assert "Future Inc" in html and "Overdue Ltd" not in html


@pytest.mark.django_db
def test_a_status_asked_for_without_an_owner_lists_all_and_says_why(
    owner, stranger, staff_client, monkeypatch
):
    _overdue(owner, "Overdue Ltd")
    _ahead(stranger, "Future Inc")
    calls = []
    real = selectors.application_rows
    monkeypatch.setattr(
        selectors, "application_rows", lambda **kwargs: calls.append(kwargs) or real(**kwargs)
    )

    response = staff_client.get(CHANGELIST, {"status": "waiting"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Future Inc" in html and "Overdue Ltd" in html
    assert "Filter by owner first" in html
    # Only the page's rows were evaluated, never every application of the server.
    assert all(call["ids"] is not None for call in calls)


@pytest.mark.django_db
def test_the_status_filter_counts_each_status_of_the_owner(owner, stranger, staff_client):
    _overdue(owner, "A"), _overdue(owner, "B"), _ahead(owner, "C")
    _overdue(stranger, "D")

    response = staff_client.get(CHANGELIST, {OWNER_PARAMETER: owner.pk, "_facets": "1"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Follow up now (2)" in html and "Waiting (1)" in html


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["99999999999999999999999", "x", ["1", "2"], "0"])
def test_a_hand_made_owner_in_the_address_never_fails(owner, stranger, staff_client, value):
    _overdue(owner), _ahead(stranger)

    response = staff_client.get(CHANGELIST, {OWNER_PARAMETER: value, "status": "waiting"})

    assert response.status_code in (200, 302)


@pytest.mark.django_db
def test_export_selected_as_hearback_v1(owner, staff_client):
    chosen = full_application(owner, company="Chosen")
    full_application(owner, company="Not chosen")
    response = staff_client.post(
        CHANGELIST, {"action": "export_hearback", "_selected_action": [chosen.pk]}
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["format"] == "hearback/v1"
    assert [a["company"] for a in document["applications"]] == ["Chosen"]


@pytest.mark.django_db
def test_export_takes_several_applications_of_one_owner(owner, staff_client):
    chosen = [full_application(owner, company=name) for name in ("Acme", "Globex")]
    full_application(owner, company="Not chosen")

    response = staff_client.post(
        CHANGELIST, {"action": "export_hearback", "_selected_action": [a.pk for a in chosen]}
    )

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    document = json.loads(response.content)
    assert sorted(a["company"] for a in document["applications"]) == ["Acme", "Globex"]


@pytest.mark.django_db
def test_export_refuses_a_mix_of_owners(owner, stranger, staff_client):
    mine, theirs = full_application(owner), full_application(stranger)
    response = staff_client.post(
        CHANGELIST,
        {"action": "export_hearback", "_selected_action": [mine.pk, theirs.pk]},
        follow=True,
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
    assert (application.outcome, application.snoozed_until) == (
        "withdrawn",
        datetime.date(2026, 12, 24),
    )


@pytest.mark.django_db
def test_change_page_offers_only_the_applications_own_contacts(owner, stranger, staff_client):
    application = full_application(owner)
    other = full_application(stranger)
    html = staff_client.get(
        reverse("admin:applications_application_change", args=[application.pk])
    ).content.decode()
    for contact in application.contacts.all():
        assert contact.name in html
    for contact in other.contacts.all():
        assert contact.name not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ["application", "contact", "interview", "followup", "preferences"]
)
def test_every_model_has_a_working_admin_list(owner, staff_client, model):
    full_application(owner)
    assert staff_client.get(reverse(f"admin:applications_{model}_changelist")).status_code == 200
