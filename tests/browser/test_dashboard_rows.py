"""The dashboard's one-click buttons in a real browser: each row's "I checked in" and
"Snooze a week" send the page's one quick-actions form to their own row's address."""

import datetime

import pytest

from applications import selectors
from applications.models import Application, FollowUp, Preferences
from tests.browser.conftest import check_page, login
from tests.factories import ApplicationFactory, InterviewFactory, settled_user


@pytest.fixture
def seeker(db):
    return settled_user("busy")


def _due(owner, today, company):
    """Due for a follow-up: they said they would decide five days ago."""
    application = ApplicationFactory(
        owner=owner, company=company, applied_on=today - datetime.timedelta(days=30)
    )
    InterviewFactory(
        application=application,
        date=today - datetime.timedelta(days=10),
        decision_by=today - datetime.timedelta(days=5),
    )
    return application


def test_each_rows_buttons_act_on_that_row_only(page, live_server, seeker):
    today = selectors.local_today(prefs=Preferences.objects.get(user=seeker))
    globex, _initech, _umbrella = (
        _due(seeker, today, name) for name in ("Globex", "Initech", "Umbrella")
    )
    login(page, live_server, seeker)
    page.goto("/")
    check_page(page, "dashboard-due-rows")

    page.locator("li.row", has_text="Initech").get_by_role("button", name="I checked in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Check-in with Initech recorded" in page.locator(".messages").inner_text()
    assert list(
        FollowUp.objects.values_list("application__company", "kind", "date", "channel")
    ) == [("Initech", "check_in", today, "email")]
    # Shown again with that row changed: it waits now, the others are still due.
    assert page.locator("li.row.status-waiting").all_inner_texts()[0].startswith("Initech")
    assert page.locator("li.row.status-follow_up_now").count() == 2

    page.locator("li.row", has_text="Umbrella").get_by_role("button", name="Snooze a week").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Snoozed Umbrella until" in page.locator(".messages").inner_text()
    snoozed = dict(Application.objects.values_list("company", "snoozed_until"))
    assert snoozed == {
        "Globex": None,
        "Initech": None,
        "Umbrella": today + datetime.timedelta(days=7),
    }
    assert FollowUp.objects.count() == 1  # the snooze recorded no check-in
    due = page.locator("li.row.status-follow_up_now input[name=selected]")
    assert due.evaluate_all("boxes => boxes.map(box => box.value)") == [str(globex.pk)]
    check_page(page, "dashboard-after-snooze")
