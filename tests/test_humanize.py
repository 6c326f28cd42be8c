"""Dates in words, as every page, email and feed shows them. Pure functions, no database."""

import datetime

import pytest
from django.template import Context, Template

from applications.humanize import date_in_words, day_in_words, relative_day

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
def test_day_in_words_names_the_weekday_the_date_and_how_far_it_is(when, expected):
    assert day_in_words(when, TODAY) == expected


def test_no_date_is_shown_as_nothing():
    assert day_in_words(None, TODAY) == ""


@pytest.mark.parametrize(
    "style, today, expected",
    [
        ("short", TODAY, "Dec 7"),
        ("short", day(1, 2, 2027), "Dec 7, 2026"),
        ("short", None, "Dec 7, 2026"),
        ("weekday", TODAY, "Mon, Dec 7"),
        ("weekday", None, "Mon, Dec 7, 2026"),
        ("long", TODAY, "Monday, December 7"),
        ("long", day(1, 2, 2027), "Monday, December 7, 2026"),
        ("day_month", None, "Dec 7"),
        ("day_month", day(1, 2, 2027), "Dec 7"),
    ],
)
def test_each_style_writes_the_year_only_outside_todays_year(style, today, expected):
    assert date_in_words(day(12, 7), today=today, style=style) == expected


def test_the_year_is_shown_relative_to_todays_year_not_the_current_one():
    new_year = day(1, 2, 2027)
    assert day_in_words(day(12, 30), new_year) == "Wed, Dec 30, 2026 (3 days ago)"
    assert day_in_words(day(1, 5, 2027), new_year) == "Tue, Jan 5 (in 3 days)"


def test_templates_write_dates_through_the_same_functions():
    template = Template(
        '{% load dates %}{{ day|day_in_words:today }} / {% date_in_words day "short" today %}'
        ' / {% date_in_words day "long" as long %}{{ long }} / [{{ none|day_in_words:today }}]'
    )
    context = Context({"day": day(12, 7), "today": TODAY, "none": None})
    assert template.render(context) == (
        "Mon, Dec 7 (in 3 days) / Dec 7 / Monday, December 7, 2026 / []"
    )
