"""The table of all applications in a real browser: find one by a person's name, filter
and sort; every check passes at 1280 and 375 px."""

import datetime
import re

import pytest

from applications import selectors
from applications.models import Preferences
from tests.browser.conftest import check_page, login
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    settled_user,
)


@pytest.fixture
def big_search(db):
    user = settled_user("tabular")
    today = selectors.local_today(prefs=Preferences.objects.get(user=user))
    for n in range(60):
        application = ApplicationFactory(
            owner=user,
            company=f"Company {n:02d}",
            role="Backend Engineer" if n % 2 else "Data Analyst",
            applied_on=today - datetime.timedelta(days=n),
            location="Berlin" if n % 3 else "",
            remote=n % 5 == 0,
            salary_min=50_000 + 1_000 * n,
            salary_max=60_000 + 1_000 * n,
            source="linkedin" if n % 4 else "referral",
        )
        if n == 37:
            lee = ContactFactory(application=application, name="Lee Okafor")
            InterviewFactory(application=application, date=today, contacts=[lee])
    return user


def test_find_an_application_by_a_persons_name(page, live_server, big_search):
    login(page, live_server, big_search)
    page.goto("/")
    page.get_by_role("link", name="All applications").click()
    page.wait_for_url(f"{live_server.url}/applications/")
    assert "60 applications" in page.locator(".table-count").inner_text()
    assert page.locator(".applications-table tbody tr").count() == 50
    check_page(page, "applications-table")

    page.get_by_label("Search").fill("okafor")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"/applications/\?q=okafor"))
    rows = page.locator(".applications-table tbody tr")
    assert rows.count() == 1
    assert "Company 37" in rows.first.inner_text()
    check_page(page, "applications-table-found")
    rows.first.get_by_role("link", name="Company 37").click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    assert "Lee Okafor" in page.locator("main").inner_text()

    page.goto("/applications/?source=referral&sort=company")
    companies = page.locator(".applications-table tbody th a").all_inner_texts()
    assert companies == sorted(companies) and len(companies) == 15


LONG = "Senior Staff Backend Platform Engineer, Payments and Billing Infrastructure"


def lines(locator):
    """How many lines each element's text takes: the distinct tops of its text's boxes."""
    return locator.evaluate_all(
        """els => els.map(e => {
            const range = document.createRange();
            range.selectNodeContents(e);
            const tops = [...range.getClientRects()].map(r => Math.round(r.bottom));
            return new Set(tops).size;
        })"""
    )


def test_headers_dates_and_badges_keep_whole_words_beside_long_text(page, live_server, db):
    user = settled_user("wordy")
    today = selectors.local_today(prefs=Preferences.objects.get(user=user))
    for n in range(4):
        application = ApplicationFactory(
            owner=user,
            company=f"Company {n}",
            role=LONG,
            applied_on=today - datetime.timedelta(days=20 + n),
            location="San Francisco Bay Area, California, United States",
            salary_min=72_000,
            source="referral",
        )
        InterviewFactory(
            application=application,
            date=today - datetime.timedelta(days=10),
            decision_by=today - datetime.timedelta(days=8),
        )
    login(page, live_server, user)

    page.goto("/applications/")

    assert "Follow up now" in page.locator(".applications-table .badge").first.inner_text()
    for selector in ("thead th", ".badge", "time", "td.salary"):
        assert set(lines(page.locator(f".applications-table {selector}"))) == {1}, selector
    check_page(page, "applications-table-long-text")
