"""Settings (/settings/): the user's time zone and rule settings, checked and applied.

The time zone decides the user's "today": a follow-up falls due at *their* midnight, so
at one moment two users in different zones can see the same dates differently.
"""

import datetime
import html as html_lib
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
    assert '<option value="Asia/Tokyo" data-country="JP" selected>Tokyo — Asia</option>' in html
    assert 'name="grace_days" value="4"' in html
    assert f"In this zone it is {today:%A}, {today:%B} {today.day}." in html
    assert "0 to 90" in html and "1 to 5" in html  # the ranges are stated up front


def test_the_settings_page_offers_to_import_a_csv_file_or_an_excel_workbook(owner, owner_client):
    PreferencesFactory(user=owner)

    html = owner_client.get(URL).content.decode()

    link = f'<a href="{reverse("csv_import")}">Import from a spreadsheet (CSV or Excel)</a>'
    assert link in html


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


def test_the_settings_page_says_interview_times_stay_the_clock_times_entered(owner_client):
    html = owner_client.get(URL).content.decode()

    help_text = html[html.index('id="id_time_zone_helptext">') :]
    help_text = help_text[: help_text.index("</div>")]
    assert (
        "Interview times stay the clock times you entered: after moving to another zone, "
        "check the times of your upcoming interviews."
    ) in help_text


def interview_ahead(owner, *, time, days_ahead=3, outcome=""):
    application = ApplicationFactory(owner=owner, outcome=outcome)
    today = selectors.local_today(prefs=Preferences.objects.get(user=owner))
    InterviewFactory(
        application=application, date=today + datetime.timedelta(days=days_ahead), time=time
    )


def test_moving_zones_with_timed_interviews_ahead_says_to_check_their_times(owner, owner_client):
    PreferencesFactory(user=owner, time_zone="America/New_York")
    interview_ahead(owner, time=datetime.time(14, 30))
    interview_ahead(owner, time=datetime.time(9, 0), days_ahead=5)

    response = owner_client.post(URL, form_data(time_zone="Asia/Tokyo"), follow=True)

    assert saved(owner)["time_zone"] == "Asia/Tokyo"
    html = response.content.decode()
    assert (
        "Settings saved. Every status now follows them. Your 2 interviews ahead keep the "
        "times you entered, now read in Tokyo — Asia: check they are still right. "
        f'<a href="{reverse("dashboard")}">See your dashboard</a>'
    ) in html


@pytest.mark.parametrize(
    "zone, interview",
    [
        ("America/New_York", {"time": datetime.time(14, 30)}),  # the zone kept
        ("Asia/Tokyo", {"time": None}),  # no time to move
        ("Asia/Tokyo", {"time": datetime.time(14, 30), "days_ahead": -1}),  # held
        ("Asia/Tokyo", {"time": datetime.time(14, 30), "outcome": "withdrawn"}),  # closed
    ],
)
def test_no_word_about_interview_times_when_none_ahead_could_move(
    owner, owner_client, zone, interview
):
    PreferencesFactory(user=owner, time_zone="America/New_York")
    interview_ahead(owner, **interview)

    response = owner_client.post(URL, form_data(time_zone=zone))

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Settings saved. Every status now follows them."
    ]


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
        ("time_zone", "Mars/Olympus_Mons", "is not a time zone we know: choose a city."),
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
# Rules v2: going quiet, the last try, and public holidays

NEW_SETTINGS = (
    "applied_gives_up_days",
    "last_try_after_days",
    "holiday_country",
    "holiday_subdivision",
)


def saved_new(user):
    return Preferences.objects.filter(user=user).values_list(*NEW_SETTINGS).get()


def test_the_page_shows_the_new_settings_and_the_place_of_public_holidays_in_words(
    owner, owner_client
):
    PreferencesFactory(
        user=owner, holiday_country="US", holiday_subdivision="CA", last_try_after_days=30
    )

    html = owner_client.get(URL).content.decode()

    assert 'name="applied_gives_up_days" value="42"' in html
    assert 'name="last_try_after_days" value="30"' in html
    assert "0 to 365; 0: never" in html
    assert '<option value="US" selected>United States</option>' in html
    assert '<optgroup label="Germany"><option value="DE-Augsburg">' in html
    assert '<option value="DE-BY">Germany — Bayern</option>' in html
    assert '<option value="US-CA" selected>United States — California</option>' in html
    assert "Counting the public holidays of United States — California." in html
    assert "The next one: " in html


def test_a_user_without_public_holidays_sees_none_chosen(owner, owner_client):
    html = owner_client.get(URL).content.decode()

    assert '<option value="" selected>None: weekends only</option>' in html
    assert "Counting the public holidays of" not in html


def test_saving_the_new_settings_stores_the_codes_of_the_place(owner, owner_client):
    response = owner_client.post(
        URL,
        form_data(
            applied_gives_up_days="0",
            last_try_after_days="365",
            holiday_country="DE",
            holiday_subdivision="DE-BY",
        ),
    )

    assert response.status_code == 302
    assert saved_new(owner) == (0, 365, "DE", "BY")


def test_a_country_alone_counts_its_national_holidays(owner, owner_client):
    PreferencesFactory(user=owner, holiday_country="US", holiday_subdivision="CA")

    owner_client.post(URL, form_data(holiday_country="GB", holiday_subdivision=""))

    assert saved_new(owner)[2:] == ("GB", "")


@pytest.mark.parametrize(
    "fields, field, message",
    [
        (
            {"holiday_country": "XX"},
            "holiday_country",
            "“XX” is not a country whose public holidays we know.",
        ),
        (
            {"holiday_country": "UK"},  # the library's alias of GB: the list has GB
            "holiday_country",
            "“UK” is not a country whose public holidays we know.",
        ),
        (
            {"holiday_country": "US", "holiday_subdivision": "US-XX"},
            "holiday_subdivision",
            "“US-XX” is not a state or region whose holidays we know.",
        ),
        (
            {"holiday_country": "US", "holiday_subdivision": "DE-BY"},
            "holiday_subdivision",
            "Germany — Bayern is not in United States: choose its country above, or another "
            "region.",
        ),
        (
            {"holiday_country": "", "holiday_subdivision": "US-CA"},
            "holiday_subdivision",
            "United States — California: choose its country above too.",
        ),
        ({"applied_gives_up_days": "366"}, "applied_gives_up_days", "less than or equal to 365"),
        ({"last_try_after_days": "-1"}, "last_try_after_days", "greater than or equal to 0"),
        ({"last_try_after_days": ""}, "last_try_after_days", "This field is required."),
    ],
)
def test_an_unknown_place_or_an_out_of_range_day_count_is_a_form_error(
    owner, owner_client, fields, field, message
):
    PreferencesFactory(user=owner)

    response = owner_client.post(URL, form_data(**fields))

    html = html_lib.unescape(response.content.decode())
    assert response.status_code == 400
    assert message in html
    assert f'id="id_{field}_error"' in html
    assert saved(owner) == DEFAULTS
    assert saved_new(owner) == (42, 21, "", "")


def test_a_settings_page_from_before_the_new_settings_keeps_them(owner, owner_client):
    # A tab opened before the upgrade posts none of the new fields: they stay as saved.
    PreferencesFactory(
        user=owner,
        applied_gives_up_days=60,
        last_try_after_days=0,
        holiday_country="US",
        holiday_subdivision="NY",
    )

    response = owner_client.post(URL, form_data(grace_days="4"))

    assert response.status_code == 302
    assert saved(owner)["grace_days"] == 4
    assert saved_new(owner) == (60, 0, "US", "NY")


def test_the_new_settings_reach_the_rules(owner):
    prefs = PreferencesFactory(
        user=owner,
        applied_gives_up_days=10,
        last_try_after_days=5,
        holiday_country="US",
        holiday_subdivision="CA",
    )

    rules = selectors.rules_from(prefs)

    assert (
        rules.applied_gives_up_days,
        rules.last_try_after_days,
        rules.holiday_country,
        rules.holiday_subdivision,
    ) == (10, 5, "US", "CA")


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
