"""A job seeker's whole journey, in a real browser, every page checked on the way.

A new user signs up, records an application with the date the interviewer gave, sees
it waiting until the right day, checks in too early and is warned, records their
response with a new date, sees the status move, and closes the application.
"""

import datetime
import re

from applications import selectors
from applications.models import Application, FollowUp, Preferences
from tests.browser.conftest import check_page

PASSWORD = "a long enough passphrase 42"


def _today():
    # New accounts start in UTC, so this is the user's own "today".
    return selectors.local_today(prefs=Preferences(time_zone="UTC"))


def _next_monday_after(day):
    return day + datetime.timedelta(days=7 - day.weekday())


def _human(day):
    return f"{day:%a}, {day:%b} {day.day}"


def test_a_new_user_records_follows_up_and_closes_an_application(page, live_server):
    today = _today()
    # A Monday decision date: the follow-up opens two days later, a Wednesday.
    decision_by = _next_monday_after(today)
    follow_up_from = decision_by + datetime.timedelta(days=2)
    interview_on = today - datetime.timedelta(days=1)

    # Sign up.
    page.goto("/accounts/signup/")
    page.fill("[name=username]", "dana")
    page.fill("[name=password1]", PASSWORD)
    page.fill("[name=password2]", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Welcome to Hearback" in page.content()

    # Record the application and its interview; a range out of order is refused first.
    page.get_by_role("link", name="Add your first application").click()
    check_page(page, "record-form")
    page.fill("#id_application-company", "Acme Robotics")
    page.fill("#id_application-role", "Backend Engineer")
    page.fill("#id_application-applied_on", (today - datetime.timedelta(days=12)).isoformat())
    page.fill("#id_interview-date", interview_on.isoformat())
    page.select_option("#id_interview-format", "video")
    page.fill("#id_people-0-name", "Dana Reyes")
    page.fill("#id_people-0-title", "Hiring manager")
    page.fill("#id_people-1-name", "Lee Park")
    page.check("#id_interview-timeline_1")  # a range
    page.fill("#id_interview-range_from", (decision_by + datetime.timedelta(days=3)).isoformat())
    page.fill("#id_interview-range_to", decision_by.isoformat())
    page.get_by_role("button", name="Save").click()
    assert "The range ends before it starts" in page.content()
    assert not Application.objects.exists()
    check_page(page, "record-form-errors", status=400)

    page.check("#id_interview-timeline_0")  # a single date
    page.fill("#id_interview-decision_by", decision_by.isoformat())
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    application = Application.objects.get()

    # Waiting, until two days after the date they gave.
    status = page.locator(".status-card")
    assert "Waiting" in status.inner_text()
    assert status.locator("time").get_attribute("datetime") == follow_up_from.isoformat()
    assert _human(follow_up_from) in status.inner_text()
    assert _human(decision_by).split(", ")[1] in page.locator(".status-card .reason").inner_text()
    check_page(page, "application-waiting")

    # The dashboard agrees, and its Today list asks for the two thank-you notes.
    page.goto("/")
    row = page.locator("li.row", has_text="Acme Robotics")
    assert "Waiting" in row.inner_text()
    today_list = page.locator(".section-today")
    assert "Send a thank-you note to Dana Reyes at Acme Robotics" in today_list.inner_text()
    check_page(page, "dashboard")
    today_list.locator("li", has_text="Dana Reyes").get_by_role(
        "button", name="Mark thank-you sent"
    ).click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Dana Reyes" not in page.locator(".section-today").inner_text()
    # Undo puts the note back on the list; marked again, it is gone for good.
    assert (
        "Thank-you to Dana Reyes at Acme Robotics recorded."
        in page.locator(".messages").inner_text()
    )
    page.locator(".messages").get_by_role("button", name="Undo").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Dana Reyes" in page.locator(".section-today").inner_text()
    page.locator(".section-today li", has_text="Dana Reyes").get_by_role(
        "button", name="Mark thank-you sent"
    ).click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Dana Reyes" not in page.locator(".section-today").inner_text()

    # Checking in today is early: warned, asked, nothing saved until confirmed.
    page.goto(f"/applications/{application.pk}/")
    page.get_by_role("button", name="Record check-in").click()
    warning = page.locator(".warning")
    assert "This is early" in warning.inner_text()
    assert _human(follow_up_from).split(", ")[1] in warning.inner_text()
    assert not FollowUp.objects.filter(kind="check_in").exists()
    check_page(page, "check-in-warning")
    page.get_by_role("button", name="Save anyway").click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    assert FollowUp.objects.filter(kind="check_in").count() == 1
    # The timeline marks it early (until a response answers it).
    assert page.locator(".timeline-list .badge-early").count() == 1

    # They respond with a new date: the status moves to two days after it.
    new_date = decision_by + datetime.timedelta(days=7)
    page.fill("#response_new_decision_by", new_date.isoformat())
    page.get_by_role("button", name="Record response").click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    moved_to = new_date + datetime.timedelta(days=2)
    status = page.locator(".status-card")
    assert "Waiting" in status.inner_text()
    assert status.locator("time").get_attribute("datetime") == moved_to.isoformat()
    assert "Response from Acme Robotics recorded." in page.locator(".messages").inner_text()
    timeline = page.locator(".timeline-list").inner_text()
    for event in (
        "Applied",
        "Interview (video)",
        "Thank-you note sent",
        "You checked in",
        "They responded",
    ):
        assert event in timeline
    check_page(page, "application-after-response")

    # Close it from the dashboard: asked how it ended, nothing chosen for them; undone,
    # it is back; closed again, it leaves the dashboard for the closed list.
    page.goto("/")
    page.locator("li.row", has_text="Acme Robotics").get_by_role("link", name="Close…").click()
    page.wait_for_url(re.compile(r"/applications/\d+/close/"))
    assert page.locator("input[name=outcome]:checked").count() == 0
    check_page(page, "close-page")
    page.get_by_label("Withdrawn").check()
    page.get_by_role("button", name="Close application").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("li.row").count() == 0
    assert "Closed Acme Robotics as withdrawn." in page.locator(".messages").inner_text()
    check_page(page, "dashboard-undo")
    page.locator(".messages").get_by_role("button", name="Undo").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("li.row", has_text="Acme Robotics").count() == 1
    assert Application.objects.get().outcome == ""
    page.goto(f"/applications/{application.pk}/")
    page.locator(".action").get_by_label("Withdrawn").check()
    page.get_by_role("button", name="Close", exact=True).click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    assert "Withdrawn" in page.locator(".status-card").inner_text()
    page.goto("/")
    assert page.locator("li.row").count() == 0
    page.get_by_role("link", name="1 closed application").click()
    assert "Acme Robotics" in page.locator("main").inner_text()
    check_page(page, "closed-list")
