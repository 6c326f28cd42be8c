"""The pages a job seeker reads: the dashboard and an application's page."""

from django.shortcuts import render

from applications import selectors


def _today_and_rules(user):
    prefs = selectors.preferences_get(user=user)
    return selectors.local_today(prefs=prefs), selectors.rules_from(prefs)


def dashboard(request):
    as_of, rules = _today_and_rules(request.user)
    rows = selectors.application_rows(user=request.user, as_of=as_of, rules=rules)
    return render(
        request,
        "applications/dashboard.html",
        {
            "as_of": as_of,
            "active_rows": [row for row in rows if row.status.is_active],
            "closed_rows": [row for row in rows if row.status.is_closed],
        },
    )


def application_detail(request, pk):
    application = selectors.application_get(user=request.user, pk=pk)
    as_of, rules = _today_and_rules(request.user)
    (row,) = selectors.application_rows(
        user=request.user, as_of=as_of, rules=rules, ids=[application.pk]
    )
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "row": row,
            "interviews": application.interviews.prefetch_related("contacts"),
            "follow_ups": application.follow_ups.select_related("contact"),
            "contacts": application.contacts.all(),
        },
    )
