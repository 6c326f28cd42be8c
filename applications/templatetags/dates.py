"""Dates in words for templates: `{% load dates %}`, then `{{ day|day_in_words:today }}`
("Mon, Dec 7 (in 3 days)") or `{% date_in_words day "short" today %}` ("Dec 3").

Each filter wraps one function of `applications.humanize`, the one place dates become
words, so pages, emails and the calendar read alike.
"""

from django import template

from applications import humanize

register = template.Library()


@register.filter
def day_in_words(day, today):
    """ "Mon, Dec 7 (in 3 days)"; "" for no date."""
    return humanize.day_in_words(day, today)


@register.simple_tag
def date_in_words(day, style="weekday", today=None):
    """`{% date_in_words day "short" today %}`: `day` in a style of `humanize.STYLES`,
    with its year unless it is `today`'s; "" for no date. `... as name` keeps it for a
    `blocktranslate`."""
    return humanize.date_in_words(day, style=style, today=today) if day else ""


@register.filter
def time_in_words(moment):
    """ "2:30 PM"; "" for no time."""
    return humanize.time_in_words(moment) if moment else ""
