"""Recording: a new application with its first interview, a later round, edits, deletion."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applications import selectors, services
from applications.forms import (
    AddInterviewForm,
    ApplicationForm,
    InterviewForm,
    PeopleFormSet,
    SubmissionForm,
    new_contacts,
)
from applications.timing import Timing
from applications.views.common import own_application, today_and_rules


def _already_saved(request, application):
    messages.info(request, _("This form was already saved; here is what it recorded."))
    return redirect("application_detail", pk=application.pk)


def _no_timeline_hint(request, interview_form):
    timing = interview_form.cleaned_data.get("timeline")
    if timing == Timing.NONE:
        messages.info(
            request,
            _(
                "Next time, before you leave, ask about the next steps and when they "
                "expect to decide: a date makes following up much easier."
            ),
        )
    elif timing == Timing.NOT_ASKED:
        messages.info(
            request,
            _(
                "At the interview, ask when they expect to decide, then record what they "
                "said: it tells you when to follow up."
            ),
        )


@require_http_methods(["GET", "POST"])
def application_new(request):
    as_of, _rules = today_and_rules(request.user)
    data = request.POST if request.method == "POST" else None
    initial = {
        "applied_on": as_of,
        "company": request.GET.get("company", "")[:200],
        "role": request.GET.get("role", "")[:200],
        "posting_url": request.GET.get("url", "")[:2000],
    }
    application_form = ApplicationForm(data, initial=initial, prefix="application", today=as_of)
    interview_form = InterviewForm(data, prefix="interview", optional=True, today=as_of)
    people = PeopleFormSet(data, prefix="people")
    submission_form = SubmissionForm(data)
    if data is not None and all(
        [
            application_form.is_valid(),
            interview_form.is_valid(),
            people.is_valid(),
            submission_form.is_valid(),
        ]
    ):
        fields = application_form.cleaned_data
        interview = None
        if interview_form.has_interview():
            interview = interview_form.to_new_interview(new_contacts=new_contacts(people))
        application, created = services.application_record(
            user=request.user,
            company=fields["company"],
            role=fields["role"],
            applied_on=fields["applied_on"],
            posting_url=fields["posting_url"],
            notes=fields["notes"],
            details=application_form.to_details(),
            interview=interview,
            submission=submission_form.cleaned_data["submission"],
        )
        if not created:
            return _already_saved(request, application)
        messages.success(request, _("Saved %(company)s.") % {"company": application.company})
        if interview is not None:
            _no_timeline_hint(request, interview_form)
        return redirect("application_detail", pk=application.pk)
    return render(
        request,
        "applications/application_form.html",
        {
            "application_form": application_form,
            "interview_form": interview_form,
            "people": people,
            "submission_form": submission_form,
        },
        status=400 if data is not None else 200,
    )


@own_application("GET", "POST")
def interview_new(request, application):
    as_of, _rules = today_and_rules(request.user)
    data = request.POST if request.method == "POST" else None
    form = AddInterviewForm(data, prefix="interview", application=application, today=as_of)
    people = PeopleFormSet(data, prefix="people")
    submission_form = SubmissionForm(data)
    if data is not None and all([form.is_valid(), people.is_valid(), submission_form.is_valid()]):
        existing = [contact.pk for contact in form.cleaned_data.get("existing_people") or []]
        try:
            _round, created = services.interview_add(
                application=application,
                interview=form.to_new_interview(
                    new_contacts=new_contacts(people), existing_contact_ids=existing
                ),
                submission=submission_form.cleaned_data["submission"],
            )
        except ValidationError as error:  # more people than an application or interview has
            form.add_error(None, error)
        else:
            if not created:
                return _already_saved(request, application)
            messages.success(request, _("Interview saved."))
            _no_timeline_hint(request, form)
            return redirect("application_detail", pk=application.pk)
    return render(
        request,
        "applications/interview_form.html",
        {
            "application": application,
            "first": not selectors.application_has_interview(application=application),
            "interview_form": form,
            "people": people,
            "submission_form": submission_form,
        },
        status=400 if data is not None else 200,
    )


@own_application("GET", "POST")
def application_edit(request, application):
    as_of, _rules = today_and_rules(request.user)
    data = request.POST if request.method == "POST" else None
    form = ApplicationForm(data, instance=application, today=as_of)
    if request.method == "POST" and form.is_valid():
        fields = form.cleaned_data
        services.application_update(
            application=application,
            company=fields["company"],
            role=fields["role"],
            applied_on=fields["applied_on"],
            posting_url=fields["posting_url"],
            notes=fields["notes"],
            details=form.to_details(),
        )
        messages.success(request, _("Changes saved."))
        return redirect("application_detail", pk=application.pk)
    return render(
        request,
        "applications/application_edit.html",
        {"application": application, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@own_application("GET", "POST")
def application_delete(request, application):
    if request.method == "POST":
        company = application.company
        services.application_delete(application=application)
        messages.success(
            request,
            _("Deleted %(company)s and everything recorded with it.") % {"company": company},
        )
        return redirect("dashboard")
    return render(request, "applications/application_delete.html", {"application": application})
