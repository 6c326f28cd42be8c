"""Insights, in pictures: the user's applications per week, how companies get back to
them, and how their check-ins are answered. Read only."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from applications import selectors
from applications.views.common import today_and_rules


@require_GET
def insights(request):
    as_of, rules = today_and_rules(request.user)
    figures = selectors.insights_get(user=request.user, as_of=as_of, rules=rules)
    return render(request, "applications/insights.html", {"insights": figures})
