"""One-click actions on an application. Each is a POST that redirects back with a
message; sending the same action twice (a double click) records it once."""

import dataclasses
import datetime

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from applications import selectors, services
from applications import status as engine
from applications.forms import (
    BULK_SNOOZE_WEEK,
    BulkActionForm,
    CheckInForm,
    CloseForm,
    ResponseForm,
    SnoozeForm,
    ThankYouForm,
)
from applications.humanize import date_in_words
from applications.models import FollowUpKind, Outcome
from applications.views.common import checked_in_on, own_application, today_and_rules


def _back(request, application=None):
    """Where the action was taken from (`next`, when it is one of ours), else the
    application's page, else the dashboard."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    if application is not None:
        return redirect("application_detail", pk=application.pk)
    return redirect("dashboard")


def _refused(request, form, application=None):
    """A form that did not validate: say why, change nothing, go back."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return _back(request, application)


def _recorded(request, created, text):
    if created:
        messages.success(request, text)
    else:
        messages.info(request, _("That was already recorded."))


@own_application("POST")
def thank_you(request, application):
    as_of, _rules = today_and_rules(request.user)
    form = ThankYouForm(request.POST, today=as_of, application=application)
    if not form.is_valid():
        return _refused(request, form, application)
    contact = form.cleaned_data["contact"]
    _follow_up, created = services.follow_up_log(
        application=application,
        kind=FollowUpKind.THANK_YOU,
        date=form.cleaned_data["date"],
        channel="email",
        contact=contact,
    )
    _recorded(
        request,
        created,
        _("Thank-you to %(name)s recorded.") % {"name": contact.name}
        if contact
        else _("Thank-you note recorded."),
    )
    return _back(request, application)


@own_application("GET", "POST")
def check_in(request, application):
    """Record a check-in; when the rules say it is early, warn and ask first."""
    as_of, rules = today_and_rules(request.user)
    form = CheckInForm(request.POST if request.method == "POST" else None, today=as_of)
    if request.method == "GET" or not form.is_valid():
        if request.method == "POST":
            return _refused(request, form, application)
        return render(
            request, "applications/check_in.html", {"application": application, "form": form}
        )
    day = form.cleaned_data["date"]
    (row,) = selectors.application_rows(
        user=request.user, as_of=day, rules=rules, ids=[application.pk]
    )
    if checked_in_on(row, day):
        # A second click on the same check-in: already recorded, nothing to warn about.
        _recorded(request, False, "")
        return _back(request, application)
    if not form.cleaned_data["confirm_early"] and engine.is_early_check_in(row.facts, rules, day):
        # What the rules said that day, snooze aside: the reason names the dates.
        advice = engine.evaluate(dataclasses.replace(row.facts, snoozed_until=None), rules, day)
        confirm = CheckInForm(initial={**form.cleaned_data, "confirm_early": True}, today=as_of)
        return render(
            request,
            "applications/check_in.html",
            {
                "application": application,
                "form": confirm,
                "advice": advice,
                "next": request.POST.get("next", ""),
            },
        )
    _follow_up, created = services.follow_up_log(
        application=application,
        kind=FollowUpKind.CHECK_IN,
        date=day,
        channel=form.cleaned_data["channel"],
        note=form.cleaned_data["note"],
    )
    _recorded(request, created, _("Check-in recorded. Now give them time to answer."))
    return _back(request, application)


@own_application("GET", "POST")
def response(request, application):
    as_of, _rules = today_and_rules(request.user)
    form = ResponseForm(request.POST if request.method == "POST" else None, today=as_of)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _follow_up, created = services.follow_up_log(
            application=application,
            kind=FollowUpKind.RESPONSE,
            date=data["date"],
            channel=data["channel"],
            note=data["note"],
            new_decision_by=data["new_decision_by"],
            outcome=data["outcome"],
        )
        _recorded(request, created, _("Their response is recorded."))
        return _back(request, application)
    return render(
        request,
        "applications/response.html",
        {"application": application, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@own_application("POST")
def close(request, application):
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _refused(request, form, application)
    outcome = form.cleaned_data["outcome"]
    services.application_close(application=application, outcome=outcome)
    messages.success(
        request,
        _("Closed as %(outcome)s. It's in your closed applications now.")
        % {"outcome": Outcome(outcome).label.lower()},
    )
    return _back(request, application)


@own_application("POST")
def reopen(request, application):
    services.application_reopen(application=application)
    messages.success(request, _("Reopened: it's back on your dashboard."))
    return _back(request, application)


@own_application("POST")
def snooze(request, application):
    as_of, _rules = today_and_rules(request.user)
    data = request.POST.copy()
    if data.get("week"):
        data["until"] = (as_of + datetime.timedelta(days=7)).isoformat()
    form = SnoozeForm(data, today=as_of)
    if not form.is_valid():
        return _refused(request, form, application)
    until = form.cleaned_data["until"]
    services.application_snooze(application=application, until=until)
    messages.success(
        request,
        _("Snoozed until %(date)s.") % {"date": date_in_words(until, today=as_of)},
    )
    return _back(request, application)


@own_application("POST")
def unsnooze(request, application):
    services.application_snooze(application=application, until=None)
    messages.success(request, _("Snooze removed."))
    return _back(request, application)


@require_POST
def bulk(request):
    """Close or snooze several applications at once, from the dashboard."""
    as_of, _rules = today_and_rules(request.user)
    own_ids = selectors.application_ids_get(user=request.user)
    form = BulkActionForm(request.POST, application_ids=own_ids)
    if not form.is_valid():
        return _refused(request, form)
    ids, action = form.cleaned_data["selected"], form.cleaned_data["action"]
    if action == BULK_SNOOZE_WEEK:
        count = services.applications_snooze(
            user=request.user, ids=ids, until=as_of + datetime.timedelta(days=7)
        )
        text = ngettext(
            "Snoozed %(count)d application for a week.",
            "Snoozed %(count)d applications for a week.",
            count,
        )
    else:
        count = services.applications_close(
            user=request.user, ids=ids, outcome=action.removeprefix("close_")
        )
        text = ngettext("Closed %(count)d application.", "Closed %(count)d applications.", count)
    messages.success(request, text % {"count": count})
    return redirect("dashboard")
