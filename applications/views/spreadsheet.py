"""Spreadsheet (CSV) import with a preview, and the CSV export.

Import is three steps and saves only at the last: upload a file, see the rows as they
will be saved (or every bad row, and nothing saved), then confirm. The confirm button
posts the file's text back from a hidden field and it is read again before saving, so
what is saved is exactly what was checked, even if the page was tampered with.
"""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from applications import interchange, selectors, services, spreadsheet
from applications.forms import UploadForm
from applications.middleware import accepts_uploads
from applications.views.common import today_and_rules
from applications.views.transfer import import_message


class CsvUploadForm(UploadForm):
    """A CSV file: its size is checked before it is read; `reading` holds what it says."""

    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    help_text = gettext_lazy(
        "Saved from your spreadsheet as CSV (UTF-8), with the column names in the first "
        "row. Up to %(limit)s."
    )
    reading = None

    def __init__(self, *args, reading_options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reading_options = reading_options or {}

    def clean_file(self):
        self.reading = spreadsheet.csv_read(
            self.read_upload(),
            max_applications=interchange.MAX_UPLOAD_APPLICATIONS,
            **self.reading_options,
        )
        if self.reading.errors:
            raise forms.ValidationError(self.reading.errors)
        return self.cleaned_data["file"]


class CsvConfirmForm(forms.Form):
    """The previewed file's text, sent back by the confirm button and read again."""

    csv_text = forms.CharField(widget=forms.HiddenInput, strip=False)

    def __init__(self, *args, reading_options=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.reading = None
        self.reading_options = reading_options or {}

    def clean_csv_text(self):
        text = self.cleaned_data["csv_text"]
        self.reading = spreadsheet.csv_read(
            text, max_applications=interchange.MAX_UPLOAD_APPLICATIONS, **self.reading_options
        )
        if self.reading.errors:
            raise forms.ValidationError(self.reading.errors)
        return text


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


def _page(request, upload_form, *, reading=None, errors=(), status=200):
    confirm_form = None
    known = 0
    if reading is not None and not errors:
        confirm_form = CsvConfirmForm(initial={"csv_text": reading.text})
        # Those the user has already are skipped on saving: the preview says how many.
        have = selectors.known_applications_get(user=request.user)
        known = sum(1 for app in reading.document.applications if have.has(app))
    return render(
        request,
        "applications/csv_import.html",
        {
            "form": upload_form,
            "reading": reading,
            "errors": errors,
            "confirm_form": confirm_form,
            "already_there": known,
        },
        status=status,
    )


@accepts_uploads  # a signed-in user's post may be larger than other pages'
@require_http_methods(["GET", "POST"])
def csv_import(request):
    """GET: the upload form. POST a file: the preview (400 with every error). POST the
    confirm button: save it all in one transaction and go to the dashboard."""
    if request.method == "GET":
        return _page(request, CsvUploadForm())
    if "csv_text" in request.POST:
        confirm = CsvConfirmForm(request.POST, reading_options=reading_options(request))
        if not confirm.is_valid():
            return _page(request, CsvUploadForm(), errors=confirm.errors["csv_text"], status=400)
        result = services.applications_import(user=request.user, document=confirm.reading.document)
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
    form = CsvUploadForm(request.POST, request.FILES, reading_options=reading_options(request))
    if not form.is_valid():
        return _page(request, form, errors=form.errors.get("file", []), status=400)
    return _page(request, CsvUploadForm(), reading=form.reading)


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
