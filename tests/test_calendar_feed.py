"""The calendar feed (/calendar/<secret>.ics) and its buttons on the settings page.

Every feed here is read back with `icalendar.Calendar.from_ical`, the library calendar
apps' behaviour is modelled on, and judged by its events: which exist, on which day,
under which UID. Dates are pinned to the spec's worked examples (as of Thu 2026-12-10,
default rules: weekend dates move to Monday).
"""

import datetime
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from icalendar import Calendar

from applications import selectors, services
from applications.models import Preferences
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FollowUpFactory,
    InterviewFactory,
    PreferencesFactory,
    UserFactory,
    follow_up_due,
)
from tests.helpers import messages_of

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 12, 10)  # a Thursday
SETTINGS = reverse("preferences")
REGENERATE = reverse("calendar_regenerate")
REVOKE = reverse("calendar_revoke")


def day(month, day_of_month):
    return datetime.date(2026, month, day_of_month)


@pytest.fixture
def as_of(monkeypatch):
    """Pin "today" for every user to AS_OF (the feed asks `selectors.local_today`)."""
    monkeypatch.setattr(selectors, "local_today", lambda *, prefs, now=None: AS_OF)
    return AS_OF


@pytest.fixture
def prefs(owner):
    prefs = PreferencesFactory(user=owner)
    services.calendar_token_regenerate(preferences=prefs)
    return prefs


def feed_url(token):
    return reverse("calendar_feed", args=[token])


def fetch(token, client=None):
    """The feed as a calendar app gets it: no session, no cookies."""
    response = (client or Client()).get(feed_url(token))
    assert response.status_code == 200, response.status_code
    return response


def follow_up_uid(application):
    """The UID of an application's (or a dashboard row's) follow-up event: one per
    application, whatever its date."""
    return f"application-{application.id}-next@testserver"


def interview_uid(interview):
    return f"interview-{interview.id}@testserver"


def events_of(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def summary_table(response):
    """{uid: (summary, first day, day after)} of every event in the feed."""
    return {
        uid: (str(event["SUMMARY"]), event["DTSTART"].dt, event["DTEND"].dt)
        for uid, event in events_of(response).items()
    }


def one_day(uid, summary, on):
    return uid, (summary, on, on + datetime.timedelta(days=1))


# ----------------------------------------------------------------------------------------
# Which events, on which day


@pytest.fixture
def data_set(owner, stranger):
    """One application in each case the feed treats differently, and a stranger's."""
    apps = {}
    # Worked example A: they said Dec 5, follow-up due Dec 7: overdue by 3 days.
    apps["overdue"] = follow_up_due(owner, "Acme")
    # They said Dec 8: the follow-up falls due today.
    apps["due_today"] = follow_up_due(owner, "Cyan", decision_by=day(12, 8))
    # Worked example B: waiting until Dec 11, when the follow-up falls due.
    apps["waiting"] = ApplicationFactory(owner=owner, company="Beta")
    InterviewFactory(application=apps["waiting"], date=day(12, 1), decision_by=day(12, 9))
    # Worked example D: two unanswered check-ins: likely closed from Dec 11.
    apps["closes_soon"] = ApplicationFactory(owner=owner, company="Delta")
    InterviewFactory(application=apps["closes_soon"], date=day(11, 20))
    FollowUpFactory(application=apps["closes_soon"], date=day(11, 27))
    FollowUpFactory(application=apps["closes_soon"], date=day(12, 4))
    # Worked example J: as A, but snoozed until Dec 12.
    apps["snoozed"] = follow_up_due(owner, "Juno", snoozed_until=day(12, 12))
    # Worked example I: waiting on an interview ahead: only the interview's own event.
    apps["interview_ahead"] = ApplicationFactory(owner=owner, company="Initech")
    InterviewFactory(application=apps["interview_ahead"], date=day(11, 25))
    apps["interview_ahead_round_2"] = InterviewFactory(
        application=apps["interview_ahead"],
        date=day(12, 15),
        contacts=[
            ContactFactory(application=apps["interview_ahead"], name="Dana Reyes"),
            ContactFactory(application=apps["interview_ahead"], name="Lee Park", title=""),
        ],
    )
    # An interview today: its event, and the follow-up a week on (Thu Dec 17).
    apps["interview_today"] = ApplicationFactory(owner=owner, company="Umbrella")
    apps["interview_today_round"] = InterviewFactory(
        application=apps["interview_today"], date=AS_OF, format="phone"
    )
    # Worked example E: likely closed: nothing.
    apps["likely_closed"] = ApplicationFactory(owner=owner, company="Hooli")
    InterviewFactory(application=apps["likely_closed"], date=day(11, 10))
    FollowUpFactory(application=apps["likely_closed"], date=day(11, 17))
    FollowUpFactory(application=apps["likely_closed"], date=day(11, 25))
    # Closed by the user, with an interview still on the books: nothing.
    apps["closed"] = ApplicationFactory(owner=owner, company="Vandelay", outcome="withdrawn")
    InterviewFactory(application=apps["closed"], date=day(12, 20))
    # Worked example H: closed by their rejection: nothing.
    apps["rejected"] = ApplicationFactory(owner=owner, company="Eta")
    InterviewFactory(application=apps["rejected"], date=day(11, 10))
    FollowUpFactory(
        application=apps["rejected"], date=day(11, 20), kind="response", outcome="rejected"
    )
    # The stranger's overdue follow-up and upcoming interview never show.
    follow_up_due(stranger, "Stranger Things")
    InterviewFactory(application=ApplicationFactory(owner=stranger), date=day(12, 14))
    PreferencesFactory(user=stranger, calendar_token="the-strangers-own-secret")
    return apps


def test_the_feed_holds_one_event_per_follow_up_date_and_per_upcoming_interview(
    prefs, data_set, as_of
):
    apps = data_set
    next_of = lambda name: follow_up_uid(apps[name])  # noqa: E731
    interview = lambda name: interview_uid(apps[name])  # noqa: E731
    role = "Backend Engineer"

    table = summary_table(fetch(prefs.calendar_token))

    assert table == dict(
        [
            # Overdue since Dec 7: shown today, so it is not lost in the past.
            one_day(next_of("overdue"), f"Follow up: Acme, {role}", AS_OF),
            one_day(next_of("due_today"), f"Follow up: Cyan, {role}", AS_OF),
            one_day(next_of("waiting"), f"Follow up: Beta, {role}", day(12, 11)),
            one_day(next_of("closes_soon"), f"Likely closed: Delta, {role}", day(12, 11)),
            one_day(next_of("snoozed"), f"Follow up: Juno, {role}", day(12, 12)),
            one_day(
                interview("interview_ahead_round_2"), f"Interview: Initech, {role}", day(12, 15)
            ),
            one_day(interview("interview_today_round"), f"Interview: Umbrella, {role}", AS_OF),
            one_day(next_of("interview_today"), f"Follow up: Umbrella, {role}", day(12, 17)),
        ]
    )


def test_follow_up_dates_are_the_engines_own(prefs, data_set, as_of):
    """Every follow-up event sits on the next action date the API and the dashboard
    show (overdue ones on today), so no rule is worked out twice."""
    rows = selectors.application_rows(
        user=prefs.user, as_of=AS_OF, rules=selectors.rules_from(prefs)
    )
    events = events_of(fetch(prefs.calendar_token))
    for row in rows:
        event = events.get(follow_up_uid(row))
        if event is None:
            continue
        assert row.status.code in ("waiting", "follow_up_now")
        assert event["DTSTART"].dt == max(row.status.next_action_date, AS_OF)
        assert row.status.reason in str(event["DESCRIPTION"])


def test_an_overdue_follow_up_says_since_when_and_why(prefs, data_set, as_of):
    overdue = data_set["overdue"]

    event = events_of(fetch(prefs.calendar_token))[follow_up_uid(overdue)]

    url = f"http://testserver/applications/{overdue.pk}/"
    assert str(event["DESCRIPTION"]) == (
        "Due since Mon, Dec 7: it moves to each new day until you follow up.\n"
        "They said they would decide by Dec 5; follow up from Dec 7.\n"
        "\n"
        f"Open it in Hearback: {url}"
    )
    assert str(event["URL"]) == url


def test_a_follow_up_on_its_day_carries_the_reason_without_an_overdue_note(prefs, data_set, as_of):
    waiting, due_today = data_set["waiting"], data_set["due_today"]

    events = events_of(fetch(prefs.calendar_token))

    assert str(events[follow_up_uid(waiting)]["DESCRIPTION"]) == (
        "They said they would decide by Dec 9; follow up from Dec 11.\n"
        "\n"
        f"Open it in Hearback: http://testserver/applications/{waiting.pk}/"
    )
    assert "Due since" not in str(events[follow_up_uid(due_today)]["DESCRIPTION"])
    closes = str(events[follow_up_uid(data_set["closes_soon"])]["DESCRIPTION"])
    assert "if you hear nothing before Dec 11, it's likely closed" in closes


def test_an_interview_event_names_the_format_the_people_and_what_to_ask(prefs, data_set, as_of):
    interview = data_set["interview_ahead_round_2"]
    application = data_set["interview_ahead"]

    event = events_of(fetch(prefs.calendar_token))[interview_uid(interview)]

    url = f"http://testserver/applications/{application.pk}/"
    assert str(event["DESCRIPTION"]) == (
        "A video interview.\n"
        "You'll meet: Dana Reyes (Hiring manager), Lee Park.\n"
        "Before it ends, ask about the next steps and when they expect to decide: "
        "that date tells you when to follow up.\n"
        "\n"
        f"Open it in Hearback: {url}"
    )
    assert str(event["URL"]) == url


def test_an_application_waiting_on_an_interview_ahead_has_only_the_interview_event(
    prefs, data_set, as_of
):
    application = data_set["interview_ahead"]

    table = summary_table(fetch(prefs.calendar_token))

    assert follow_up_uid(application) not in table
    assert [summary for summary, _, _ in table.values() if "Initech" in summary] == [
        "Interview: Initech, Backend Engineer"
    ]


def test_nothing_of_likely_closed_closed_or_other_peoples_applications(prefs, data_set, as_of):
    body = fetch(prefs.calendar_token).content.decode()

    for company in ("Hooli", "Vandelay", "Eta", "Stranger Things"):
        assert company not in body
    assert len(events_of(fetch(prefs.calendar_token))) == 8


def test_an_empty_account_gets_a_valid_empty_calendar(prefs, as_of):
    calendar = Calendar.from_ical(fetch(prefs.calendar_token).content)

    assert calendar.walk("VEVENT") == []
    assert str(calendar["X-WR-CALNAME"]) == "Hearback"


def test_today_is_the_users_own_in_their_time_zone(owner):
    """Without pinning the clock: an overdue follow-up lands on the user's local date,
    which on most days differs between Kiritimati (UTC+14) and Pago Pago (UTC-11)."""
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):
        user = UserFactory(username=zone.replace("/", "-"))
        prefs = PreferencesFactory(user=user, time_zone=zone)
        services.calendar_token_regenerate(preferences=prefs)
        application = ApplicationFactory(owner=user, applied_on=day(1, 5))
        # An interview with no date given, long ago: its follow-up is overdue for good.
        InterviewFactory(application=application, date=day(1, 12))

        event = events_of(fetch(prefs.calendar_token))[follow_up_uid(application)]

        assert event["DTSTART"].dt == selectors.local_today(prefs=prefs)


# ----------------------------------------------------------------------------------------
# Valid iCalendar that calendar apps update rather than duplicate


def test_the_feed_is_an_all_day_icalendar_with_a_name_and_stamps(prefs, data_set, as_of):
    response = fetch(prefs.calendar_token)

    calendar = Calendar.from_ical(response.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Hearback//Follow-up calendar//EN"
    assert str(calendar["X-WR-CALNAME"]) == "Hearback"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    for event in calendar.walk("VEVENT"):
        # All-day: DATE values (not date-times), ending the next day.
        assert type(event["DTSTART"].dt) is datetime.date
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert event["DTEND"].dt - event["DTSTART"].dt == datetime.timedelta(days=1)
        assert isinstance(event["DTSTAMP"].dt, datetime.datetime)
        assert event["DTSTAMP"].dt.utcoffset() == datetime.timedelta(0)
        assert str(event["TRANSP"]) == "TRANSPARENT"
    # RFC 5545: lines end with CRLF and are folded at 75 octets.
    lines = response.content.split(b"\r\n")
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-2] == b"END:VCALENDAR"
    assert max(len(line) for line in lines) <= 75


def test_uids_are_stable_across_fetches_and_a_status_change(prefs, data_set, as_of):
    overdue = data_set["overdue"]
    uid = follow_up_uid(overdue)
    first = summary_table(fetch(prefs.calendar_token))
    assert summary_table(fetch(prefs.calendar_token)) == first

    # They wrote back today with a new date, Dec 16: the same event moves to Dec 18.
    services.follow_up_log(
        application=overdue, kind="response", date=AS_OF, new_decision_by=day(12, 16)
    )
    after = summary_table(fetch(prefs.calendar_token))

    assert after[uid] == ("Follow up: Acme, Backend Engineer", day(12, 18), day(12, 19))
    assert first[uid][1] == AS_OF
    assert {key: value for key, value in after.items() if key != uid} == {
        key: value for key, value in first.items() if key != uid
    }


def test_the_users_own_text_survives_the_round_trip(owner, prefs, as_of):
    company = 'Acme <Robotics>, Inc.; "R&D"\nSecond line \\ backslash'
    role = "Engineer, Backend; Platform"
    application = ApplicationFactory(owner=owner, company=company, role=role)
    interview = InterviewFactory(
        application=application,
        date=day(12, 14),
        contacts=[ContactFactory(application=application, name="O'Brien, Jo; <b>", title="")],
    )

    response = fetch(prefs.calendar_token)
    events = events_of(response)

    event = events[interview_uid(interview)]
    assert str(event["SUMMARY"]) == f"Interview: {company}, {role}"
    assert "You'll meet: O'Brien, Jo; <b>." in str(event["DESCRIPTION"])
    # Escaped on the wire, by the library: no raw new line or bare separator.
    unfolded = response.content.replace(b"\r\n ", b"")
    assert b'Acme <Robotics>\\, Inc.\\; "R&D"\\nSecond line \\\\ backslash' in unfolded


# ----------------------------------------------------------------------------------------
# The secret address


def test_the_feed_needs_no_session_and_sets_no_cookie(prefs, as_of):
    response = fetch(prefs.calendar_token)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=900"
    assert "noindex" in response["X-Robots-Tag"]
    assert not response.cookies
    assert not Session.objects.exists()


def test_the_feed_answers_head_but_no_writes(prefs, as_of):
    client = Client()
    assert client.head(feed_url(prefs.calendar_token)).status_code == 200
    assert client.post(feed_url(prefs.calendar_token)).status_code == 405
    assert client.delete(feed_url(prefs.calendar_token)).status_code == 405


def test_a_signed_in_stranger_gets_the_owners_feed_only_by_its_secret(
    prefs, data_set, stranger_client, as_of
):
    """The secret alone decides whose feed it is, whoever is signed in."""
    body = stranger_client.get(feed_url(prefs.calendar_token)).content.decode()
    assert "Acme" in body and "Stranger Things" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/calendar/not-the-secret.ics",
        "/calendar/.ics",  # an empty secret: the feed of everyone whose feed is off
        "/calendar/a%00b.ics",
        "/calendar/" + "a" * 65 + ".ics",
        "/calendar/%20.ics",
    ],
)
def test_a_wrong_or_malformed_secret_answers_404(prefs, stranger, path, as_of):
    PreferencesFactory(user=stranger)  # a feed that is off: calendar_token == ""
    response = Client().get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_secret_must_match_exactly(prefs, as_of):
    token = prefs.calendar_token
    other_case = token.upper() if token != token.upper() else token.lower()
    for near_miss in (other_case, token[:-1], token + "x"):
        assert Client().get(feed_url(near_miss)).status_code == 404


def test_a_revoked_secret_answers_404(prefs, as_of):
    token = prefs.calendar_token
    services.calendar_token_revoke(preferences=prefs)

    assert Client().get(feed_url(token)).status_code == 404


def test_a_new_address_retires_the_old_one(prefs, as_of):
    old = prefs.calendar_token
    new = services.calendar_token_regenerate(preferences=prefs)

    assert new != old
    assert Client().get(feed_url(old)).status_code == 404
    assert Client().get(feed_url(new)).status_code == 200


NEW_PASSWORD = "a-fresh-Passphrase-for-2027"
OLD_PASSWORD = "correct horse battery staple"  # the factories' password


def set_a_new_password(owner, how):
    """The owner sets a new password, on the password change page or through a reset
    link from the email; the page after it, as the browser shows it."""
    client = Client()
    if how == "change":
        client.force_login(owner)
        return client.post(
            reverse("password_change"),
            {
                "old_password": OLD_PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
            follow=True,
        )
    uid = urlsafe_base64_encode(force_bytes(owner.pk))
    link = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(owner)])
    set_password = client.get(link)["Location"]  # Django keeps the token in the session
    return client.post(
        set_password, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )


@pytest.mark.parametrize("how", ["change", "reset"])
def test_a_new_password_gives_the_feed_a_new_address_and_says_so(owner, prefs, as_of, how):
    old = prefs.calendar_token

    page = set_a_new_password(owner, how)

    assert page.redirect_chain and page.status_code == 200
    new = Preferences.objects.get(user=owner).calendar_token
    assert new and new != old
    assert Client().get(feed_url(old)).status_code == 404
    assert Client().get(feed_url(new)).status_code == 200
    assert (
        "Your calendar feed has a new address too, and the old one has stopped working: "
        "copy the new one from Settings into your calendar app."
    ) in page.content.decode()


@pytest.mark.parametrize("how", ["change", "reset"])
def test_a_new_password_leaves_a_feed_that_is_off_off(owner, how):
    PreferencesFactory(user=owner)

    page = set_a_new_password(owner, how)

    assert page.redirect_chain and page.status_code == 200
    assert Preferences.objects.get(user=owner).calendar_token == ""
    assert "calendar feed" not in page.content.decode()


def test_a_password_form_refused_keeps_the_address(owner, prefs, as_of):
    client = Client()
    client.force_login(owner)

    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200  # the form again, with its error
    assert Preferences.objects.get(user=owner).calendar_token == prefs.calendar_token


def test_the_lookup_never_matches_an_empty_secret(owner, stranger, prefs):
    """The view refuses an empty secret before asking; the selector does not rely on it."""
    PreferencesFactory(user=stranger)  # feed off: calendar_token == ""

    with pytest.raises(Http404):
        selectors.calendar_preferences_get(token="")
    assert selectors.calendar_preferences_get(token=prefs.calendar_token).user == owner


def test_a_deactivated_accounts_feed_answers_404(owner, prefs, as_of):
    owner.is_active = False
    owner.save()

    assert Client().get(feed_url(prefs.calendar_token)).status_code == 404


def test_secrets_are_long_random_and_url_safe(owner):
    prefs = PreferencesFactory(user=owner)
    tokens = {services.calendar_token_regenerate(preferences=prefs) for _ in range(20)}

    assert len(tokens) == 20
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)
    assert Preferences.objects.get(user=owner).calendar_token in tokens


# ----------------------------------------------------------------------------------------
# The settings page: turn on, copy, get a new address, turn off


def test_the_settings_page_offers_to_turn_the_feed_on_when_it_is_off(owner, owner_client):
    PreferencesFactory(user=owner)

    html = owner_client.get(SETTINGS).content.decode()

    section = _calendar_section(html)
    assert "Your calendar feed is off." in section
    assert "Anyone who has that address can see your applications" in section
    assert f'action="{REGENERATE}"' in section
    assert "Turn on the calendar feed" in section
    assert ".ics" not in section and 'id="calendar-url"' not in section
    assert f'action="{REVOKE}"' not in section


def test_the_settings_page_shows_the_address_to_copy_when_it_is_on(owner_client, prefs):
    html = owner_client.get(SETTINGS).content.decode()

    section = _calendar_section(html)
    url = f"http://testserver/calendar/{prefs.calendar_token}.ics"
    field = re.search(r"<input [^>]*id=\"calendar-url\"[^>]*>", section).group(0)
    assert f'value="{url}"' in field and " readonly" in field
    assert '<label for="calendar-url">' in section
    copy = re.search(r"<button [^>]*data-copy-target=\"calendar-url\"[^>]*>", section).group(0)
    assert 'type="button"' in copy
    assert '<script src="/static/js/copy.js" defer></script>' in section
    assert "anyone who has it can see your applications" in section
    assert f'action="{REGENERATE}"' in section and "Get a new address" in section
    assert f'action="{REVOKE}"' in section and "Turn off" in section
    assert section.count("csrfmiddlewaretoken") == 2


def test_the_settings_page_says_how_interviews_show_as_the_feed_writes_them(owner_client, prefs):
    section = _calendar_section(owner_client.get(SETTINGS).content.decode())

    # As `calendar_feed` writes them: follow-ups all day; an interview an hour long from
    # its time in the user's zone (INTERVIEW_LENGTH), all day without a time.
    assert "A follow-up date is an all-day event" in section
    assert "an interview is an hour from the time you recorded, in your time zone" in section
    assert "or an all-day event when you recorded no time" in section
    assert "upcoming interview shows up there as an all-day event" not in section


def test_the_copy_script_is_served(client):
    response = client.get("/static/js/copy.js")
    assert response.status_code == 200
    assert b"data-copy-target" in b"".join(response.streaming_content)


def test_turning_the_feed_on_makes_a_working_address_and_says_so(owner, owner_client, as_of):
    PreferencesFactory(user=owner)

    response = owner_client.post(REGENERATE)

    assert response.status_code == 302 and response["Location"] == SETTINGS
    assert messages_of(response) == [
        "Your calendar feed is on. Copy the address below into your calendar app."
    ]
    token = Preferences.objects.get(user=owner).calendar_token
    assert token
    assert Client().get(feed_url(token)).status_code == 200
    assert feed_url(token) in owner_client.get(SETTINGS).content.decode()


def test_getting_a_new_address_retires_the_old_and_says_so(owner, owner_client, prefs, as_of):
    old = prefs.calendar_token

    response = owner_client.post(REGENERATE)

    assert response.status_code == 302 and response["Location"] == SETTINGS
    assert messages_of(response) == [
        "Here is your new calendar address. The old one has stopped working."
    ]
    new = Preferences.objects.get(user=owner).calendar_token
    assert new and new != old
    assert Client().get(feed_url(old)).status_code == 404
    assert Client().get(feed_url(new)).status_code == 200


def test_turning_the_feed_off_retires_the_address_and_says_so(owner, owner_client, prefs, as_of):
    old = prefs.calendar_token

    response = owner_client.post(REVOKE)

    assert response.status_code == 302 and response["Location"] == SETTINGS
    assert messages_of(response) == [
        "Your calendar feed is off. Its address no longer shows anything."
    ]
    assert Preferences.objects.get(user=owner).calendar_token == ""
    assert Client().get(feed_url(old)).status_code == 404


@pytest.mark.parametrize("target", [REGENERATE, REVOKE])
def test_the_buttons_answer_only_post(owner, owner_client, prefs, target):
    token = prefs.calendar_token

    assert owner_client.get(target).status_code == 405

    assert Preferences.objects.get(user=owner).calendar_token == token


@pytest.mark.parametrize("target", [REGENERATE, REVOKE])
def test_the_buttons_need_the_csrf_token(owner, prefs, target):
    token = prefs.calendar_token
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    assert client.post(target).status_code == 403
    assert Preferences.objects.get(user=owner).calendar_token == token

    # The settings page's own forms carry it.
    html = client.get(SETTINGS).content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    assert client.post(target, {"csrfmiddlewaretoken": csrf}).status_code == 302
    assert Preferences.objects.get(user=owner).calendar_token != token


@pytest.mark.parametrize("target", [REGENERATE, REVOKE])
def test_the_buttons_change_only_the_signed_in_users_own_feed(
    owner, stranger, stranger_client, prefs, target
):
    token = prefs.calendar_token
    theirs = PreferencesFactory(user=stranger, calendar_token="the-strangers-own-secret")

    assert stranger_client.post(target).status_code == 302

    assert Preferences.objects.get(user=owner).calendar_token == token
    theirs.refresh_from_db()
    assert theirs.calendar_token != "the-strangers-own-secret"


@pytest.mark.parametrize("target", [REGENERATE, REVOKE])
def test_signed_out_the_buttons_go_to_sign_in_and_change_nothing(owner, prefs, client, target):
    token = prefs.calendar_token

    response = client.post(target)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Preferences.objects.get(user=owner).calendar_token == token


# ----------------------------------------------------------------------------------------
# Query count


def test_the_feed_costs_the_same_queries_for_3_and_for_30_applications(owner, prefs, as_of):
    def feed_queries():
        with CaptureQueriesContext(connection) as captured:
            events = events_of(fetch(prefs.calendar_token))
        return len(captured), events

    def add(count):
        for _ in range(count):
            # Each: a follow-up overdue since Dec 7, and an interview with two people
            # on Dec 11, and a past round with a check-in after it.
            overdue = follow_up_due(owner)
            FollowUpFactory(application=overdue, date=day(11, 28), kind="thank_you")
            ahead = ApplicationFactory(owner=owner)
            InterviewFactory(application=ahead, date=day(11, 20))
            FollowUpFactory(application=ahead, date=day(11, 30))
            InterviewFactory(
                application=ahead,
                date=day(12, 11),
                contacts=ContactFactory.create_batch(2, application=ahead),
            )

    add(3)
    with_three, events = feed_queries()
    assert len(events) == 6
    add(27)
    with_thirty, events = feed_queries()
    assert len(events) == 60

    # 1 the preferences with their user, 2 applications, 3 the people at each interview,
    # 4 interviews, 5 follow-ups, 6 upcoming interviews, 7 the people at them.
    assert with_three == with_thirty == 7


# ----------------------------------------------------------------------------------------


def _calendar_section(html):
    match = re.search(r'<section class="card" id="calendar".*?</section>', html, re.S)
    assert match, "no calendar section on the settings page"
    return match.group(0)
