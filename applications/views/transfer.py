"""Export download and import upload pages (hearback/v1, docs/data-format.md)."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from applications import interchange, selectors, services
from applications.forms import UploadForm
from applications.middleware import accepts_uploads


@require_GET
def export_download(request):
    """The user's export as a file named after their local today."""
    prefs = selectors.preferences_get(user=request.user)
    as_of = selectors.local_today(prefs=prefs)
    document = interchange.export_document(user=request.user, as_of=as_of)
    response = HttpResponse(interchange.dumps(document), content_type="application/json")
    response["Content-Disposition"] = (
        f'attachment; filename="hearback-export-{as_of.isoformat()}.json"'
    )
    return response


class ImportForm(UploadForm):
    """A hearback/v1 file: its size is checked before it is read, then the whole
    document is validated; `document` holds it once the form is valid."""

    file = forms.FileField(
        label=gettext_lazy("Hearback file (JSON)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    help_text = gettext_lazy("A hearback/v1 file, such as one you exported. Up to %(limit)s.")
    document = None
    looks_like_csv = False

    def clean_file(self):
        raw = self.read_upload()
        self.document, errors = interchange.load_document(
            raw,
            max_applications=interchange.MAX_UPLOAD_APPLICATIONS,
            max_contents=interchange.MAX_UPLOAD_CONTENTS,
        )
        self.looks_like_csv = bool(errors) and looks_like_a_spreadsheet(raw)
        if self.looks_like_csv:
            errors = [
                _(
                    "This file looks like a spreadsheet (CSV or Excel), not a Hearback file: "
                    "import it from the spreadsheet import instead."
                ),
                *errors,
            ]
        if errors:
            raise forms.ValidationError(errors)
        return self.cleaned_data["file"]


def looks_like_a_spreadsheet(raw: bytes) -> bool:
    """Does an upload that is not JSON start like a spreadsheet: an Excel workbook (a zip
    with xl/ inside), or CSV, a first line of names between commas, semicolons or tabs,
    no brace or bracket?"""
    if raw.startswith(b"PK\x03\x04") and b"xl/" in raw[:65536]:
        return True
    first = raw[:4096].decode("utf-8", "replace").lstrip("\ufeff \r\n").split("\n", 1)[0]
    return bool(first) and first[0] not in "{[" and any(mark in first for mark in ",;\t")


def import_message(result: services.ImportResult, imported: str) -> str:
    """What an import did: `imported` (an ngettext pair's text for the count saved), and
    how many were already there ("18 already in Hearback were left as they are.")."""
    if result.applications == 0 and result.already_there:
        return _("Nothing new: every application in the file is already in Hearback.")
    text = imported % {"count": result.applications}
    if result.already_there:
        text += " " + ngettext(
            "%(count)d already in Hearback was left as it is.",
            "%(count)d already in Hearback were left as they are.",
            result.already_there,
        ) % {"count": result.already_there}
    return text


@accepts_uploads  # a signed-in user's post may be larger than other pages'
@require_http_methods(["GET", "POST"])
def import_upload(request):
    """GET: the upload form. POST: import it all, or nothing and every error (400)."""
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = services.applications_import(user=request.user, document=form.document)
            messages.success(
                request,
                import_message(
                    result,
                    ngettext(
                        "Imported %(count)d application.",
                        "Imported %(count)d applications.",
                        result.applications,
                    ),
                ),
            )
            return redirect("dashboard")
        return render(request, "applications/import.html", {"form": form}, status=400)
    return render(request, "applications/import.html", {"form": ImportForm()})
