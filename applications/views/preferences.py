"""Settings: the user's time zone and rule settings."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
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
    form = PreferencesForm(request.POST if request.method == "POST" else None, instance=prefs)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(preferences=prefs, **form.cleaned_data)
        messages.success(request, _("Settings saved. Every status now follows them."))
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
