"""Spreadsheet import (CSV or Excel .xlsx) with a preview and a mapping step, and the
CSV export.

Import is three steps and saves only at the last: upload a file; see the rows as they
will be saved with what each column, status word and ambiguous date column is read as,
which the user may change ("Update the preview"); then import. Every step after the
upload posts the file's text back from a hidden field, read again with the choices
posted beside it, so what is saved is exactly what was checked, even if the page was
tampered with; and the import button saves only the reading the user saw (`shown`).
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from applications import interchange, selectors, services, spreadsheet
from applications.forms import UploadForm
from applications.middleware import accepts_uploads
from applications.models import Outcome
from applications.spreadsheet.columns import BY_KEY, DATE_KEYS, MEANINGS, stage_key
from applications.views.common import today_and_rules
from applications.views.transfer import import_message


class CsvUploadForm(UploadForm):
    """A spreadsheet file: its size is checked before it is read; `reading` holds what it
    says."""

    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV, or Excel .xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.tsv,.txt,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    help_text = gettext_lazy(
        "A CSV file or an Excel workbook (its first sheet), with the column names in the "
        "first row. Up to %(limit)s."
    )
    reading = None
    looks_like_json = False

    def __init__(self, *args, reading_options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reading_options = reading_options or {}

    def clean_file(self):
        raw = self.read_upload()
        self.reading = spreadsheet.csv_read(
            raw,
            max_applications=interchange.MAX_UPLOAD_APPLICATIONS,
            **self.reading_options,
        )
        # Read as CSV, a JSON file is one odd column: what is wrong with it says nothing
        # to the user, who chose the wrong page. (The JSON page says so the other way.)
        self.looks_like_json = bool(self.reading.errors) and looks_like_json(raw)
        if self.looks_like_json:
            raise forms.ValidationError(
                _(
                    "This file looks like a JSON file, not a spreadsheet: import a Hearback "
                    "file (JSON) from the Hearback file import instead."
                )
            )
        if self.reading.errors and not self.reading.can_map:
            raise forms.ValidationError(self.reading.errors)
        return self.cleaned_data["file"]


def looks_like_json(raw: bytes) -> bool:
    """Does an upload that is not a spreadsheet we can read start like JSON: a brace or a
    bracket first (a byte-order mark and spaces aside)?"""
    first = raw[:4096].decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    return first[:1] in ("{", "[")


def reading_options(request) -> dict:
    """What reading a file depends on, for this user: their today (no check-in after
    it), their time zone (the day of a timestamp), and whether a date column that fits
    both ways is read day-first: as the browser's first language writes dates (US
    English, and English with no country, month-first; every other, day-first)."""
    today, zone = selectors.local_today_and_zone_of(user=request.user)
    first = request.META.get("HTTP_ACCEPT_LANGUAGE", "").split(",")[0].split(";")[0]
    first = first.strip().casefold().replace("_", "-")
    return {
        "today": today,
        "zone": zone,
        "day_first": bool(first) and first not in ("en", "en-us", "*"),
    }


ORDERS = {"day": spreadsheet.DAY_FIRST, "month": spreadsheet.MONTH_FIRST}
# What a status word may be set to mean in the mapping step, as the step names it.
STAGE_CHOICES = {
    spreadsheet.OPEN: gettext_lazy("still open"),
    Outcome.REJECTED.value: gettext_lazy("rejected"),
    Outcome.WITHDRAWN.value: gettext_lazy("withdrawn"),
    Outcome.OFFER.value: gettext_lazy("offer"),
    spreadsheet.NOT_SENT: gettext_lazy("never applied: leave out"),
}


def choices_from(data) -> spreadsheet.Choices:
    """The mapping step's choices in a post: `column-<index>` (a meaning or "ignore"),
    pairs of `stage-word` and `stage-meaning`, `order-<date meaning>` ("day" or "month")
    and `skip_incomplete`. A value that is none of these is left out: the proposal
    stands, and the preview shows what was read."""
    columns, orders = {}, {}
    for name, value in data.items():
        kind, _sep, rest = name.partition("-")
        if kind == "column" and rest.isdigit() and len(rest) <= 5:
            if value == spreadsheet.IGNORE or value in BY_KEY:
                columns[int(rest)] = value
        elif kind == "order" and rest in DATE_KEYS and value in ORDERS:
            orders[rest] = ORDERS[value]
    stages = {
        stage_key(word): meaning
        for word, meaning in zip(
            data.getlist("stage-word"), data.getlist("stage-meaning"), strict=False
        )
        if meaning in STAGE_CHOICES
    }
    return spreadsheet.Choices(
        columns=columns,
        stages=stages,
        orders=orders,
        skip_incomplete=data.get("skip_incomplete") == "on",
    )


def _page(request, upload_form, *, reading=None, errors=(), notice="", status=200):
    known = set()  # the rows the user has already: skipped on saving, marked in the preview
    if reading is not None and not reading.errors:
        have = selectors.known_applications_get(user=request.user)
        known = {row.number for row in reading.rows if have.has(row.application)}
    return render(
        request,
        "applications/csv_import.html",
        {
            "form": upload_form,
            "reading": reading,
            "errors": list(errors) or (reading.errors if reading is not None else []),
            "notice": notice,
            "already_there": len(known),
            "known_rows": known,
            "new_count": len(reading.rows) - len(known) if reading is not None else 0,
            "meanings": [(meaning.key, meaning.label) for meaning in MEANINGS],
            "stage_choices": list(STAGE_CHOICES.items()),
        },
        status=status,
    )


def _save(request, reading):
    result = services.applications_import(user=request.user, document=reading.document)
    messages.success(
        request,
        import_message(
            result,
            ngettext(
                "Imported %(count)d application from your spreadsheet.",
                "Imported %(count)d applications from your spreadsheet.",
                result.applications,
            ),
        ),
    )
    return redirect("dashboard")


def _mapping_step(request):
    """A post from the preview: read the text again with the choices beside it; save it
    when the import button was pressed on this very reading, else show it again."""
    reading = spreadsheet.csv_read(
        request.POST["csv_text"],
        max_applications=interchange.MAX_UPLOAD_APPLICATIONS,
        choices=choices_from(request.POST),
        **reading_options(request),
    )
    if reading.errors:
        return _page(request, CsvUploadForm(), reading=reading, status=400)
    if request.POST.get("action", "import") != "import":
        return _page(request, CsvUploadForm(), reading=reading)
    shown = request.POST.get("shown")
    if shown is not None and shown != reading.signature:
        return _page(
            request,
            CsvUploadForm(),
            reading=reading,
            notice=_(
                "You changed how the file is read, so nothing was saved yet: check the "
                "rows below as they are now, then import."
            ),
        )
    if reading.blocked:
        return _page(
            request,
            CsvUploadForm(),
            reading=reading,
            notice=_(
                "Nothing was saved: some rows miss what an application needs. Fix them in "
                "your file, or tick “Leave them out” and import the rest."
            ),
            status=400,
        )
    return _save(request, reading)


@accepts_uploads  # a signed-in user's post may be larger than other pages'
@require_http_methods(["GET", "POST"])
def csv_import(request):
    """GET: the upload form. POST a file: the preview and mapping step (400 with every
    error). POST from the preview: update it, or save it all in one transaction and go to
    the dashboard."""
    if request.method == "GET":
        return _page(request, CsvUploadForm())
    if "csv_text" in request.POST:
        return _mapping_step(request)
    form = CsvUploadForm(request.POST, request.FILES, reading_options=reading_options(request))
    if not form.is_valid():
        return _page(request, form, errors=form.errors.get("file", []), status=400)
    status = 400 if form.reading.errors else 200
    return _page(request, CsvUploadForm(), reading=form.reading, status=status)


@require_GET
def csv_export(request):
    """Every application of the user, with its status today, as a CSV download."""
    as_of, rules = today_and_rules(request.user)
    response = HttpResponse(
        spreadsheet.csv_export(user=request.user, as_of=as_of, rules=rules),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="hearback-applications-{as_of.isoformat()}.csv"'
    )
    return response
