"""Drafted notes (being built)."""

from django.http import Http404


def draft(request, pk, kind):
    raise Http404


def draft_sent(request, pk, kind):
    raise Http404
