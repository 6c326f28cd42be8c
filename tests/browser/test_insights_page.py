"""The insights page in a real browser: its pictures, their text alternatives and every
check of `check_page` (axe-core, the Nu validator, no sideways scrolling on a phone),
with a season of data, with a single application, and with none.

Dates are offsets from the user's today, chosen so that every figure asserted here is
the same whatever weekday the tests run on.
"""

import datetime

import pytest

from applications import selectors
from applications.models import Preferences
from tests.browser.conftest import check_page, login
from tests.factories import ApplicationFactory, FollowUpFactory, InterviewFactory, UserFactory


def _today():
    return selectors.local_today(prefs=Preferences(time_zone="UTC"))


@pytest.fixture
def seeker(db):
    """Fifteen applications over twelve weeks and more, most with an interview and a date.

    Hand computation (offsets in days from today; "I" interview, "by" its decision_by,
    "R" the first response after it):
      days late (R - by): Acme +3 (I -63 by -56, R -53) and +5 (I -40 by -35, R -30),
        Birch -2, Cedar +6, Dune 0, Fir +3, Gale -1, Hazel +8, Nettle +4, Olive -2
        -> sorted -2 -2 -1 0 3 3 4 5 6 8: ten values, median (3 + 3) / 2 = 3.
      days to hear back (R - I): 10, 10, 5, 13, 2, 10, 6, 12, 7, 5
        -> sorted 2 5 5 6 7 10 10 10 12 13: median (7 + 10) / 2 = 8.5;
        no response yet: Elm's interview, Gale's second, Ivy's: 3.
      check-ins: Cedar -38 (answered -36), Elm -24 and -17 (never answered), Fir -18
        (answered that day), Hazel -7 (answered -2): 3 of 5, 60%.
      per week: every application applied 0 to 77 days ago, a whole number of weeks,
        falls in the last 12 weeks: 14; Olive (84 days ago) falls before them.
    """
    user = UserFactory(username="seeker")
    today = _today()
    day = lambda offset: today + datetime.timedelta(days=offset)  # noqa: E731

    def application(company, applied, **kwargs):
        return ApplicationFactory(owner=user, company=company, applied_on=day(applied), **kwargs)

    def interview(app, on, by=None):
        decision_by = day(by) if by is not None else None
        InterviewFactory(application=app, date=day(on), decision_by=decision_by)

    def response(app, on, outcome="", new_date=None):
        FollowUpFactory(
            application=app,
            date=day(on),
            kind="response",
            outcome=outcome,
            new_decision_by=day(new_date) if new_date is not None else None,
        )

    def check_in(app, on):
        FollowUpFactory(application=app, date=day(on), kind="check_in")

    acme = application("Acme <Robotics>", -70)
    interview(acme, -63, -56)
    response(acme, -53, "next_round", -45)
    interview(acme, -40, -35)
    response(acme, -30, "offer")
    birch = application("Birch", -63)
    interview(birch, -56, -49)
    response(birch, -51, "rejected")
    cedar = application("Cedar", -56)
    interview(cedar, -49, -42)
    check_in(cedar, -38)
    response(cedar, -36)
    dune = application("Dune", -49)
    interview(dune, -42, -40)
    response(dune, -40, "rejected")
    elm = application("Elm", -42)
    interview(elm, -35, -28)
    check_in(elm, -24)
    check_in(elm, -17)
    fir = application("Fir", -35)
    interview(fir, -28, -21)
    check_in(fir, -18)
    response(fir, -18, "next_round", -10)
    gale = application("Gale", -28)
    interview(gale, -21, -14)
    response(gale, -15, "next_round")
    interview(gale, -7, 3)
    hazel = application("Hazel", -21)
    interview(hazel, -14, -10)
    check_in(hazel, -7)
    response(hazel, -2)
    ivy = application("Ivy", -14)
    interview(ivy, -6)
    application("Juniper", -7)
    application("Kestrel", -7)
    application("Larch", 0)
    application("Maple", -56, outcome="withdrawn")
    nettle = application("Nettle", -21)
    interview(nettle, -12, -9)
    response(nettle, -5, "offer")
    olive = application("Olive", -84)
    interview(olive, -77, -70)
    response(olive, -72, "rejected")
    return user


def test_the_insights_page_shows_every_figure_and_passes_every_check(page, live_server, seeker):
    login(page, live_server, seeker)
    page.goto("/insights/")
    assert page.url == f"{live_server.url}/insights/", "not signed in?"

    assert page.get_by_role("heading", level=1).inner_text() == "Insights"
    # Each picture is one image named by its title and described by its desc.
    images = page.get_by_role("img")
    assert images.count() == 4
    weeks = page.get_by_role("img", name="Applications per week, by where they stand today")
    assert weeks.get_attribute("aria-labelledby") == "weeks-title weeks-desc"
    assert "14 applications in the 12 weeks" in page.locator("#weeks-desc").text_content()
    sentence = "Companies got back a median of 3 days after the date they gave."
    assert page.locator(".ins-headline").first.inner_text() == sentence
    assert page.locator("#their-date-desc").text_content().startswith(sentence)
    assert page.locator(".ins-median-label").all_text_contents() == ["median +3", "median 8.5"]
    assert "At the median, you heard back 8.5 days after an interview." in page.content()
    assert "3 interviews have no response yet." in page.content()
    assert "3 of your 5 check-ins got an answer (60%)." in page.content()
    assert page.locator(".ins-ring-text").text_content() == "60%"
    # One dot per value: ten responses after a date, ten interviews answered.
    assert page.locator("#their-date-heading ~ svg circle").count() == 10
    assert page.locator("#hear-back-heading ~ svg circle").count() == 10

    # The numbers behind the weekly picture are a table with a caption, one row a week,
    # reached by opening "The numbers, week by week".
    page.get_by_text("The numbers, week by week").click()
    table = page.get_by_role("table", name="Applications per week, by where they stand today")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 12
    totals = [int(text) for text in table.locator("tbody td:last-child").all_inner_texts()]
    assert sum(totals) == 14
    page.get_by_text("The numbers, by days early or late").click()
    lateness = page.get_by_role("table", name="Responses by days early or late")
    assert lateness.locator("tbody th").all_inner_texts() == [
        "2 days early",
        "1 day early",
        "on the date they gave",
        "3 days late",
        "4 days late",
        "5 days late",
        "6 days late",
        "8 days late",
    ]
    counts = lateness.locator("tbody td").all_inner_texts()
    assert counts == ["2", "1", "1", "2", "1", "1", "1", "1"]

    page.goto("/insights/")  # the saved pictures show the page as it first appears
    check_page(page, "insights-full")


def test_the_insights_page_with_one_application_says_what_will_appear(page, live_server, db):
    user = UserFactory(username="beginner")
    ApplicationFactory(owner=user, company="Acme", applied_on=_today())
    login(page, live_server, user)
    page.goto("/insights/")

    assert page.get_by_role("img").count() == 1  # the weekly picture alone
    assert "1 application in the 12 weeks" in page.locator("#weeks-desc").text_content()
    empties = page.locator(".ins-empty").all_inner_texts()
    assert len(empties) == 3
    assert empties[0].startswith("Nothing to compare yet.")
    assert empties[1].startswith("No responses after an interview yet.")
    assert empties[2].startswith("No check-ins recorded yet.")
    check_page(page, "insights-one-application")


def test_the_insights_page_of_a_new_account_invites_a_first_application(page, live_server, db):
    login(page, live_server, UserFactory(username="newcomer"))
    page.goto("/insights/")

    assert page.get_by_role("heading", name="Nothing to show yet").is_visible()
    assert page.get_by_role("img").count() == 0
    page.get_by_role("link", name="Add an application").click()
    page.wait_for_url(f"{live_server.url}/applications/new/")
    page.goto("/insights/")
    check_page(page, "insights-empty")
