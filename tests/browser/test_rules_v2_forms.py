"""Rules v2 in a real browser: what they said about timing and what their response said,
each recorded in one step without any script; the public holidays in the settings and
at sign-up. Every page is checked (axe-core, the Nu validator, a 375 px phone) on the
way, and its screenshots saved."""

import datetime
import re

import pytest

from applications import selectors
from applications.models import Application, FollowUp, Preferences
from applications.timing import WORDS, decision_dates
from tests.browser.conftest import DESKTOP, PageWatch, check_page, login
from tests.factories import ApplicationFactory, InterviewFactory, PreferencesFactory, UserFactory

PASSWORD = "a long enough passphrase 42"


def _today():
    return selectors.local_today(prefs=Preferences(time_zone="UTC"))


def _day(offset):
    return _today() + datetime.timedelta(days=offset)


@pytest.fixture
def seeker(db):
    user = UserFactory(username="seeker", email="seeker@example.com")
    PreferencesFactory(user=user, weekdays_only=False)
    application = ApplicationFactory(owner=user, company="Globex", applied_on=_day(-20))
    InterviewFactory(application=application, date=_day(-8), decision_by=_day(-4))
    return user


def _choose_timing(page, value):
    page.check(f"input[name='interview-timeline'][value='{value}']")


def test_each_answer_about_timing_is_recorded_in_one_step(page, live_server, seeker):
    login(page, live_server, seeker)
    application = Application.objects.get(owner=seeker)
    form = f"/applications/{application.pk}/interviews/new/"

    page.goto(form)
    check_page(page, "interview-new-timing")
    # The date inputs of "a date" and "a range" sit under them, visible without a script.
    assert page.locator("#id_interview-decision_by").is_visible()
    assert page.locator("#id_interview-range_from").is_visible()

    # "Not asked yet" is for an interview still ahead: refused for one held yesterday.
    page.fill("#id_interview-date", _day(-1).isoformat())
    _choose_timing(page, "not_asked")
    page.get_by_role("button", name="Save interview").click()
    assert "“Not asked yet” is for an interview still ahead." in page.content()
    check_page(page, "interview-new-timing-errors", status=400)

    # Each phrase, in one step: the dates come from the interview's day.
    for offset, phrase in enumerate(WORDS, start=1):
        held = _day(-offset)
        page.goto(form)
        page.fill("#id_interview-date", held.isoformat())
        _choose_timing(page, phrase)
        page.get_by_role("button", name="Save interview").click()
        page.wait_for_url(re.compile(r"/applications/\d+/$"))
        interview = application.interviews.get(date=held, timing=phrase)
        assert (interview.decision_from, interview.decision_by) == decision_dates(phrase, held)
    check_page(page, "application-timing-words")
    assert "They said “in about a month”." in page.locator(".timeline-list").inner_text()

    # A date (on the interview's own day), a range, none, not asked yet.
    answers = [
        ("date", _day(-1), {"#id_interview-decision_by": _day(-1)}, (None, _day(-1))),
        ("range", _day(-2), {"#id_interview-range_from": _day(1),
                             "#id_interview-range_to": _day(3)}, (_day(1), _day(3))),
        ("none", _day(-3), {}, (None, None)),
        ("not_asked", _day(2), {}, (None, None)),
    ]  # fmt: skip
    for value, held, dates, stored in answers:
        page.goto(form)
        page.fill("#id_interview-date", held.isoformat())
        _choose_timing(page, value)
        for selector, day in dates.items():
            page.fill(selector, day.isoformat())
        page.get_by_role("button", name="Save interview").click()
        page.wait_for_url(re.compile(r"/applications/\d+/$"))
        interview = application.interviews.get(date=held, timing=value)
        assert (interview.decision_from, interview.decision_by) == stored


def test_the_new_application_form_records_a_phrase_in_one_step(page, live_server, seeker):
    login(page, live_server, seeker)

    page.goto("/applications/new/")
    page.fill("#id_application-company", "Initech")
    page.fill("#id_application-role", "Platform Engineer")
    page.fill("#id_interview-date", _day(-2).isoformat())
    _choose_timing(page, "end_of_week")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/applications/\d+/$"))

    interview = Application.objects.get(company="Initech").interviews.get()
    assert (interview.timing, interview.decision_by) == (
        "end_of_week",
        decision_dates("end_of_week", _day(-2))[1],
    )


RESPONSES = [
    ("", "An update (maybe with a new date)", True),
    ("next_round", "Next round", False),
    ("offer", "An offer", False),
    ("rejected", "A rejection", False),
]
NEW_RESPONSES = [
    ("offer_coming", "An offer is on its way", True),
    ("courtesy", "Just a courtesy reply (no news)", False),
]


def _respond_each(page, live_server, seeker, answers):
    login(page, live_server, seeker)
    for outcome, label, dated in answers:
        application = ApplicationFactory(owner=seeker, company=f"Co {outcome or 'update'}")
        InterviewFactory(application=application, date=_day(-8), decision_by=_day(-4))
        page.goto(f"/applications/{application.pk}/response/")
        page.get_by_label(label, exact=True).check()
        if dated:
            page.fill("#id_new_decision_by", _day(5).isoformat())
        page.get_by_role("button", name="Save response").click()
        page.wait_for_url(re.compile(r"/applications/\d+/$"))
        recorded = FollowUp.objects.filter(application=application)
        assert list(recorded.values_list("kind", "outcome", "new_decision_by")) == [
            ("response", outcome, _day(5) if dated else None)
        ]


def test_the_response_form_asks_what_they_said_in_their_words(page, live_server, seeker):
    login(page, live_server, seeker)
    application = Application.objects.get(owner=seeker)

    page.goto(f"/applications/{application.pk}/response/")
    assert page.get_by_label("An update (maybe with a new date)").is_checked()
    check_page(page, "response-form-kinds")

    page.get_by_label("Just a courtesy reply (no news)").check()
    page.fill("#id_new_decision_by", _day(5).isoformat())
    page.get_by_role("button", name="Save response").click()
    assert "A courtesy reply brings no news." in page.content()
    check_page(page, "response-form-courtesy-error", status=400)
    assert not FollowUp.objects.exists()


def test_each_kind_of_response_is_recorded_in_one_step(page, live_server, seeker):
    _respond_each(page, live_server, seeker, RESPONSES)


def test_an_offer_on_its_way_and_a_courtesy_reply_are_recorded_in_one_step(
    page, live_server, seeker
):
    _respond_each(page, live_server, seeker, NEW_RESPONSES)
    check_page(page, "application-courtesy-reply")


def test_the_settings_choose_public_holidays_by_name(page, live_server, seeker):
    login(page, live_server, seeker)

    page.goto("/settings/")
    page.select_option("#id_holiday_country", "US")
    page.select_option("#id_holiday_subdivision", "DE-BY")
    page.get_by_role("button", name="Save settings").click()
    assert "Germany — Bayern is not in United States" in page.content()
    check_page(page, "settings-holidays-error", status=400)

    page.select_option("#id_holiday_subdivision", "US-CA")
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_url(f"{live_server.url}/settings/")
    prefs = Preferences.objects.get(user=seeker)
    assert (prefs.holiday_country, prefs.holiday_subdivision) == ("US", "CA")
    assert "Counting the public holidays of United States — California." in page.content()
    check_page(page, "settings-holidays")


def test_sign_up_preselects_the_browsers_time_zone_and_its_country(browser, live_server, settings):
    """The server's zone is UTC; the browser is in New York: sign-up offers New York and
    the United States' holidays, which the user may still change."""
    settings.TIME_ZONE = "UTC"
    context = browser.new_context(
        viewport=DESKTOP, base_url=live_server.url, timezone_id="America/New_York"
    )
    page = context.new_page()
    page.watch = PageWatch(page, origin=live_server.url)
    try:
        page.goto("/accounts/signup/")
        page.wait_for_function(
            "document.getElementById('id_time_zone').value === 'America/New_York'"
        )
        assert page.locator("#id_holiday_country").input_value() == "US"
        check_page(page, "signup-holidays-guessed")
        page.fill("[name=username]", "dana")
        page.fill("[name=password1]", PASSWORD)
        page.fill("[name=password2]", PASSWORD)
        page.select_option("#id_holiday_country", "CA")  # they live across the border
        page.select_option("#id_time_zone", "America/Toronto")  # the country stays theirs
        assert page.locator("#id_holiday_country").input_value() == "CA"
        page.get_by_role("button", name="Create account").click()
        page.wait_for_url(f"{live_server.url}/")
        assert "Is UTC your time zone?" not in page.content()
    finally:
        context.close()
    page.watch.assert_none()

    prefs = Preferences.objects.get(user__username="dana")
    assert (prefs.holiday_country, prefs.time_zone, prefs.time_zone_confirmed) == (
        "CA",
        "America/Toronto",
        True,
    )

    # Chrome names some zones by their old names; the list has them by their current one.
    context = browser.new_context(
        viewport=DESKTOP, base_url=live_server.url, timezone_id="Asia/Calcutta"
    )
    page = context.new_page()
    try:
        page.goto("/accounts/signup/")
        assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == (
            "Asia/Calcutta"
        )
        page.wait_for_function("document.getElementById('id_time_zone').value === 'Asia/Kolkata'")
        assert page.locator("#id_holiday_country").input_value() == "IN"
    finally:
        context.close()
