"""An interview recorded ahead, with a time and a video link, asks nothing about timing;
once its day has passed the dashboard asks, in one short form, what they said."""

import datetime
import re

import pytest

from applications import selectors
from applications.models import Interview, Preferences
from tests.browser.conftest import check_page, login
from tests.factories import ApplicationFactory, settled_user


@pytest.fixture
def seeker(db):
    return settled_user("scheduler")


def test_record_an_upcoming_interview_then_answer_after_its_day(page, live_server, seeker):
    today = selectors.local_today(prefs=Preferences.objects.get(user=seeker))
    application = ApplicationFactory(
        owner=seeker, company="Globex", applied_on=today - datetime.timedelta(days=6)
    )
    login(page, live_server, seeker)
    page.goto(f"/applications/{application.pk}/interviews/new/")
    ahead = today + datetime.timedelta(days=2)
    page.fill("#id_interview-date", ahead.isoformat())
    page.fill("#id_interview-time", "14:30")
    page.select_option("#id_interview-format", "video")
    page.fill("#id_interview-place", "https://meet.example/abc-defg")
    # Nothing chosen about timing: it has not happened.
    assert page.locator("input[name=interview-timeline]:checked").count() == 0
    page.get_by_role("button", name="Save interview").click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    interview = Interview.objects.get()
    assert (interview.timing, interview.time) == ("not_asked", datetime.time(14, 30))
    assert "Interview (video, 2:30 PM)" in page.locator(".timeline-list").inner_text()

    # Two days on, and one more: the day has passed (moved back, as time would).
    Interview.objects.filter(pk=interview.pk).update(date=today - datetime.timedelta(days=1))
    page.goto("/")
    task = page.locator(".section-today li", has_text="How did the interview with Globex go")
    assert task.count() == 1
    check_page(page, "dashboard-timing-question")
    task.get_by_label("What they said").select_option("next_week")
    task.get_by_role("button", name="Save").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "Saved what Globex said about timing." in page.locator(".messages").inner_text()
    interview.refresh_from_db()
    assert interview.timing == "next_week" and interview.decision_by is not None
    assert page.locator(".section-today li", has_text="How did the interview").count() == 0
