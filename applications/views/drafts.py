"""Drafted notes: a page per kind (thank-you, check-in, timeline question) with the text
to copy or open in the mail program, and "mark as sent", which records the follow-up.

Sending a note is a follow-up, so "mark as sent" records one dated the user's today:
a thank-you (to the person it was addressed to) for `thank_you`; a check-in for
`check_in` and also for `timeline`, because asking for their timeline is contact the
company has to answer, and the rules space check-ins out whatever they ask.
"""

import functools

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications import drafts, selectors, services
from applications import status as engine
from applications.models import FollowUpKind, ResponseOutcome
from applications.views.actions import (
    check_in_recorded_text,
    say_recorded,
    thank_you_recorded_text,
)
from applications.views.common import checked_in_on, own_application, today_and_rules

TITLES = {
    drafts.THANK_YOU: gettext_lazy("Thank-you note"),
    drafts.CHECK_IN: gettext_lazy("Check-in"),
    drafts.TIMELINE: gettext_lazy("Ask about their timeline"),
}
# What "mark as sent" records for each kind of draft (see the module docstring).
RECORDED_AS = {
    drafts.THANK_YOU: FollowUpKind.THANK_YOU,
    drafts.CHECK_IN: FollowUpKind.CHECK_IN,
    drafts.TIMELINE: FollowUpKind.CHECK_IN,
}


def _own_application_and_kind(*methods):
    """`own_application` for URLs that also name a draft kind: the application is
    fetched first, so a stranger gets 404 whatever the kind; an unknown kind is 404 too."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, pk, kind):
            @own_application(*methods)
            def with_application(request, application):
                if kind not in drafts.KINDS:
                    raise Http404
                return view(request, application, kind)

            return with_application(request, pk)

        return wrapper

    return decorator


def _chosen_contact(request, contacts):
    """The person `?contact=<id>` names among `contacts` (the application's own), None
    when not given; any other id, including another application's person, is 404."""
    raw = request.GET.get("contact", "")
    if not raw:
        return None
    for contact in contacts:
        if str(contact.pk) == raw:
            return contact
    raise Http404


def _default_contact(kind, contacts, met, owed):
    """Who a draft goes to when the user did not pick: for a thank-you the first person
    still owed one, then the first person met at the interview, then anyone recorded."""
    by_id = {contact.pk: contact for contact in contacts}
    if kind == drafts.THANK_YOU:
        for contact_id in owed:
            if contact_id in by_id:
                return by_id[contact_id]
    return (met or contacts or [None])[0]


def _what_they_said(interview, facts, as_of) -> dict:
    """What a draft may quote them on (`drafts.DraftFacts` fields): an offer on its way,
    when their latest response since the interview said so; else the latest date (or
    range) they gave for a decision: a response's new date given since the interview
    wins over what was said at the interview, which comes with the words they used.
    Courtesy replies said nothing. Ties on one date go to the one recorded later."""
    since = interview.date if interview is not None else facts.applied_on
    responses = sorted(
        (
            follow_up
            for follow_up in facts.follow_ups
            if follow_up.kind == FollowUpKind.RESPONSE
            and follow_up.outcome != ResponseOutcome.COURTESY
            and since <= follow_up.date <= as_of
        ),
        key=lambda follow_up: (follow_up.date, follow_up.recorded),
    )
    if responses and responses[-1].outcome == ResponseOutcome.OFFER_COMING:
        return {"offer_said_on": responses[-1].date, "offer_by": responses[-1].new_decision_by}
    new_dates = [
        follow_up.new_decision_by
        for follow_up in responses
        if follow_up.new_decision_by is not None
    ]
    if new_dates:
        return {"decision_by": new_dates[-1]}
    if interview is None:
        return {}
    return {
        "decision_from": interview.decision_from,
        "decision_by": interview.decision_by,
        "timing": interview.timing,
    }


def _check_ins_before(interview, facts, as_of) -> dict:
    """How many check-ins the user already sent about it (since the interview the note
    is about, or since applying), and the latest one's date: a second note says so."""
    since = interview.date if interview is not None else facts.applied_on
    sent = [
        follow_up.date
        for follow_up in facts.follow_ups
        if follow_up.kind == FollowUpKind.CHECK_IN and since <= follow_up.date <= as_of
    ]
    return {"check_ins_before": len(sent), "last_check_in_on": max(sent, default=None)}


@_own_application_and_kind("GET", "HEAD")
def draft(request, application, kind):
    as_of, rules = today_and_rules(request.user)
    sources = selectors.draft_sources_get(
        user=request.user, application=application, as_of=as_of, rules=rules
    )
    # The interview the note is about: the latest so far (none yet: the application).
    row, contacts, interview = sources.row, sources.contacts, sources.interview
    met = list(interview.contacts.all()) if interview is not None else []
    contact = _chosen_contact(request, contacts) or _default_contact(
        kind, contacts, met, row.status.thank_you_owed
    )
    # The name the user gave to sign notes, else their account's.
    signature = (
        selectors.preferences_get(user=request.user).signature_name.strip()
        or request.user.get_full_name()
    )
    note = drafts.draft_compose(
        kind=kind,
        facts=drafts.DraftFacts(
            company=application.company,
            role=application.role,
            applied_on=application.applied_on,
            as_of=as_of,
            person=contact.name if contact else "",
            interview_on=interview.date if interview else None,
            sender=signature,
            **_check_ins_before(interview, row.facts, as_of),
            **_what_they_said(interview, row.facts, as_of),
        ),
    )
    sent_url = reverse("draft_sent", args=[application.pk, kind])
    if contact is not None:
        sent_url += "?" + urlencode({"contact": contact.pk})
    early = RECORDED_AS[kind] == FollowUpKind.CHECK_IN and engine.is_early_check_in(
        row.facts, rules, as_of
    )
    return render(
        request,
        "applications/draft.html",
        {
            "application": application,
            "kind": kind,
            "title": TITLES[kind],
            "kinds": [(other, TITLES[other]) for other in drafts.KINDS],
            "draft": note,
            "contact": contact,
            "contacts": contacts,
            "interview": interview,
            "mailto": drafts.mailto_url(
                email=contact.email if contact else "", subject=note.subject, body=note.body
            ),
            "sent_url": sent_url,
            "records_thank_you": RECORDED_AS[kind] == FollowUpKind.THANK_YOU,
            "early_reason": row.status.reason if early else "",
            "unsigned": not signature,
            "as_of": as_of,
        },
    )


@_own_application_and_kind("POST")
def draft_sent(request, application, kind):
    """Record the note as a follow-up dated the user's today, then back to the page.
    A second click records nothing new: `follow_up_log` returns the one already there,
    and a check-in already recorded that day (from here or "I checked in") is the same."""
    as_of, rules = today_and_rules(request.user)
    sources = selectors.draft_sources_get(
        user=request.user, application=application, as_of=as_of, rules=rules
    )
    contact = _chosen_contact(request, sources.contacts)
    recorded_kind = RECORDED_AS[kind]
    if recorded_kind == FollowUpKind.THANK_YOU:
        added = services.thank_yous_log(application=application, date=as_of, contact=contact)
    elif checked_in_on(sources.row, as_of):
        added = []
    else:
        follow_up, created = services.follow_up_log(
            application=application,
            kind=recorded_kind,
            date=as_of,
            channel="email",
            contact=contact,
        )
        added = [follow_up] if created else []
    if recorded_kind == FollowUpKind.THANK_YOU:
        text = thank_you_recorded_text(application, contact)
    elif kind == drafts.TIMELINE:
        text = _(
            "Your question to %(company)s about their timeline is recorded as a check-in. "
            "Now give them time to answer."
        ) % {"company": application.company}
    else:
        text = check_in_recorded_text(application)
    # With an Undo, as every one-click action; "already recorded" when it was.
    say_recorded(request, added, text)
    return redirect("application_detail", pk=application.pk)
