"""Settings: the user's time zone and rule settings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from applications import holiday_regions, selectors, services, time_zones
from applications.forms import PreferencesForm, TimeZoneConfirmForm


@require_http_methods(["GET", "POST"])
def preferences(request):
    prefs = selectors.preferences_get(user=request.user)
    # The place saved, read before the form changes `prefs`: the page says what counts now.
    region = prefs.holiday_region
    upcoming = holiday_regions.next_holiday(
        prefs.holiday_country, prefs.holiday_subdivision, after=selectors.local_today(prefs=prefs)
    )
    zone_before = prefs.time_zone
    form = PreferencesForm(request.POST if request.method == "POST" else None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(preferences=prefs, **form.cleaned_data)
        saved = _("Settings saved. Every status now follows them.")
        if prefs.time_zone != zone_before:
            saved = _with_interview_times_note(saved, request.user, prefs)
        messages.success(request, saved)
        return redirect("preferences")
    return render(
        request,
        "applications/preferences.html",
        {
            "form": form,
            "prefs": prefs,
            "email": selectors.email_address_get(user=request.user),
            "today": selectors.local_today(prefs=prefs),
            "holiday_region": region,
            "next_holiday": upcoming,
            "bookmarklet": _bookmarklet(request),
        },
        status=400 if request.method == "POST" else 200,
    )


def _with_interview_times_note(saved: str, user, prefs) -> str:
    """`saved`, and when an interview ahead has a time, that it is still the clock time
    entered (kept in no zone), now read in the new zone, with a link to check it."""
    ahead = selectors.timed_interviews_ahead_count(
        user=user, as_of=selectors.local_today(prefs=prefs)
    )
    if not ahead:
        return saved
    note = ngettext(
        "Your interview ahead keeps the time you entered, now read in %(zone)s: check it "
        "is still right.",
        "Your %(count)d interviews ahead keep the times you entered, now read in "
        "%(zone)s: check they are still right.",
        ahead,
    ) % {"count": ahead, "zone": time_zones.label(prefs.time_zone)}
    return format_html(
        '{} {} <a href="{}">{}</a>', saved, note, reverse("dashboard"), _("See your dashboard")
    )


def _bookmarklet(request) -> str:
    """A javascript: link that opens the record form with the current page's address
    and title. It runs on the job ad's page, not ours, so our CSP does not apply."""
    form_url = request.build_absolute_uri(reverse("application_new"))
    return (
        "javascript:(function(){window.open("
        f"'{form_url}?url='+encodeURIComponent(location.href)"
        "+'&role='+encodeURIComponent(document.title.slice(0,200)),'_blank');})();"
    )


@require_POST
def time_zone_confirm(request):
    """The answer to the dashboard's banner: the zone kept or chosen, never asked again."""
    prefs = selectors.preferences_get(user=request.user)
    form = TimeZoneConfirmForm(request.POST)
    if form.is_valid():
        services.preferences_update(preferences=prefs, time_zone=form.cleaned_data["time_zone"])
        messages.success(
            request,
            _("Time zone saved: %(zone)s. Your “today” follows it.")
            % {"zone": time_zones.label(prefs.time_zone)},
        )
    else:
        for error in form.errors["time_zone"]:
            messages.error(request, error)
    return redirect("dashboard")
