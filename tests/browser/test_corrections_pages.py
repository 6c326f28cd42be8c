"""Correcting the record in a real browser: an interview's date, a thank-you sent
yesterday, a person added and removed; every page passes every check."""

import datetime
import re

import pytest

from applications import selectors
from applications.models import Contact, FollowUp, Interview, Preferences
from tests.browser.conftest import check_page, login
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    settled_user,
)


@pytest.fixture
def recorded(db):
    user = settled_user("corrector")
    today = selectors.local_today(prefs=Preferences(time_zone="UTC"))
    application = ApplicationFactory(
        owner=user, company="Globex", applied_on=today - datetime.timedelta(days=12)
    )
    dana = ContactFactory(application=application, name="Dana Reyes")
    interview = InterviewFactory(
        application=application,
        date=today - datetime.timedelta(days=2),
        decision_by=today + datetime.timedelta(days=5),
        contacts=[dana],
    )
    return user, application, interview, today


def test_correct_an_interview_and_record_a_thank_you_sent_yesterday(page, live_server, recorded):
    user, application, interview, today = recorded
    yesterday = today - datetime.timedelta(days=1)
    login(page, live_server, user)
    page.goto(f"/applications/{application.pk}/")
    check_page(page, "application-with-corrections")

    # The interview was really three days ago, not two.
    page.locator(".timeline-list li", has_text="Interview").get_by_role(
        "link", name=re.compile("^Edit")
    ).click()
    page.wait_for_url(re.compile(r"/interviews/\d+/edit/$"))
    check_page(page, "interview-edit")
    page.fill("#id_interview-date", (today - datetime.timedelta(days=3)).isoformat())
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    assert "Interview corrected." in page.locator(".messages").inner_text()
    interview.refresh_from_db()
    assert interview.date == today - datetime.timedelta(days=3)

    # The thank-you went out yesterday; recorded this morning.
    card = page.locator("form.action", has_text="I sent a thank-you")
    card.get_by_label("Date").fill(yesterday.isoformat())
    card.get_by_label("To").select_option(str(Contact.objects.get(name="Dana Reyes").pk))
    card.get_by_role("button", name="Record thank-you").click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    (note,) = FollowUp.objects.filter(application=application, kind="thank_you")
    assert (note.date, note.contact.name) == (yesterday, "Dana Reyes")
    assert "Thank-you note sent" in page.locator(".timeline-list").inner_text()

    # A recruiter added, then removed after asking.
    page.get_by_role("link", name=re.compile("^Add a person")).click()
    check_page(page, "person-new")
    page.fill("#id_name", "Rita Moreno")
    page.fill("#id_title", "Recruiter")
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    page.locator(".people-list li", has_text="Rita Moreno").get_by_role(
        "link", name=re.compile("^Remove")
    ).click()
    check_page(page, "person-delete")
    page.get_by_role("button", name="Remove").click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    assert not Contact.objects.filter(name="Rita Moreno").exists()

    # The thank-you's edit page, then deleting it, which asks first.
    page.locator(".timeline-list li", has_text="Thank-you note sent").get_by_role(
        "link", name=re.compile("^Edit")
    ).click()
    check_page(page, "follow-up-edit")
    # What a response says is folded for a thank-you, and opens once it is called one.
    said = page.locator("details[data-open-for=response]")
    assert said.get_attribute("open") is None
    assert not page.get_by_text("An update (maybe with a new date)").is_visible()
    page.get_by_label("What it was").select_option("response")
    assert said.get_attribute("open") == ""
    assert page.get_by_text("An update (maybe with a new date)").is_visible()
    page.get_by_label("What it was").select_option("thank_you")
    assert said.get_attribute("open") is None
    page.go_back()
    page.locator(".timeline-list li", has_text="Thank-you note sent").get_by_role(
        "link", name=re.compile("^Delete")
    ).click()
    check_page(page, "follow-up-delete")
    page.get_by_role("button", name="Delete").click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))
    assert not FollowUp.objects.filter(application=application).exists()
    assert Interview.objects.filter(pk=interview.pk).exists()
