"""One-click actions on an application. Each is a POST that redirects back with a
message; sending the same action twice (a double click) records it once. A thank-you, a
check-in or a response that cannot be saved is shown again on a page of its own, with what
was entered and the reason beside the field (status 400), nothing saved.

Each one-click action can be taken back: its message carries an Undo button, and the
session keeps what undoing it means (`_offer_undo`) until the next action replaces it.
Undo puts back exactly what the action changed, where nothing changed it since: it
removes the follow-ups it recorded, or it puts back each application's outcome and
snooze. The button names its action by a key, so an Undo left in another tab cannot
take back a later action.
"""

import dataclasses
import datetime
import secrets
import time

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


def _our_page(request, target: str) -> str:
    """`target` when it is a page of this site (where an action may go back to), else ""."""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _back(request, application=None):
    """Where the action was taken from (`next`, when it is one of ours), else the
    application's page, else the dashboard."""
    target = _our_page(request, request.POST.get("next", ""))
    if target:
        return HttpResponseRedirect(target)
    if application is not None:
        return redirect("application_detail", pk=application.pk)
    return redirect("dashboard")


def _form_page(request, template, application, form):
    """The action's own page with its form: asked for (GET), or a post refused, shown
    again with what was entered and the reason beside each field (400, nothing saved)."""
    return render(
        request,
        template,
        {
            "application": application,
            "form": form,
            "next": _our_page(request, request.POST.get("next", "")),
        },
        status=400 if request.method == "POST" else 200,
    )


def _refused(request, form, application=None):
    """A form that did not validate: say why, change nothing, go back."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return _back(request, application)


def say_recorded(request, follow_ups, text):
    """Say that the `follow_ups` an action added were recorded, with an Undo that
    removes them; or, when it added none (the same action sent twice), that they
    already were (nothing to undo then)."""
    if follow_ups:
        recorded = {str(each.pk): services.follow_up_state(each) for each in follow_ups}
        _offer_undo(request, text, {"follow_ups": recorded})
    else:
        messages.info(request, _("That was already recorded."))


def thank_you_recorded_text(application, contact) -> str:
    """What a recorded thank-you says, naming the person (if any) and the company."""
    if contact:
        return _("Thank-you to %(name)s at %(company)s recorded.") % {
            "name": contact.name,
            "company": application.company,
        }
    return _("Thank-you note to %(company)s recorded.") % {"company": application.company}


def check_in_recorded_text(application) -> str:
    return _("Check-in with %(company)s recorded. Now give them time to answer.") % {
        "company": application.company
    }


# ----------------------------------------------------------------------------------------
# Undo

UNDO_SESSION_KEY = "hearback_undo"
UNDO_TAG = "undo"  # the message tag base.html gives an Undo button
UNDO_WITHIN_SECONDS = 30 * 60  # an Undo button left open in an old tab goes stale
UNDO_KEY_FIELD = "action"  # the Undo button's field naming the action it takes back


def _offer_undo(request, text: str, how: dict) -> None:
    """Say what an action did (`text`) with an Undo button; `how` is what undoing it
    means: {"follow_ups": {id: state}} to remove, or {"before": ..., "after": ...}
    states. base.html writes the key into the button (UNDO_KEY_FIELD)."""
    key = secrets.token_urlsafe(12)
    request.session[UNDO_SESSION_KEY] = {**how, "at": time.time(), "key": key}
    messages.success(request, text, extra_tags=UNDO_TAG)


def _states(request, ids) -> dict[int, tuple]:
    return selectors.application_states_get(user=request.user, ids=ids)


def _offer_state_undo(request, text: str, before: dict[int, tuple]) -> None:
    """After a close, reopen or snooze of the applications in `before` (their states
    read just before it)."""

    def stored(states):
        # The session is JSON: ids as text, dates in ISO form.
        return {
            str(pk): [outcome, until.isoformat() if until else None]
            for pk, (outcome, until) in states.items()
        }

    after = _states(request, list(before))
    _offer_undo(request, text, {"before": stored(before), "after": stored(after)})


def _loaded_states(stored: dict) -> dict[int, tuple]:
    return {
        int(pk): (outcome, datetime.date.fromisoformat(until) if until else None)
        for pk, (outcome, until) in stored.items()
    }


@require_POST
def undo(request):
    """Take back the last one-click action, if nothing changed it since."""
    how = request.session.get(UNDO_SESSION_KEY)
    if how is None or time.time() - how.get("at", 0) > UNDO_WITHIN_SECONDS:
        request.session.pop(UNDO_SESSION_KEY, None)
        messages.info(request, _("There is nothing to undo."))
        return _back(request)
    if not how.get("key") or request.POST.get(UNDO_KEY_FIELD) != how["key"]:
        # An Undo from an older page (another tab): the last action is another one.
        messages.info(request, _("Nothing undone: you have done something else since."))
        return _back(request)
    del request.session[UNDO_SESSION_KEY]
    if "follow_ups" in how:
        undone = services.follow_ups_unlog(user=request.user, recorded=how["follow_ups"])
    else:
        undone = bool(
            services.applications_restore(
                user=request.user,
                before=_loaded_states(how["before"]),
                after=_loaded_states(how["after"]),
            )
        )
    if undone:
        messages.success(request, _("Undone: it is back as it was."))
    else:
        messages.info(request, _("Nothing to undo: it has changed since."))
    return _back(request)


@own_application("POST")
def thank_you(request, application):
    as_of, _rules = today_and_rules(request.user)
    form = ThankYouForm(request.POST, today=as_of, application=application)
    if not form.is_valid():
        return _form_page(request, "applications/thank_you.html", application, form)
    contact = form.cleaned_data["contact"]
    added = services.thank_yous_log(
        application=application, date=form.cleaned_data["date"], contact=contact
    )
    say_recorded(request, added, thank_you_recorded_text(application, contact))
    return _back(request, application)


@own_application("GET", "POST")
def check_in(request, application):
    """Record a check-in; when the rules say it is early, warn and ask first."""
    as_of, rules = today_and_rules(request.user)
    form = CheckInForm(request.POST if request.method == "POST" else None, today=as_of)
    if request.method == "GET" or not form.is_valid():
        return _form_page(request, "applications/check_in.html", application, form)
    day = form.cleaned_data["date"]
    (row,) = selectors.application_rows(
        user=request.user, as_of=day, rules=rules, ids=[application.pk]
    )
    if checked_in_on(row, day):
        # A second click on the same check-in: already recorded, nothing to warn about.
        say_recorded(request, [], "")
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
    follow_up, created = services.follow_up_log(
        application=application,
        kind=FollowUpKind.CHECK_IN,
        date=day,
        channel=form.cleaned_data["channel"],
        note=form.cleaned_data["note"],
    )
    say_recorded(request, [follow_up] if created else [], check_in_recorded_text(application))
    return _back(request, application)


@own_application("GET", "POST")
def response(request, application):
    as_of, _rules = today_and_rules(request.user)
    form = ResponseForm(request.POST if request.method == "POST" else None, today=as_of)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        follow_up, created = services.follow_up_log(
            application=application,
            kind=FollowUpKind.RESPONSE,
            date=data["date"],
            channel=data["channel"],
            note=data["note"],
            new_decision_by=data["new_decision_by"],
            outcome=data["outcome"],
        )
        text = _("Response from %(company)s recorded.") % {"company": application.company}
        say_recorded(request, [follow_up] if created else [], text)
        return _back(request, application)
    return render(
        request,
        "applications/response.html",
        {"application": application, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@own_application("GET", "POST")
def close(request, application):
    """Close the application as the outcome the user chooses: the page asks (nothing
    chosen beforehand), the POST closes."""
    form = CloseForm(request.POST if request.method == "POST" else None, auto_id="close_%s")
    if request.method == "GET" or not form.is_valid():
        next_path = _our_page(request, request.POST.get("next") or request.GET.get("next", ""))
        return render(
            request,
            "applications/close.html",
            {"application": application, "form": form, "next": next_path},
            status=400 if request.method == "POST" else 200,
        )
    outcome = form.cleaned_data["outcome"]
    before = _states(request, [application.pk])
    services.application_close(application=application, outcome=outcome)
    _offer_state_undo(
        request,
        _("Closed %(company)s as %(outcome)s. It's in your closed applications now.")
        % {"company": application.company, "outcome": Outcome(outcome).label.lower()},
        before,
    )
    return _back(request, application)


@own_application("POST")
def reopen(request, application):
    before = _states(request, [application.pk])
    services.application_reopen(application=application)
    _offer_state_undo(
        request,
        _("Reopened %(company)s: it's back on your dashboard.") % {"company": application.company},
        before,
    )
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
    before = _states(request, [application.pk])
    services.application_snooze(application=application, until=until)
    _offer_state_undo(
        request,
        _("Snoozed %(company)s until %(date)s.")
        % {"company": application.company, "date": date_in_words(until, today=as_of)},
        before,
    )
    return _back(request, application)


@own_application("POST")
def unsnooze(request, application):
    before = _states(request, [application.pk])
    services.application_snooze(application=application, until=None)
    _offer_state_undo(
        request,
        _("Removed the snooze from %(company)s.") % {"company": application.company},
        before,
    )
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
    before = _states(request, ids)
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
    _offer_state_undo(request, text % {"count": count}, before)
    return redirect("dashboard")
