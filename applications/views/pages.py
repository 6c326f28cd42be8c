"""The pages a job seeker reads: the dashboard, closed applications, one application."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from applications import selectors
from applications.forms import (
    BulkActionForm,
    CheckInForm,
    CloseForm,
    ResponseForm,
    SnoozeForm,
)
from applications.timeline import application_timeline
from applications.views.dashboard_rows import ROWS_SLOT, dashboard_rows_html, fill_rows_slots
from applications.views.common import own_application, today_and_rules


@require_GET
def dashboard(request):
    as_of, rules = today_and_rules(request.user)
    board = selectors.dashboard_get(user=request.user, as_of=as_of, rules=rules)
    token = get_token(request)
    sections = board.sections
    html = render_to_string(
        "applications/dashboard.html",
        {
            "board": board,
            "sections": sections,
            "rows_slot": ROWS_SLOT,
            "bulk_form": BulkActionForm(application_ids=[]),
            "close_form": CloseForm(),
        },
        request,
    )
    # The template leaves a slot for the rows of each section that has rows.
    rows_html = [
        dashboard_rows_html(section["rows"], as_of=as_of, csrf_token=token, next_path=request.path)
        for section in sections
        if section["rows"]
    ]
    return HttpResponse(fill_rows_slots(html, rows_html))


@require_GET
def closed_list(request):
    as_of, rules = today_and_rules(request.user)
    rows = selectors.closed_rows(user=request.user, as_of=as_of, rules=rules)
    return render(request, "applications/closed.html", {"rows": rows})


@own_application("GET", "HEAD")
def application_detail(request, application):
    as_of, rules = today_and_rules(request.user)
    page = selectors.application_page_get(application=application, as_of=as_of, rules=rules)
    status = page.status
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "status": status,
            "next_label": page.next_label,
            "timeline": application_timeline(application=application, status=status, as_of=as_of),
            "as_of": as_of,
            "owed": set(status.thank_you_owed),
            "contacts": list(application.contacts.all()),
            # Four forms on one page: distinct ids, the same field names.
            "check_in_form": CheckInForm(today=as_of, auto_id="check_in_%s"),
            "response_form": ResponseForm(today=as_of, auto_id="response_%s"),
            "close_form": CloseForm(auto_id="close_%s"),
            "snooze_form": SnoozeForm(today=as_of, auto_id="snooze_%s"),
        },
    )
