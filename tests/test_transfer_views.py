"""The export download (/export.json) and the import upload page (/import/)."""

import io
import json

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import interchange, selectors
from applications.models import Application, Contact, FollowUp, Interview
from tests.factories import PreferencesFactory, full_application
from tests.test_interchange import spec_example

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("export_download")
IMPORT_URL = reverse("import_upload")


def upload(client, content, name="hearback.json"):
    raw = content if isinstance(content, bytes) else json.dumps(content).encode()
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, raw, "application/json")})


def counts():
    return (
        Application.objects.count(),
        Contact.objects.count(),
        Interview.objects.count(),
        FollowUp.objects.count(),
    )


# ----------------------------------------------------------------------------------------
# Export


def test_export_is_a_json_attachment_named_after_the_users_today(owner, owner_client):
    PreferencesFactory(user=owner, time_zone="Pacific/Kiritimati")  # UTC+14: often "tomorrow"
    full_application(owner, company="Mine")

    response = owner_client.get(EXPORT_URL)

    today = selectors.local_today(prefs=selectors.preferences_get(user=owner))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="hearback-export-{today.isoformat()}.json"'
    )
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content.decode("utf-8"))
    assert document["format"] == "hearback/v1"
    assert [app["company"] for app in document["applications"]] == ["Mine"]
    assert document["applications"][0]["status"]["as_of"] == today.isoformat()


def test_export_holds_only_the_logged_in_users_data(owner, stranger, client):
    full_application(owner, company="Owner Inc")
    full_application(stranger, company="Stranger Ltd")
    client.force_login(stranger)

    response = client.get(EXPORT_URL)

    body = response.content.decode("utf-8")
    assert [app["company"] for app in json.loads(body)["applications"]] == ["Stranger Ltd"]
    assert "Owner Inc" not in body


def test_export_of_an_empty_account_is_valid_and_empty(owner_client):
    document = json.loads(owner_client.get(EXPORT_URL).content)
    assert document["applications"] == []


def test_export_keeps_unicode_as_utf8(owner, owner_client):
    full_application(owner, company="Zürich 東京")
    response = owner_client.get(EXPORT_URL)
    assert "Zürich 東京".encode() in response.content


def test_export_answers_get_only(owner_client):
    assert owner_client.post(EXPORT_URL).status_code == 405


@pytest.mark.parametrize("url", [EXPORT_URL, IMPORT_URL])
def test_login_is_required(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_upload_with_too_many_applications_is_refused_unsaved(owner_client, monkeypatch):
    monkeypatch.setattr(interchange, "MAX_UPLOAD_APPLICATIONS", 1)
    document = spec_example()
    document["applications"] *= 2

    response = upload(owner_client, document)

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "applications: this file holds 2 applications; one upload takes at most 1. Split "
        "it into smaller files, or ask whoever runs this Hearback to import it with the "
        "import_applications command."
    ]
    assert counts() == (0, 0, 0, 0)


def test_an_anonymous_upload_saves_nothing(client):
    response = upload(client, spec_example())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert counts() == (0, 0, 0, 0)


# ----------------------------------------------------------------------------------------
# Import page


def test_the_import_page_has_a_labelled_file_field_and_states_the_limit(owner_client, settings):
    settings.HEARBACK_MAX_IMPORT_BYTES = 5 * 1024 * 1024

    response = owner_client.get(IMPORT_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_file">' in html
    assert 'type="file" name="file"' in html
    assert 'aria-describedby="id_file_helptext"' in html
    assert "Up to 5.0\xa0MB." in html
    assert "Nothing was imported" not in html


def test_a_good_file_is_imported_and_the_user_sent_to_the_dashboard(owner, owner_client, stranger):
    document = spec_example()
    document["applications"].append(
        {"company": "Globex", "role": "SRE", "applied_on": "2026-11-05"}
    )

    response = upload(owner_client, document)

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Imported 2 applications."]
    assert sorted(Application.objects.filter(owner=owner).values_list("company", flat=True)) == [
        "Acme",
        "Globex",
    ]
    assert not Application.objects.filter(owner=stranger).exists()


def test_import_adds_to_what_the_user_has(owner, owner_client):
    full_application(owner, company="Already here")
    upload(owner_client, spec_example())
    assert Application.objects.filter(owner=owner).count() == 2


def test_an_exported_file_uploads_into_another_account_unchanged(owner, stranger, client):
    full_application(owner, company="Moving over")
    client.force_login(owner)
    exported = client.get(EXPORT_URL).content
    client.force_login(stranger)

    response = upload(client, exported)

    assert response.status_code == 302
    again = json.loads(client.get(EXPORT_URL).content)
    first = json.loads(exported)
    assert again["applications"] == first["applications"]


def test_every_error_is_listed_with_its_path_and_nothing_saved(owner, owner_client):
    full_application(owner)
    before = counts()
    document = spec_example()
    document["applications"][0]["interviews"][0]["date"] = "20 Nov"
    document["applications"].append({"company": "Globex", "role": "", "applied_on": "2026-11-05"})

    response = upload(owner_client, document)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported" in html
    assert 'role="alert"' in html
    assert "applications[0].interviews[0].date: not a date" in html
    assert "applications[1].role: may not be blank" in html
    assert 'aria-invalid="true"' in html
    assert counts() == before


def test_a_file_that_is_not_json_is_refused_with_the_line_and_column(owner_client):
    response = upload(
        owner_client, b"company,role,applied_on\nAcme,Engineer,2026-11-02\n", "apps.csv"
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "line 1, column 1: this is not valid JSON" in html
    assert counts() == (0, 0, 0, 0)


def test_a_file_over_the_limit_is_refused_before_it_is_parsed(owner_client, settings):
    settings.HEARBACK_MAX_IMPORT_BYTES = 100
    raw = json.dumps(spec_example()).encode()

    response = upload(owner_client, raw)

    html = response.content.decode()
    assert response.status_code == 400
    assert f"This file is {len(raw)}\xa0bytes; the largest file we accept is 100\xa0bytes." in html
    assert counts() == (0, 0, 0, 0)


def test_a_post_without_a_file_is_refused(owner_client):
    response = owner_client.post(IMPORT_URL, {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_an_empty_application_list_imports_zero(owner_client):
    response = upload(owner_client, {"format": "hearback/v1", "applications": []})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Imported 0 applications."]


def test_the_same_file_uploaded_again_changes_nothing_and_says_so(owner, owner_client):
    content = json.dumps(spec_example()).encode()
    upload(owner_client, content)
    before = (Application.objects.count(), FollowUp.objects.count(), Contact.objects.count())

    response = upload(owner_client, content)

    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        "Nothing new: every application in the file is already in Hearback."
    )
    assert (Application.objects.count(), FollowUp.objects.count(), Contact.objects.count()) == (
        before
    )


def excel_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["Company", "Role", "Date applied"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [b"\xef\xbb\xbfCompany,Role,Date applied\nAcme,Dev,2026-11-02\n", excel_workbook()],
    ids=["csv", "xlsx"],
)
def test_a_spreadsheet_uploaded_as_a_hearback_file_points_to_the_csv_import(owner_client, content):
    response = upload(owner_client, content)

    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert errors[0].startswith(
        "This file looks like a spreadsheet (CSV or Excel), not a Hearback file"
    )
    assert f'<a href="{reverse("csv_import")}">Go to the spreadsheet import</a>' in (
        response.content.decode()
    )
    assert not Application.objects.exists()


def test_broken_json_is_not_taken_for_a_spreadsheet(owner_client):
    response = upload(owner_client, b'{"format": "hearback/v1", "applications": [,]}')

    assert response.status_code == 400
    assert "spreadsheet" not in " ".join(response.context["form"].errors["file"])
