"""Spreadsheet (CSV) import and export (being built)."""

from django.http import Http404


def csv_import(request):
    raise Http404


def csv_export(request):
    raise Http404
