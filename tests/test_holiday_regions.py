"""The places whose public holidays count as days off (`applications.holiday_regions`):
the holidays library's own lists, in words, and the country guessed from a time zone.
Pure: no database."""

import datetime
import zoneinfo

import holidays
import pytest

from applications import holiday_regions
from applications.holiday_regions import (
    country_for_time_zone,
    next_holiday,
    region_in_words,
    region_problem,
)

D = datetime.date


# --- the library's lists, in words ---------------------------------------------------------


def test_the_countries_are_exactly_the_librarys_each_with_a_name():
    supported = holidays.list_supported_countries(include_aliases=False)

    assert set(holiday_regions.countries()) == set(supported)
    assert all(name.strip() for name in holiday_regions.countries().values())


def test_the_regions_are_exactly_the_librarys_country_by_country():
    supported = holidays.list_supported_countries(include_aliases=False)

    assert {
        country: set(regions) for country, regions in holiday_regions.subdivisions().items()
    } == {country: set(regions) for country, regions in supported.items() if regions}


def test_the_countries_come_in_the_order_of_their_names_accents_aside():
    names = list(holiday_regions.countries().values())

    assert names.index("Åland Islands") < names.index("Albania")  # Å sorts as A
    assert names.index("Germany") < names.index("Ghana") < names.index("United States")


@pytest.mark.parametrize(
    "country, subdivision, words",
    [
        ("US", "CA", "United States — California"),
        ("US", "", "United States"),
        ("GB", "SCT", "United Kingdom — Scotland"),
        ("DE", "BY", "Germany — Bayern"),
        ("CH", "BE", "Switzerland — Bern"),
        # The library's first name that is not an abbreviation ("GP", "GUA").
        ("FR", "971", "France — Guadeloupe"),
        ("AT", "1", "Austria — Burgenland"),
        # Names the class names cannot spell.
        ("BA", "", "Bosnia and Herzegovina"),
        ("CW", "", "Curaçao"),
        ("GW", "", "Guinea-Bissau"),
        ("", "", ""),
    ],
)
def test_a_place_reads_in_words(country, subdivision, words):
    assert region_in_words(country, subdivision) == words


@pytest.mark.parametrize(
    "country, subdivision, field",
    [
        ("XX", "", "holiday_country"),
        ("UK", "", "holiday_country"),  # the library's alias of GB: we store GB
        ("us", "", "holiday_country"),
        ("", "CA", "holiday_subdivision"),
        ("US", "BY", "holiday_subdivision"),  # Bavaria is Germany's
        ("CA", "CA", "holiday_subdivision"),  # California's code, not a Canadian one
    ],
)
def test_unknown_codes_and_regions_of_another_country_are_problems(country, subdivision, field):
    problem = region_problem(country, subdivision)

    assert problem is not None and problem[0] == field


@pytest.mark.parametrize("country, subdivision", [("", ""), ("US", ""), ("US", "CA"), ("DE", "BY")])
def test_known_places_are_no_problem(country, subdivision):
    assert region_problem(country, subdivision) is None


def test_the_next_holiday_is_the_first_after_the_day_given():
    assert next_holiday("US", "", after=D(2026, 11, 20)) == holiday_regions.Holiday(
        D(2026, 11, 26), "Thanksgiving Day"
    )
    # The day itself is not "next".
    assert next_holiday("US", "", after=D(2026, 11, 26)).date == D(2026, 12, 25)
    assert next_holiday("", "", after=D(2026, 11, 20)) is None


# --- a country from a time zone ------------------------------------------------------------


@pytest.mark.parametrize(
    "zone, country",
    [
        ("Europe/Berlin", "DE"),
        ("America/Los_Angeles", "US"),
        ("America/Toronto", "CA"),
        ("Europe/London", "GB"),
        ("Australia/Sydney", "AU"),
        ("Europe/Vaduz", "LI"),  # its own row in zone.tab, though tzdata links it to Zurich
        # Old names, through the tz database's links.
        ("US/Pacific", "US"),
        ("Asia/Calcutta", "IN"),
        ("Europe/Kiev", "UA"),
        ("GB", "GB"),
        # Zones of no country, and names that are no zone.
        ("UTC", ""),
        ("Etc/GMT+5", ""),
        ("EST5EDT", ""),
        ("Mars/Olympus_Mons", ""),
        ("", ""),
    ],
)
def test_the_country_of_a_time_zone_comes_from_the_tz_database(zone, country):
    assert country_for_time_zone(zone) == country


def test_every_zone_on_this_machine_gives_a_country_of_the_library_or_none():
    guesses = {zone: country_for_time_zone(zone) for zone in zoneinfo.available_timezones()}

    assert set(guesses.values()) - {""} <= set(holiday_regions.countries())
    # Every zone but the country-less ones (UTC, Etc/..., the POSIX-style rules) has one.
    without = {zone for zone, country in guesses.items() if not country}
    assert all(
        zone.startswith("Etc/") or "/" not in zone or zone == "Factory" for zone in without
    ), sorted(without)
