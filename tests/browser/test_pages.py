"""Every signed-in page, with data on it, passes every check: axe-core, the Nu
validator, no console errors or broken assets, no sideways scrolling on a phone."""

import datetime

import pytest

from applications import selectors
from applications.models import Preferences
from tests.browser.conftest import check_page, login
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FollowUpFactory,
    InterviewFactory,
    UserFactory,
)


def _today():
    return selectors.local_today(prefs=Preferences(time_zone="UTC"))


@pytest.fixture
def seeker(db):
    """A user with one application in each state the dashboard shows."""
    user = UserFactory(username="seeker", email="seeker@example.com")
    today = _today()
    day = lambda offset: today + datetime.timedelta(days=offset)  # noqa: E731
    overdue = ApplicationFactory(owner=user, company="Acme <Robotics>", applied_on=day(-30))
    dana = ContactFactory(application=overdue, name="Dana Reyes")
    InterviewFactory(application=overdue, date=day(-12), decision_by=day(-9), contacts=[dana])
    FollowUpFactory(application=overdue, date=day(-12), kind="thank_you", contact=dana)
    fresh = ApplicationFactory(owner=user, company="Globex", applied_on=day(-10))
    lee = ContactFactory(application=fresh, name="Lee Park")
    InterviewFactory(application=fresh, date=day(-1), contacts=[lee])
    ApplicationFactory(owner=user, company="Initech", applied_on=day(-3))
    upcoming = ApplicationFactory(owner=user, company="Umbrella", applied_on=day(-20))
    InterviewFactory(application=upcoming, date=day(3))
    quiet = ApplicationFactory(owner=user, company="Hooli", applied_on=day(-70))
    InterviewFactory(application=quiet, date=day(-60))
    FollowUpFactory(application=quiet, date=day(-53))
    FollowUpFactory(application=quiet, date=day(-45))
    ApplicationFactory(owner=user, company="Vandelay", outcome="rejected")
    return user


PAGES = [
    ("dashboard-full", lambda ids: "/"),
    ("application-overdue", lambda ids: f"/applications/{ids['Acme <Robotics>']}/"),
    ("application-likely-closed", lambda ids: f"/applications/{ids['Hooli']}/"),
    ("application-closed", lambda ids: f"/applications/{ids['Vandelay']}/"),
    ("application-edit", lambda ids: f"/applications/{ids['Globex']}/edit/"),
    ("application-delete", lambda ids: f"/applications/{ids['Globex']}/delete/"),
    ("interview-new", lambda ids: f"/applications/{ids['Globex']}/interviews/new/"),
    ("response-form", lambda ids: f"/applications/{ids['Globex']}/response/"),
    ("check-in-form", lambda ids: f"/applications/{ids['Globex']}/check-in/"),
    ("closed-list-full", lambda ids: "/closed/"),
    ("settings", lambda ids: "/settings/"),
    ("import", lambda ids: "/import/"),
    ("csv-import", lambda ids: "/import/csv/"),
    ("draft-thank-you", lambda ids: f"/applications/{ids['Globex']}/drafts/thank_you/"),
    ("draft-timeline", lambda ids: f"/applications/{ids['Acme <Robotics>']}/drafts/timeline/"),
    ("password-change", lambda ids: "/accounts/password_change/"),
    ("account-delete", lambda ids: "/accounts/delete/"),
]


@pytest.mark.parametrize("name, path", PAGES, ids=[name for name, _ in PAGES])
def test_signed_in_page_passes_every_check(page, live_server, seeker, name, path):
    ids = dict(seeker.applications.values_list("company", "pk"))
    login(page, live_server, seeker)
    page.goto(path(ids))
    assert page.url.startswith(f"{live_server.url}{path(ids)}"), "not signed in?"
    check_page(page, name)


def test_dashboard_groups_and_escapes(page, live_server, seeker):
    login(page, live_server, seeker)
    page.goto("/")
    headings = page.locator(".board-main h2").all_inner_texts()
    assert [h.split(" (")[0] for h in headings] == ["Today", "Waiting", "Likely closed"]
    # Likely closed is collapsed; the closed one is only a link.
    assert page.locator("details.section-likely_closed").get_attribute("open") is None
    assert "Vandelay" not in page.locator(".board-main").inner_text()
    assert page.get_by_role("link", name="1 closed application").is_visible()
    # The company's markup is shown as text, never run as HTML.
    assert page.get_by_role("link", name="Acme <Robotics>").count() == 1


@pytest.mark.parametrize(
    "name, path",
    [
        ("password-reset", "/accounts/password_reset/"),
        ("password-reset-done", "/accounts/password_reset/done/"),
    ],
)
def test_signed_out_account_pages_pass_every_check(page, name, path):
    page.goto(path)
    check_page(page, name)


def upload_file(page, path, name, content: str, mime="text/plain"):
    """Choose a file on an import page and send it, as a person does."""
    page.goto(path)
    page.set_input_files(
        "input[type=file]", files=[{"name": name, "mimeType": mime, "buffer": content.encode()}]
    )
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_load_state()


def test_an_upload_with_many_errors_lists_the_first_hundred_and_saves_nothing(
    page, live_server, seeker
):
    content = (
        '{"format": "hearback/v1", "applications": ['
        + ", ".join(['{"company": "Acme <b>", "applied_on": "someday"}'] * 60)
        + "]}"
    )
    before = seeker.applications.count()
    login(page, live_server, seeker)
    upload_file(page, "/import/", "hearback.json", content)

    check_page(page, "import-errors", status=400)
    listed = (
        page.locator("li", has_text="someday").count()
        + page.locator("li", has_text="is required").count()
    )
    assert listed == 100
    assert page.get_by_text("checking stopped after the first 100 errors").is_visible()
    assert seeker.applications.count() == before


def test_a_spreadsheet_with_many_bad_rows_says_it_once_per_column(page, live_server, seeker):
    content = "company,role,applied\n" + "Acme <b>,Dev,someday\n" * 150
    before = seeker.applications.count()
    login(page, live_server, seeker)
    upload_file(page, "/import/csv/", "a.csv", content, mime="text/csv")

    check_page(page, "csv-import-errors", status=400)
    (problem,) = page.locator(".form-errors li").all_inner_texts()
    assert problem == (
        "Column “applied”, rows 2, 3, 4, 5, 6 and 145 more (“someday”, …): not a date; "
        "write dates YYYY-MM-DD, like 2026-11-20"
    )
    assert seeker.applications.count() == before


def test_the_not_found_page_passes_every_check(page, live_server, seeker):
    login(page, live_server, seeker)
    page.goto("/no-such-page/")
    check_page(page, "not-found", status=404)
    page.get_by_role("link", name="Go to your dashboard").click()
    page.wait_for_url(f"{live_server.url}/")


def test_a_buttons_address_opened_as_a_page_says_so_and_passes_every_check(
    page, live_server, seeker
):
    login(page, live_server, seeker)
    application = seeker.applications.first()
    page.goto(f"/applications/{application.pk}/thank-you/")
    check_page(page, "action-address", status=405)
    assert page.get_by_role("heading", name="This address belongs to a button").is_visible()


def test_the_server_error_page_passes_every_check(page, live_server, seeker, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a failure for the test")

    monkeypatch.setattr(selectors, "dashboard_get", broken)
    login(page, live_server, seeker)
    page.goto("/")
    check_page(page, "server-error", status=500)
