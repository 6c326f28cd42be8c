"""Time zones: the list people choose from (cities, the common ones first, no odd
aliases), chosen at sign-up, and asked once of an account left on UTC."""

import html as html_lib
import json
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from applications import time_zones
from applications.migrations import __name__ as migrations_package
from applications.models import Preferences
from tests.factories import PreferencesFactory, UserFactory
from tests.helpers import messages_of

SIGNUP = reverse("signup")
DASHBOARD = reverse("dashboard")
CONFIRM = reverse("time_zone_confirm")
PASSWORD = "a long enough password 7"


# ----------------------------------------------------------------------------------------
# The list


def test_the_list_is_the_zones_people_live_in_without_aliases_or_oddities():
    zones = time_zones.zones()

    assert 300 < len(zones) < 600
    assert {"America/New_York", "Europe/Berlin", "Asia/Kolkata", "UTC"} <= set(zones)
    for odd in ("Factory", "localtime", "posixrules", "US/Pacific", "Etc/GMT+5", "GMT0"):
        assert odd not in zones, odd
    assert set(time_zones.COMMON) <= set(zones)


def test_each_zone_is_written_city_first():
    assert time_zones.label("America/Los_Angeles") == "Los Angeles — America"
    assert time_zones.label("America/Argentina/Buenos_Aires") == "Buenos Aires — America/Argentina"
    assert time_zones.label("UTC") == "UTC"


def test_the_common_zones_come_first_then_every_zone_by_city():
    (common, common_zones), (everything, all_zones) = time_zones.choices()

    assert (str(common), str(everything)) == ("Common", "All, by city")
    assert [zone for zone, _ in common_zones] == list(time_zones.COMMON)
    labels = [label for _, label in all_zones]
    assert labels == sorted(labels, key=str.casefold)
    assert len(all_zones) == len(time_zones.zones())


def test_a_zone_stored_before_from_an_older_list_is_still_offered_to_its_user():
    groups = time_zones.choices("US/Pacific")

    assert str(groups[0][0]) == "Your current zone"
    assert groups[0][1] == [("US/Pacific", "US/Pacific")]
    assert time_zones.choices("Europe/Berlin")[0][0] == "Common"  # listed: nothing added


@pytest.mark.parametrize(
    "old, now",
    [
        # What Chrome reports in these places, and the zone the list has for it.
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        ("America/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Asia/Saigon", "Asia/Ho_Chi_Minh"),
        ("Asia/Katmandu", "Asia/Kathmandu"),
        ("Asia/Rangoon", "Asia/Yangon"),
        ("America/Godthab", "America/Nuuk"),
        ("Atlantic/Faeroe", "Atlantic/Faroe"),
        ("Asia/Ulan_Bator", "Asia/Ulaanbaatar"),
        ("US/Pacific", "America/Los_Angeles"),
        ("Etc/UTC", "UTC"),
        ("Etc/Universal", "UTC"),
        # Its own place, not the other country's zone the link points to (Port Moresby).
        ("Pacific/Truk", "Pacific/Chuuk"),
        ("Africa/Asmera", "Africa/Asmara"),
    ],
)
def test_an_old_name_is_the_zone_it_is_now_called(old, now):
    assert old not in time_zones.zones() and now in time_zones.zones()
    assert time_zones.current(old) == now


@pytest.mark.parametrize("zone", ["Europe/Amsterdam", "Asia/Kolkata", "UTC", "GMT0", "Nowhere/X"])
def test_a_listed_zone_or_an_unknown_name_stays_as_it_is(zone):
    assert time_zones.current(zone) == zone


def test_every_old_name_stands_for_a_listed_zone():
    assert set(time_zones.old_names().values()) <= set(time_zones.zones())
    assert not set(time_zones.old_names()) & set(time_zones.zones())


# ----------------------------------------------------------------------------------------
# Sign-up


def signup_data(**fields):
    return {
        "username": "dana",
        "email": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "time_zone": "America/Chicago",
        "holiday_country": "US",
        **fields,
    }


@pytest.mark.django_db
def test_sign_up_asks_the_time_zone_preselected_for_the_browser_to_refine(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"

    html = client.get(SIGNUP).content.decode()

    select = re.search(r'<select name="time_zone"[^>]*>', html).group(0)
    assert "data-browser-zone" in select
    assert 'data-country-field="id_holiday_country"' in select
    assert (
        '<option value="Europe/Berlin" data-country="DE" selected>Berlin — Europe</option>' in html
    )
    assert '<optgroup label="Common">' in html and '<optgroup label="All, by city">' in html
    assert "js/time_zone.js" in html
    assert "Factory" not in html and "localtime" not in html


@pytest.mark.django_db
def test_the_sign_up_page_tells_its_script_which_zone_an_old_name_is(client):
    """The script pre-selects the zone the old name maps to, and the country follows
    that zone's option: India for a browser saying Asia/Calcutta."""
    html = client.get(SIGNUP).content.decode()

    select = re.search(r'<select name="time_zone"[^>]*>', html).group(0)
    names = json.loads(html_lib.unescape(re.search(r'data-zone-names="([^"]*)"', select).group(1)))
    assert names["Asia/Calcutta"] == "Asia/Kolkata"
    assert names["Europe/Kiev"] == "Europe/Kyiv"
    assert '<option value="Asia/Kolkata" data-country="IN"' in html
    assert '<option value="Europe/Kyiv" data-country="UA"' in html


@pytest.mark.django_db
def test_an_old_zone_name_posted_at_sign_up_is_saved_as_its_current_name(client):
    response = client.post(SIGNUP, signup_data(time_zone="Asia/Calcutta", holiday_country="IN"))

    assert response.status_code == 302
    prefs = Preferences.objects.get(user__username="dana")
    assert (prefs.time_zone, prefs.holiday_country) == ("Asia/Kolkata", "IN")


@pytest.mark.django_db
def test_a_server_in_an_old_zone_name_offers_its_current_name_and_country(client, settings):
    settings.TIME_ZONE = "Asia/Saigon"

    html = client.get(SIGNUP).content.decode()

    assert '<option value="Asia/Ho_Chi_Minh" data-country="VN" selected>' in html
    assert '<option value="VN" selected>' in html


@pytest.mark.django_db
def test_the_new_account_has_the_zone_chosen_and_is_not_asked_again(client):
    response = client.post(SIGNUP, signup_data())

    assert response.status_code == 302
    prefs = Preferences.objects.get(user__username="dana")
    assert (prefs.time_zone, prefs.time_zone_confirmed) == ("America/Chicago", True)
    assert "Is UTC your time zone?" not in client.get(DASHBOARD).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "Factory", "Etc/GMT+5", "GMT0"])
def test_sign_up_refuses_a_zone_not_in_the_list_and_creates_nothing(client, zone):
    response = client.post(SIGNUP, signup_data(time_zone=zone))

    assert response.status_code == 400
    assert response.context["form"].errors["time_zone"]
    assert not get_user_model().objects.filter(username="dana").exists()
    # Sent back with what they chose: the browser's zone is not applied over it again.
    select = re.search(r'<select name="time_zone"[^>]*>', response.content.decode()).group(0)
    assert "data-browser-zone" not in select


@pytest.mark.django_db
def test_a_sign_up_page_from_before_the_question_still_works_and_asks_later(client):
    data = signup_data()
    del data["time_zone"]

    response = client.post(SIGNUP, data)

    assert response.status_code == 302
    prefs = Preferences.objects.get(user__username="dana")
    assert (prefs.time_zone, prefs.time_zone_confirmed) == ("UTC", False)
    assert "Is UTC your time zone?" in client.get(DASHBOARD).content.decode()


# ----------------------------------------------------------------------------------------
# Settings


@pytest.mark.django_db
def test_settings_keep_an_old_zone_name_valid_and_saving_confirms_the_zone(client):
    user = UserFactory(username="old")
    PreferencesFactory(user=user, time_zone="US/Pacific")
    client.force_login(user)

    html = client.get(reverse("preferences")).content.decode()
    assert '<option value="US/Pacific" data-country="US" selected>US/Pacific</option>' in html

    form = re.search(r'<form method="post" class="card form".*?</form>', html, re.DOTALL).group(0)
    data = dict(
        re.findall(r'<input type="(?:number|hidden|text)" name="(\w+)" value="([^"]*)"', form)
    )
    data.update(time_zone="US/Pacific", weekdays_only="on")
    response = client.post(reverse("preferences"), data)

    assert response.status_code == 302, response.content.decode()[:500]
    prefs = Preferences.objects.get(user=user)
    assert (prefs.time_zone, prefs.time_zone_confirmed) == ("US/Pacific", True)


# ----------------------------------------------------------------------------------------
# The one-time question to an account left on UTC


@pytest.fixture
def on_utc(client):
    user = UserFactory(username="utc")
    PreferencesFactory(user=user, time_zone="UTC", time_zone_confirmed=False)
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_an_account_left_on_utc_is_asked_on_its_dashboard(client, on_utc):
    html = client.get(DASHBOARD).content.decode()

    assert "Is UTC your time zone?" in html
    banner = html[html.index('aria-labelledby="time-zone-heading"') :]
    banner = banner[: banner.index("</section>")]
    assert f'action="{CONFIRM}"' in banner
    assert re.search(r'<select name="time_zone"[^>]*data-browser-zone', banner)
    assert '<option value="UTC" selected>UTC</option>' in banner


@pytest.mark.django_db
@pytest.mark.parametrize("zone, confirmed", [("UTC", True), ("Europe/Paris", False)])
def test_no_question_once_the_zone_is_confirmed_or_chosen(client, zone, confirmed):
    user = UserFactory(username="settled")
    PreferencesFactory(user=user, time_zone=zone, time_zone_confirmed=confirmed)
    client.force_login(user)

    assert "Is UTC your time zone?" not in client.get(DASHBOARD).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo"])
def test_answering_keeps_or_changes_the_zone_and_never_asks_again(client, on_utc, zone):
    response = client.post(CONFIRM, {"time_zone": zone})

    assert response["Location"] == DASHBOARD
    assert messages_of(response) == [
        f"Time zone saved: {time_zones.label(zone)}. Your “today” follows it."
    ]
    prefs = Preferences.objects.get(user=on_utc)
    assert (prefs.time_zone, prefs.time_zone_confirmed) == (zone, True)
    assert "Is UTC your time zone?" not in client.get(DASHBOARD).content.decode()


@pytest.mark.django_db
def test_answering_with_an_old_zone_name_saves_its_current_name(client, on_utc):
    client.post(CONFIRM, {"time_zone": "Europe/Kiev"})

    assert Preferences.objects.get(user=on_utc).time_zone == "Europe/Kyiv"


@pytest.mark.django_db
def test_a_zone_not_in_the_list_is_refused_and_changes_nothing(client, on_utc):
    response = client.post(CONFIRM, {"time_zone": "Nowhere/Else"})

    assert messages_of(response) == ["“Nowhere/Else” is not a time zone we know: choose a city."]
    prefs = Preferences.objects.get(user=on_utc)
    assert (prefs.time_zone, prefs.time_zone_confirmed) == ("UTC", False)
    assert client.get(CONFIRM).status_code == 405


@pytest.mark.django_db
def test_the_upgrade_counts_a_zone_already_chosen_as_confirmed():
    chosen = PreferencesFactory(user=UserFactory(username="a"), time_zone="Europe/Rome")
    default = PreferencesFactory(user=UserFactory(username="b"), time_zone="UTC")
    Preferences.objects.update(time_zone_confirmed=False)
    migration = __import__(f"{migrations_package}.0011_time_zone_confirmed", fromlist=["migration"])

    migration.chosen_zones_count_as_confirmed(apps, None)

    assert Preferences.objects.get(pk=chosen.pk).time_zone_confirmed is True
    assert Preferences.objects.get(pk=default.pk).time_zone_confirmed is False
