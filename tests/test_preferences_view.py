"""Settings (/settings/): the user's time zone and rule settings, checked and applied.

The time zone decides the user's "today": a follow-up falls due at *their* midnight, so
at one moment two users in different zones can see the same dates differently.
"""

import datetime
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from applications import selectors
from applications.models import Preferences
from tests.factories import ApplicationFactory, InterviewFactory, PreferencesFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("preferences")
DEFAULTS = {
    "time_zone": "UTC",
    "grace_days": 2,
    "no_date_wait_days": 7,
    "applied_wait_days": 14,
    "check_in_spacing_days": 7,
    "max_check_ins": 2,
    "weekdays_only": True,
}


def form_data(**overrides):
    data = {
        "time_zone": "Europe/Berlin",
        "grace_days": "3",
        "no_date_wait_days": "5",
        "applied_wait_days": "10",
        "check_in_spacing_days": "4",
        "max_check_ins": "3",
        **overrides,
    }
    # An unticked checkbox is simply not sent.
    return {key: value for key, value in data.items() if value is not None}


def saved(user):
    return Preferences.objects.filter(user=user).values(*DEFAULTS).get()


def test_the_settings_page_shows_the_current_settings_and_todays_date_there(owner, owner_client):
    prefs = PreferencesFactory(user=owner, time_zone="Asia/Tokyo", grace_days=4)
    today = selectors.local_today(prefs=prefs)

    response = owner_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<option value="Asia/Tokyo" selected>Asia/Tokyo</option>' in html
    assert 'name="grace_days" value="4"' in html
    assert f"In this zone it is {today:%A}, {today:%B} {today.day}." in html
    assert "0 to 90" in html and "1 to 5" in html  # the ranges are stated up front


def test_a_new_user_starts_with_the_default_rules(owner, owner_client):
    owner_client.get(URL)

    assert saved(owner) == DEFAULTS


def test_saving_valid_settings_stores_them_and_says_so(owner, owner_client):
    response = owner_client.post(URL, form_data(weekdays_only="on"))

    assert response.status_code == 302
    assert response["Location"] == URL
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Settings saved. Every status now follows them."
    ]
    assert saved(owner) == {
        "time_zone": "Europe/Berlin",
        "grace_days": 3,
        "no_date_wait_days": 5,
        "applied_wait_days": 10,
        "check_in_spacing_days": 4,
        "max_check_ins": 3,
        "weekdays_only": True,
    }


def test_unticking_weekdays_only_turns_it_off(owner, owner_client):
    owner_client.post(URL, form_data(weekdays_only=None))

    assert saved(owner)["weekdays_only"] is False


@pytest.mark.parametrize(
    "field, value",
    [
        ("grace_days", "0"),
        ("grace_days", "90"),
        ("check_in_spacing_days", "0"),
        ("applied_wait_days", "90"),
        ("max_check_ins", "1"),
        ("max_check_ins", "5"),
    ],
)
def test_the_ends_of_each_range_are_accepted(owner, owner_client, field, value):
    response = owner_client.post(URL, form_data(**{field: value}))

    assert response.status_code == 302
    assert saved(owner)[field] == int(value)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("grace_days", "91", "Ensure this value is less than or equal to 90."),
        ("grace_days", "-1", "Ensure this value is greater than or equal to 0."),
        ("no_date_wait_days", "91", "Ensure this value is less than or equal to 90."),
        ("applied_wait_days", "-1", "Ensure this value is greater than or equal to 0."),
        ("check_in_spacing_days", "91", "Ensure this value is less than or equal to 90."),
        ("max_check_ins", "0", "Ensure this value is greater than or equal to 1."),
        ("max_check_ins", "6", "Ensure this value is less than or equal to 5."),
        ("grace_days", "", "This field is required."),
        ("grace_days", "2.5", "Enter a whole number."),
        ("time_zone", "Mars/Olympus_Mons", "Select a valid choice."),
        ("time_zone", "", "This field is required."),
    ],
)
def test_an_out_of_range_setting_is_explained_and_nothing_is_saved(
    owner, owner_client, field, value, message
):
    PreferencesFactory(user=owner)

    response = owner_client.post(URL, form_data(**{field: value}))

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert f'id="id_{field}_error"' in html  # shown next to its own field
    assert saved(owner) == DEFAULTS  # not even the valid fields


def test_new_rules_change_the_status_right_away(owner, owner_client):
    prefs = PreferencesFactory(user=owner, weekdays_only=False)
    today = selectors.local_today(prefs=prefs)
    application = ApplicationFactory(owner=owner, applied_on=today - datetime.timedelta(days=20))
    # They said they would decide 3 days ago: due since yesterday with 2 days of grace.
    InterviewFactory(
        application=application,
        date=today - datetime.timedelta(days=8),
        decision_by=today - datetime.timedelta(days=3),
    )
    assert "badge-follow_up_now" in owner_client.get(reverse("dashboard")).content.decode()

    owner_client.post(URL, form_data(time_zone="UTC", grace_days="5"))

    html = owner_client.get(reverse("dashboard")).content.decode()
    assert "badge-follow_up_now" not in html
    assert '<span class="badge badge-waiting">Waiting</span>' in html
    assert "(in 2 days)" in html


def test_settings_answer_only_get_and_post(owner_client):
    assert owner_client.put(URL).status_code == 405


# ----------------------------------------------------------------------------------------
# The user's own today


# 22:30 UTC on Sunday, Dec 6, 2026: already 11:30 on Monday, Dec 7 in Auckland (UTC+13).
MOMENT = datetime.datetime(2026, 12, 6, 22, 30, tzinfo=datetime.UTC)


class FrozenDatetime(datetime.datetime):
    """`datetime` as `selectors.local_today` sees it: `now()` is MOMENT."""

    @classmethod
    def now(cls, tz=None):
        return MOMENT.astimezone(tz) if tz is not None else MOMENT.replace(tzinfo=None)


@pytest.fixture
def at_the_moment():
    with mock.patch("applications.selectors.datetime", FrozenDatetime):
        yield


@pytest.fixture
def two_users_one_story():
    """The same application for a user in Auckland and one in UTC: they said they would
    decide by Saturday Dec 5, so the follow-up window opens on Monday Dec 7."""
    users = {}
    for zone in ("Pacific/Auckland", "UTC"):
        user = UserFactory(username=f"seeker in {zone}")
        PreferencesFactory(user=user, time_zone=zone)
        application = ApplicationFactory(
            owner=user, company="Acme", applied_on=datetime.date(2026, 11, 20)
        )
        InterviewFactory(
            application=application,
            date=datetime.date(2026, 12, 1),
            decision_by=datetime.date(2026, 12, 5),
        )
        users[zone] = user
    return users


def test_the_frozen_moment_is_dec_7_in_auckland_and_dec_6_in_utc(at_the_moment):
    assert selectors.local_today(prefs=Preferences(time_zone="Pacific/Auckland")) == datetime.date(
        2026, 12, 7
    )
    assert selectors.local_today(prefs=Preferences(time_zone="UTC")) == datetime.date(2026, 12, 6)


@pytest.mark.parametrize(
    "zone, status, badge, when",
    [
        ("Pacific/Auckland", "follow_up_now", "Follow up now", "Mon, Dec 7 (today)"),
        ("UTC", "waiting", "Waiting", "Mon, Dec 7 (tomorrow)"),
    ],
)
def test_the_dashboard_follows_the_users_own_date(
    client, two_users_one_story, at_the_moment, zone, status, badge, when
):
    client.force_login(two_users_one_story[zone])

    html = client.get(reverse("dashboard")).content.decode()

    assert f'<span class="badge badge-{status}">{badge}</span>' in html
    assert f'<time datetime="2026-12-07">{when}</time>' in html


@pytest.mark.parametrize(
    "zone, as_of, status",
    [("Pacific/Auckland", "2026-12-07", "follow_up_now"), ("UTC", "2026-12-06", "waiting")],
)
def test_the_api_follows_the_users_own_date(
    client, two_users_one_story, at_the_moment, zone, as_of, status
):
    client.force_login(two_users_one_story[zone])

    body = client.get(reverse("api_applications")).json()

    assert body["as_of"] == as_of
    assert [(a["status"], a["next_action_date"]) for a in body["applications"]] == [
        (status, "2026-12-07")
    ]


def test_moving_to_auckland_makes_the_follow_up_due_there_and_then(
    client, two_users_one_story, at_the_moment
):
    user = two_users_one_story["UTC"]
    client.force_login(user)
    assert "badge-waiting" in client.get(reverse("dashboard")).content.decode()

    client.post(URL, form_data(time_zone="Pacific/Auckland", grace_days="2", weekdays_only="on"))

    assert "In this zone it is Monday, December 7." in client.get(URL).content.decode()
    assert "badge-follow_up_now" in client.get(reverse("dashboard")).content.decode()
