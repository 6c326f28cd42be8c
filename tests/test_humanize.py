"""Dates as the pages show them: "Mon, Dec 7 (in 3 days)". Pure functions, no database."""

import datetime

import pytest
from django.utils import translation

from applications.humanize import DayFormatter, date_label, relative_day

TODAY = datetime.date(2026, 12, 4)  # a Friday


def day(month, dom, year=2026):
    return datetime.date(year, month, dom)


@pytest.mark.parametrize(
    "when, expected",
    [
        (TODAY, "today"),
        (day(12, 5), "tomorrow"),
        (day(12, 3), "yesterday"),
        (day(12, 6), "in 2 days"),
        (day(12, 2), "2 days ago"),
        (day(12, 7), "in 3 days"),
        (day(1, 1, 2027), "in 28 days"),
        (day(11, 4), "30 days ago"),
    ],
)
def test_relative_day_says_how_far_a_date_is_from_today(when, expected):
    assert relative_day(when, TODAY) == expected


@pytest.mark.parametrize(
    "when, expected",
    [
        (day(12, 7), "Mon, Dec 7 (in 3 days)"),
        (TODAY, "Fri, Dec 4 (today)"),
        (day(12, 3), "Thu, Dec 3 (yesterday)"),
        (day(11, 23), "Mon, Nov 23 (11 days ago)"),
        # Outside today's year the year is spelled out, both ways.
        (day(1, 4, 2027), "Mon, Jan 4, 2027 (in 31 days)"),
        (day(12, 31, 2025), "Wed, Dec 31, 2025 (338 days ago)"),
    ],
)
def test_human_date_names_the_weekday_the_date_and_how_far_it_is(when, expected):
    assert DayFormatter(TODAY).human(when) == expected


def test_no_date_is_shown_as_nothing():
    assert DayFormatter(TODAY).human(None) == ""


def test_one_formatter_answers_each_date_relative_to_its_own_today():
    # The dashboard builds one formatter per request; a cached answer must never leak
    # into a formatter with another today.
    first, second = DayFormatter(TODAY), DayFormatter(day(12, 6))
    assert first.human(day(12, 7)) == "Mon, Dec 7 (in 3 days)"
    assert second.human(day(12, 7)) == "Mon, Dec 7 (tomorrow)"
    assert first.human(day(12, 7)) == "Mon, Dec 7 (in 3 days)"


def test_a_formatter_answers_in_the_language_active_when_it_was_made():
    # Answers are kept across requests: one in another language must not be served.
    assert DayFormatter(TODAY).human(day(12, 7)) == "Mon, Dec 7 (in 3 days)"
    with translation.override("de"):
        assert DayFormatter(TODAY).human(day(12, 7)).startswith("Mo, Dez 7")
    assert DayFormatter(TODAY).human(day(12, 7)) == "Mon, Dec 7 (in 3 days)"


def test_a_date_label_is_in_the_active_language_each_time():
    assert date_label(day(12, 7), "D, M j, Y") == "Mon, Dec 7, 2026"
    with translation.override("de"):
        assert date_label(day(12, 7), "D, M j, Y") == "Mo, Dez 7, 2026"
    assert date_label(day(12, 7), "M j") == "Dec 7"


def test_the_year_is_shown_relative_to_todays_year_not_the_current_one():
    new_year = DayFormatter(day(1, 2, 2027))
    assert new_year.human(day(12, 30)) == "Wed, Dec 30, 2026 (3 days ago)"
    assert new_year.human(day(1, 5, 2027)) == "Tue, Jan 5 (in 3 days)"
