"""What every page needs: the user's today and rules, and their own application."""

import datetime
import functools

from django.http import HttpResponseNotAllowed

from applications import selectors
from applications.models import FollowUpKind


def today_and_rules(user):
    """The user's local today (the engine's `as_of`) and their rule settings."""
    prefs = selectors.preferences_get(user=user)
    return selectors.local_today(prefs=prefs), selectors.rules_from(prefs)


def own_application(*methods):
    """Fetch the user's application before anything else, so that anyone else gets 404
    whatever the method; then allow only `methods`. The view receives the application."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, pk):
            application = selectors.application_get(user=request.user, pk=pk)
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, application)

        return wrapper

    return decorator


def checked_in_on(row: selectors.ApplicationRow, day: datetime.date) -> bool:
    """Is a check-in recorded on `day` among the facts of `row` (`application_rows`)?
    A second check-in that day is the same one sent twice, whoever it went to."""
    return any(
        follow_up.kind == FollowUpKind.CHECK_IN and follow_up.date == day
        for follow_up in row.facts.follow_ups
    )
