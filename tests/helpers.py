"""Small helpers shared by the view tests."""

import datetime

from django.contrib.messages import get_messages


def days(today, n):
    return today + datetime.timedelta(days=n)


def short(day, as_of):
    """A date as reason sentences write it: "Dec 3", with the year outside as_of's."""
    text = f"{day:%b} {day.day}"
    return text if day.year == as_of.year else f"{text}, {day.year}"


def messages_of(response):
    """The messages the request flashed, as text."""
    return [str(message) for message in get_messages(response.wsgi_request)]
