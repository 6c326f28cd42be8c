"""Correcting what was recorded: an interview, a person, a thank-you, check-in or
response, each edited or deleted from the application's page. Deleting asks first. The
status and the timeline follow at once: they are worked out from what is recorded."""

import functools

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from applications import selectors, services
from applications.forms import (
    ContactForm,
    FollowUpEditForm,
    InterviewEditForm,
    InterviewTimingForm,
    PeopleFormSet,
    new_contacts,
)
from applications.humanize import date_in_words
from applications.views.common import own_application, today_and_rules


def own_part(part: str, *methods):
    """`own_application` for URLs that also name one of its `part`s ("interviews",
    "contacts", "follow_ups") by id (`interview_pk`, `contact_pk`, `follow_up_pk`): the
    application is fetched first, so anyone else gets 404 whatever the rest; another
    application's part is 404 too."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, pk, **part_pk):
            application = selectors.application_get(user=request.user, pk=pk)
            (item,) = part_pk.values()
            found = selectors.application_part_get(application=application, part=part, pk=item)
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, application, found)

        return wrapper

    return decorator


def _back(application):
    return redirect("application_detail", pk=application.pk)


def _confirm(request, application, *, question, consequence, button):
    """The page that asks before deleting."""
    return render(
        request,
        "applications/confirm_delete.html",
        {
            "application": application,
            "question": question,
            "consequence": consequence,
            "button": button,
        },
    )


# ----------------------------------------------------------------------------------------
# Interviews


@own_part("interviews", "GET", "POST")
def interview_edit(request, application, interview):
    as_of, _rules = today_and_rules(request.user)
    data = request.POST if request.method == "POST" else None
    form = InterviewEditForm(data, prefix="interview", interview=interview, today=as_of)
    people = PeopleFormSet(data, prefix="people")
    if data is not None and form.is_valid() and people.is_valid():
        kept = [contact.pk for contact in form.cleaned_data.get("existing_people") or []]
        try:
            services.interview_update(
                interview=interview,
                changes=form.to_new_interview(new_contacts=new_contacts(people)),
                contact_ids=kept,
            )
        except ValidationError as error:  # more people than an application or interview has
            form.add_error(None, error)
        else:
            messages.success(request, _("Interview corrected."))
            return _back(application)
    return render(
        request,
        "applications/interview_edit.html",
        {"application": application, "interview_form": form, "people": people},
        status=400 if data is not None else 200,
    )


@own_part("interviews", "POST")
def interview_timing(request, application, interview):
    """The answer to the dashboard's question after an interview recorded ahead of time:
    what they said about timing. Back to the dashboard, saying what it means."""
    as_of, _rules = today_and_rules(request.user)
    form = InterviewTimingForm(request.POST, interview=interview, today=as_of)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("dashboard")
    data = form.cleaned_data
    services.interview_timing_record(
        interview=interview,
        timing=data["timeline"],
        decision_from=data["decision_from"],
        decision_by=data["decision_by"],
    )
    messages.success(
        request,
        _("Saved what %(company)s said about timing.") % {"company": application.company},
    )
    return redirect("dashboard")


@own_part("interviews", "GET", "POST")
def interview_delete(request, application, interview):
    as_of, _rules = today_and_rules(request.user)
    day = date_in_words(interview.date, today=as_of)
    if request.method == "POST":
        services.interview_delete(interview=interview)
        messages.success(request, _("Deleted the interview of %(day)s.") % {"day": day})
        return _back(application)
    return _confirm(
        request,
        application,
        question=_("Delete the interview of %(day)s?") % {"day": day},
        consequence=_(
            "What they said about timing goes with it; the people you met stay on the application."
        ),
        button=_("Delete the interview"),
    )


# ----------------------------------------------------------------------------------------
# People


@own_application("GET", "POST")
def person_new(request, application):
    return _person_form(request, application, contact=None)


@own_part("contacts", "GET", "POST")
def person_edit(request, application, contact):
    return _person_form(request, application, contact=contact)


def _person_form(request, application, *, contact):
    """Add a person (`contact` None) or correct one: the same form and page."""
    form = ContactForm(request.POST if request.method == "POST" else None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            if contact is None:
                added = services.contact_add(application=application, person=form.to_new_contact())
                messages.success(request, _("Added %(name)s.") % {"name": added.name})
            else:
                services.contact_update(contact=contact, person=form.to_new_contact())
                messages.success(request, _("Saved %(name)s.") % {"name": contact.name})
        except ValidationError as error:  # the application has as many people as it may
            form.add_error(None, error)
        else:
            return _back(application)
    return render(
        request,
        "applications/person_form.html",
        {"application": application, "form": form, "contact": contact},
        status=400 if request.method == "POST" else 200,
    )


@own_part("contacts", "GET", "POST")
def person_delete(request, application, contact):
    if request.method == "POST":
        services.contact_delete(contact=contact)
        messages.success(request, _("Removed %(name)s.") % {"name": contact.name})
        return _back(application)
    return _confirm(
        request,
        application,
        question=_("Remove %(name)s?") % {"name": contact.name},
        consequence=_(
            "They leave the interviews they were at; the notes you sent them stay, "
            "addressed to nobody in particular."
        ),
        button=_("Remove"),
    )


# ----------------------------------------------------------------------------------------
# Thank-yous, check-ins, responses


@own_part("follow_ups", "GET", "POST")
def follow_up_edit(request, application, follow_up):
    as_of, _rules = today_and_rules(request.user)
    data = request.POST if request.method == "POST" else None
    form = FollowUpEditForm(data, follow_up=follow_up, today=as_of)
    if data is not None and form.is_valid():
        fields = form.cleaned_data
        services.follow_up_update(
            follow_up=follow_up,
            kind=fields["kind"],
            date=fields["date"],
            channel=fields["channel"],
            contact=fields["contact"],
            note=fields["note"],
            new_decision_by=fields["new_decision_by"],
            outcome=fields["outcome"],
        )
        messages.success(request, _("Corrected."))
        return _back(application)
    return render(
        request,
        "applications/follow_up_edit.html",
        {"application": application, "form": form, "follow_up": follow_up},
        status=400 if data is not None else 200,
    )


@own_part("follow_ups", "GET", "POST")
def follow_up_delete(request, application, follow_up):
    as_of, _rules = today_and_rules(request.user)
    what = _("%(kind)s of %(day)s") % {
        "kind": follow_up.get_kind_display().lower(),
        "day": date_in_words(follow_up.date, today=as_of),
    }
    if request.method == "POST":
        services.follow_up_delete(follow_up=follow_up)
        messages.success(request, _("Deleted the %(what)s.") % {"what": what})
        return _back(application)
    return _confirm(
        request,
        application,
        question=_("Delete the %(what)s?") % {"what": what},
        consequence=_("The status is worked out again without it."),
        button=_("Delete"),
    )
