"""The calendar feed: a secret `.ics` address per user, and the settings buttons that
turn it on, give it a new address, or turn it off.

The feed is read by calendar apps, which have no session: the secret in the address is
the only credential (a "capability URL", like other calendars' secret addresses), so a
wrong, revoked or malformed one answers the same 404 and tells nothing more.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from applications import selectors, services
from applications.calendar_feed import calendar_ical

# The shape of the secrets `services.calendar_token_regenerate` makes (token_urlsafe).
# Anything else is refused before it reaches the database (a NUL in the URL would
# make PostgreSQL raise instead of simply finding nothing).
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")


@login_not_required
@require_safe
def calendar_feed(request, token):
    if not TOKEN_SHAPE.fullmatch(token):
        raise Http404
    prefs = selectors.calendar_preferences_get(token=token)
    as_of = selectors.local_today(prefs=prefs)
    events = selectors.calendar_events(
        user=prefs.user, as_of=as_of, rules=selectors.rules_from(prefs)
    )
    # The UIDs' right-hand side: the host the calendar app subscribed to, port aside.
    host = split_domain_port(request.get_host())[0] or "hearback"
    body = calendar_ical(
        events=events,
        uid_host=host,
        absolute_url=request.build_absolute_uri,
        calendar_uid=f"calendar-{prefs.user_id}@{host}",
        now=timezone.now(),
        time_zone=prefs.time_zone,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="hearback.ics"'
    # Private: the body is one person's data; 15 minutes spares the database from
    # clients that poll, and a follow-up logged now leaves the calendar soon after.
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
def calendar_regenerate(request):
    prefs = selectors.preferences_get(user=request.user)
    was_on = bool(prefs.calendar_token)
    services.calendar_token_regenerate(preferences=prefs)
    if was_on:
        messages.success(
            request,
            _("Here is your new calendar address. The old one has stopped working."),
        )
    else:
        messages.success(
            request,
            _("Your calendar feed is on. Copy the address below into your calendar app."),
        )
    return redirect("preferences")


@require_POST
def calendar_revoke(request):
    prefs = selectors.preferences_get(user=request.user)
    services.calendar_token_revoke(preferences=prefs)
    messages.success(request, _("Your calendar feed is off. Its address no longer shows anything."))
    return redirect("preferences")
