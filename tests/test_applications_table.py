"""All applications as a table (/applications/): search by company, role or person,
filter by status, source, remote, location and salary, sort, a page at a time, the same
queries at 30 and at 2,000 applications; and the job's details recorded and shown."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FollowUpFactory,
    InterviewFactory,
    PreferencesFactory,
)
from tests.helpers import days, people_data

pytestmark = pytest.mark.django_db

TABLE = reverse("applications_table")


def listed(client, **query):
    """(status 200 or 400, the companies listed in order, the page's HTML)."""
    response = client.get(TABLE, query)
    html = response.content.decode()
    companies = re.findall(r'<th scope="row"><a href="/applications/\d+/">([^<]+)</a>', html)
    return response.status_code, companies, html


@pytest.fixture
def search(owner, stranger, today):
    PreferencesFactory(user=owner, weekdays_only=False)
    due = ApplicationFactory(
        owner=owner,
        company="Acme",
        role="Backend Engineer",
        applied_on=days(today, -30),
        location="Berlin",
        source="referral",
        salary_min=70_000,
        salary_max=90_000,
    )
    InterviewFactory(application=due, date=days(today, -12), decision_by=days(today, -8))
    ContactFactory(application=due, name="Dana Reyes")
    waiting = ApplicationFactory(
        owner=owner,
        company="Globex",
        role="Data Analyst",
        applied_on=days(today, -3),
        remote=True,
        source="linkedin",
        salary_min=60_000,
    )
    rejected = ApplicationFactory(
        owner=owner,
        company="Initech",
        role="Platform Engineer",
        applied_on=days(today, -50),
        location="Austin",
    )
    FollowUpFactory(
        application=rejected, date=days(today, -20), kind="response", outcome="rejected"
    )
    withdrawn = ApplicationFactory(
        owner=owner,
        company="umbrella",
        role="SRE",
        applied_on=days(today, -40),
        outcome="withdrawn",
    )
    ApplicationFactory(owner=stranger, company="Stranger Co", role="Backend Engineer")
    return {"due": due, "waiting": waiting, "rejected": rejected, "withdrawn": withdrawn}


def test_every_application_of_the_user_is_listed_with_its_status_and_details(owner_client, search):
    status, companies, html = listed(owner_client)

    assert status == 200
    # By next date: the follow-up due first, then the waiting one, then the closed ones.
    assert companies == ["Acme", "Globex", "Initech", "umbrella"]
    assert "4 applications" in html and "Stranger" not in html
    acme = html[html.index(">Acme<") : html.index("</tr>", html.index(">Acme<"))]
    assert '<span class="badge badge-follow_up_now">Follow up now</span>' in acme
    assert "Berlin" in acme and "70,000–90,000" in acme and "Referral" in acme
    globex = html[html.index(">Globex<") : html.index("</tr>", html.index(">Globex<"))]
    assert "Remote" in globex and "from 60,000" in globex and "LinkedIn" in globex
    assert f'href="{TABLE}"' in owner_client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"q": "acme"}, ["Acme"]),
        ({"q": "analyst"}, ["Globex"]),  # the role
        ({"q": "dana"}, ["Acme"]),  # someone at the application
        ({"q": "engineer"}, ["Acme", "Initech"]),
        ({"status": "follow_up_now"}, ["Acme"]),
        ({"status": "waiting"}, ["Globex"]),
        ({"status": "open"}, ["Acme", "Globex"]),
        ({"status": "closed"}, ["Initech", "umbrella"]),
        ({"status": "rejected"}, ["Initech"]),  # closed by their answer
        ({"status": "withdrawn"}, ["umbrella"]),  # closed by the user
        ({"source": "linkedin"}, ["Globex"]),
        ({"remote": "true"}, ["Globex"]),
        ({"remote": "false"}, ["Acme", "Initech", "umbrella"]),
        ({"location": "aus"}, ["Initech"]),
        ({"salary": "80000"}, ["Acme"]),  # reaches 90,000
        ({"salary": "60000"}, ["Acme", "Globex"]),  # from 60,000, no top
        ({"q": "engineer", "status": "open"}, ["Acme"]),
        ({"q": "nobody"}, []),
    ],
)
def test_search_and_filters(owner_client, search, query, expected):
    status, companies, html = listed(owner_client, **query)

    assert status == 200
    assert companies == expected
    if not expected:
        assert "No application matches these filters." in html


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("next", ["Acme", "Globex", "Initech", "umbrella"]),
        ("applied", ["Globex", "Acme", "umbrella", "Initech"]),
        ("applied_oldest", ["Initech", "umbrella", "Acme", "Globex"]),
        ("company", ["Acme", "Globex", "Initech", "umbrella"]),
    ],
)
def test_sorting(owner_client, search, sort, expected):
    assert listed(owner_client, sort=sort)[1] == expected


@pytest.mark.parametrize(
    "query",
    [{"status": "ghosted"}, {"salary": "-5"}, {"salary": "lots"}, {"q": "x" * 201}],
)
def test_a_filter_that_cannot_be_read_says_so_and_lists_nothing(owner_client, search, query):
    status, companies, html = listed(owner_client, **query)

    assert status == 400
    assert companies == []
    assert "Some filters could not be read" in html
    assert "listed once the filters above can be read" in html
    # Not "no applications": the user has four; nor a count of none.
    assert "No applications yet" not in html
    assert "No application matches" not in html
    assert "0 applications" not in html


def test_an_unreadable_sort_is_marked_and_offers_to_clear_the_filters(owner, owner_client, today):
    Application.objects.bulk_create(
        Application(owner=owner, company=f"Co {n:02d}", role="Engineer", applied_on=today)
        for n in range(18)
    )

    status, companies, html = listed(owner_client, sort="bogus")

    assert status == 400
    assert "No applications yet" not in html
    sort = re.search(r'<div class="field has-error">.*?</ul>', html, re.S).group()
    assert 'name="sort"' in sort and "Select a valid choice." in sort
    assert html.count(f'href="{TABLE}"') >= 2  # by the filters, and in place of the list


def test_without_any_application_the_table_invites_to_add_the_first(owner_client):
    status, companies, html = listed(owner_client)

    assert status == 200
    assert "No applications yet." in html
    assert "Add your first" in html


def test_pages_of_fifty_keep_the_filters_in_their_links(owner, owner_client, today):
    Application.objects.bulk_create(
        Application(owner=owner, company=f"Co {n:03d}", role="Engineer", applied_on=today)
        for n in range(120)
    )

    first = listed(owner_client, q="engineer", sort="company")
    third = listed(owner_client, q="engineer", sort="company", page=3)
    beyond = listed(owner_client, q="engineer", sort="company", page=99)

    assert len(first[1]) == 50 and first[1][0] == "Co 000"
    assert "120 applications" in first[2] and "Page 1 of 3" in first[2]
    assert 'href="?q=engineer&amp;sort=company&amp;page=2"' in first[2]
    assert third[1] == [f"Co {n:03d}" for n in range(100, 120)]
    assert beyond[1] == third[1]  # past the end: the last page


def test_the_table_costs_the_same_queries_for_30_and_for_2000_applications(
    owner, owner_client, today
):
    def queries(**query):
        with CaptureQueriesContext(connection) as captured:
            assert owner_client.get(TABLE, query).status_code == 200
        return len(captured)

    def add(count, start):
        Application.objects.bulk_create(
            Application(
                owner=owner,
                company=f"Co {n:04d}",
                role="Engineer",
                applied_on=days(today, -(n % 60)),
                location="Berlin",
            )
            for n in range(start, start + count)
        )

    add(30, 0)
    small = (queries(), queries(q="co", status="open", location="ber", sort="company"))
    add(1970, 30)
    large = (queries(), queries(q="co", status="open", location="ber", sort="company"))

    # 1 session, 2 user, 3 preferences; the four of application_rows (the filters a
    # subquery of them); the job details of the page's rows.
    assert small == large == (8, 8)


# ----------------------------------------------------------------------------------------
# The job's details


def test_the_details_are_recorded_with_a_new_application_and_shown_on_its_page(owner_client, today):
    response = owner_client.post(
        reverse("application_new"),
        {
            "application-company": "Hooli",
            "application-role": "Engineer",
            "application-applied_on": days(today, -1).isoformat(),
            "application-location": "Lisbon",
            "application-remote": "on",
            "application-salary_min": "50000",
            "application-salary_max": "65000",
            "application-source": "company_site",
            "interview-date": "",  # no interview yet
            "interview-format": "video",
            **people_data(),
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    application = Application.objects.get(company="Hooli")
    assert (
        application.location,
        application.remote,
        application.salary_min,
        application.salary_max,
        application.source,
    ) == ("Lisbon", True, 50_000, 65_000, "company_site")
    html = owner_client.get(response["Location"]).content.decode()
    assert "<span>Lisbon</span><span>Remote</span><span>Salary 50,000–65,000</span>" in html
    assert "Found through: Company site" in html


def test_a_salary_range_that_ends_before_it_starts_is_refused(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, company="Hooli", applied_on=today)

    response = owner_client.post(
        reverse("application_edit", args=[application.pk]),
        {
            "company": "Hooli",
            "role": application.role,
            "applied_on": today.isoformat(),
            "salary_min": "90000",
            "salary_max": "60000",
        },
    )

    assert response.status_code == 400
    assert "The salary range ends before it starts." in response.content.decode()
    application.refresh_from_db()
    assert (application.salary_min, application.salary_max) == (None, None)
