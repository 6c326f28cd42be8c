"""The timeline picture on a phone: upright, every event seen, none over another, and no
sideways scroll; on a wide screen the picture across."""

import datetime

import pytest

from applications import selectors
from applications.models import Preferences
from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, check_page, login
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FollowUpFactory,
    InterviewFactory,
    PreferencesFactory,
    UserFactory,
)


@pytest.fixture
def busy_application(db):
    """Applied five weeks ago; a busy day (interview, thank-you, check-in, response) and
    events spread over weeks, with their date ahead."""
    user = UserFactory(username="timeline")
    PreferencesFactory(user=user, weekdays_only=False)
    today = selectors.local_today(prefs=Preferences(time_zone="UTC"))

    def day(offset):
        return today + datetime.timedelta(days=offset)

    application = ApplicationFactory(owner=user, company="Globex", applied_on=day(-35))
    dana = ContactFactory(application=application, name="Dana Reyes")
    InterviewFactory(application=application, date=day(-20), contacts=[dana])
    InterviewFactory(application=application, date=day(-3), decision_by=day(4), contacts=[dana])
    for kind in ("thank_you", "check_in"):
        FollowUpFactory(application=application, date=day(-3), kind=kind)
    FollowUpFactory(application=application, date=day(-1), kind="response", outcome="")
    return user, application


def test_every_event_of_the_timeline_is_seen_on_a_phone(page, live_server, busy_application):
    user, application = busy_application
    login(page, live_server, user)
    page.goto(f"/applications/{application.pk}/")
    events = page.locator(".timeline-list li").count()
    check_page(page, "application-timeline")

    page.set_viewport_size(PHONE)
    try:
        assert page.locator(".tl-wide").is_hidden()
        tall = page.locator(".tl-tall")
        assert tall.is_visible()
        tall.screenshot(path=str(ARTIFACTS / "timeline-tall-phone.png"))
        labels = tall.locator(".tl-mark text")
        assert labels.count() == events
        boxes = [labels.nth(index).bounding_box() for index in range(events)]
        for box in boxes:
            # Inside the screen, the whole label.
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        tops = [box["y"] for box in boxes]
        assert tops == sorted(tops)
        for above, below in zip(boxes, boxes[1:], strict=False):
            assert above["y"] + above["height"] <= below["y"] + 1, (above, below)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        page.set_viewport_size(DESKTOP)
    assert page.locator(".tl-wide").is_visible() and page.locator(".tl-tall").is_hidden()
