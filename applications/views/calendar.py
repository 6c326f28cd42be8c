"""The calendar feed (being built)."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404


@login_not_required
def calendar_feed(request, token):
    raise Http404


def calendar_regenerate(request):
    raise Http404


def calendar_revoke(request):
    raise Http404
