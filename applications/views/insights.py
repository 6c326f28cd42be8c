"""Insights in pictures (being built)."""

from django.http import Http404


def insights(request):
    raise Http404
