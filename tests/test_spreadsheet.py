"""Spreadsheet (CSV) import with its preview, and the CSV export.

Reading is pure (`csv_read`, no database); the pages upload, preview, confirm and
download. A file with any bad row saves nothing and names every bad row.
"""

import csv
import datetime
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import interchange, selectors
from applications.models import Application, FollowUp, FollowUpKind, Interview
from applications.spreadsheet import EXPORT_HEADER, Choices, csv_export, csv_read, files, parse_date
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FollowUpFactory,
    InterviewFactory,
    PreferencesFactory,
    full_application,
)
from tests.helpers import days, messages_of

IMPORT_URL = reverse("csv_import")
D = datetime.date
EXPORT_URL = reverse("csv_export")

GOOD = (
    "company,role,applied_on,interview date,decision_by,last check-in,notes\n"
    "Acme,Backend Engineer,2026-11-02,2026-11-20,2026-11-27,2026-12-01,Met Dana\n"
    "Beta,Data Analyst,2026-11-05,,,,\n"
)


def apps_of(reading):
    return [row.application for row in reading.rows]


# ----------------------------------------------------------------------------------------
# Reading a file (pure)


def test_each_row_becomes_an_application_with_its_interview_and_check_in():
    reading = csv_read(GOOD.encode())

    assert reading.errors == []
    acme, beta = apps_of(reading)
    assert [row.number for row in reading.rows] == [2, 3]
    assert (acme.company, acme.role, acme.applied_on, acme.notes) == (
        "Acme",
        "Backend Engineer",
        datetime.date(2026, 11, 2),
        "Met Dana",
    )
    (interview,) = acme.interviews
    assert (interview.date, interview.decision_by) == (
        datetime.date(2026, 11, 20),
        datetime.date(2026, 11, 27),
    )
    (check_in,) = acme.follow_ups
    assert (check_in.date, check_in.kind) == (datetime.date(2026, 12, 1), "check_in")
    assert (beta.interviews, beta.follow_ups, beta.notes) == ((), (), "")


def test_several_bad_rows_are_all_named_with_their_row_number_and_column():
    text = (
        "Company,Role,Applied on,Interview date,Decision by,Notes\n"
        "Acme,Engineer,2026-11-02,,,\n"  # row 2: fine
        ",Engineer,2026-11-02,,,\n"  # row 3: no company
        "Beta,Analyst,31/02/2026,,,\n"  # row 4: day-first (31), and no February 31
        "Gamma,Tester,2026-11-31,,,\n"  # row 5: no such day
        "Delta,Dev,2026-11-02,2026-11-20,2026-11-10,\n"  # row 6: decision before interview
        "Eps,Dev,2026-11-02,,2026-11-10,\n"  # row 7: decision without interview
        "Zeta,,,,,\n"  # row 8: no role, no date
    )

    reading = csv_read(text)

    # One message per column and kind of problem, naming its rows and values.
    assert reading.errors == [
        "Column “Applied on”, rows 4 and 5 (“31/02/2026”, “2026-11-31”): not a day of the "
        "calendar; check the day and the month",
        "Column “Decision by”, row 6: 2026-11-10 is before the interview (2026-11-20); they "
        "cannot decide before they have met you",
        "Column “Decision by”, row 7: a decision date follows an interview; fill in the "
        "interview date too",
    ]
    # Rows missing what an application needs are listed apart: they may be left out.
    assert reading.incomplete == [(3, ["company"]), (8, ["role", "applied on"])]


def test_the_same_problem_in_many_rows_is_one_message_for_its_column():
    text = "Company,Role,Application Date\n" + "".join(
        f"C{n},Dev,{value}\n" for n, value in enumerate(["soon", "?", "soon", "later"] * 5)
    )

    assert csv_read(text).errors == [
        "Column “Application Date”, rows 2, 3, 4, 5, 6 and 15 more (“soon”, “?”, “later”, …): "
        "not a date; write dates YYYY-MM-DD, like 2026-11-20"
    ]


def test_the_limits_are_the_json_imports():
    text = (
        "company,role,applied,notes\n"
        f"{'A' * 201},Dev,2026-11-02,\n"
        f"Acme,Dev,2026-11-02,{'n' * 10_001}\n"
        "Ac\x00me,Dev,2026-11-02,\n"
        f"{'A' * 200},Dev,2026-11-02,{'n' * 10_000}\n"  # exactly at the limits: fine
    )

    assert csv_read(text).errors == [
        "Column “company”, row 2: is 201 characters long; the most is 200",
        "Column “notes”, row 3: is 10001 characters long; the most is 10000",
        "Column “company”, row 4: contains a NUL character (\\u0000), which is not allowed",
    ]


@pytest.mark.parametrize(
    "header, field",
    [
        ("Company", "company"),
        ("EMPLOYER", "company"),
        ("Organisation", "company"),
        ("organization", "company"),
        ("Position", "role"),
        ("Job Title", "role"),
        ("job_title", "role"),
        ("Title", "role"),
        ("Job", "role"),
        ("Date Applied", "applied_on"),
        ("application-date", "applied_on"),
        ("Applied", "applied_on"),
        ("applied_on", "applied_on"),
        ("Interview", "interview_on"),
        ("interview_date", "interview_on"),
        ("Decision", "decision_by"),
        ("Decide by", "decision_by"),
        ("Expected decision", "decision_by"),
        ("Response by", "decision_by"),
        ("Last check-in", "last_check_in"),
        ("Last contacted", "last_check_in"),
        ("Followed-up", "last_check_in"),
        ("Last follow up", "last_check_in"),
        ("last_check_in", "last_check_in"),
        ("Comments", "notes"),
        ("NOTES", "notes"),
    ],
)
def test_common_header_names_are_recognised(header, field):
    base = {"company": "Company", "role": "Role", "applied_on": "Applied on"}
    base[field] = header
    values = {
        "company": "Acme",
        "role": "Dev",
        "applied_on": "2026-11-02",
        "interview_on": "2026-11-20",
        "decision_by": "2026-11-27",
        "last_check_in": "2026-12-01",
        "notes": "hello",
    }
    if field == "decision_by":
        base["interview_on"] = "Interview date"
    columns = list(base)
    text = ",".join(base.values()) + "\n" + ",".join(values[key] for key in columns) + "\n"

    reading = csv_read(text)

    assert reading.errors == []
    assert reading.headers[field] == header
    (app,) = apps_of(reading)
    read_back = {
        "company": app.company,
        "role": app.role,
        "applied_on": app.applied_on.isoformat(),
        "interview_on": app.interviews and str(app.interviews[0].date),
        "decision_by": app.interviews and str(app.interviews[0].decision_by),
        "last_check_in": app.follow_ups and str(app.follow_ups[0].date),
        "notes": app.notes,
    }
    assert read_back[field] == values[field]


def test_semicolons_and_a_bom_are_read():
    text = "\ufeffMood;Company;Role;Applied\nx;Müller & Söhne;Dev, senior;2026-11-02\n"

    reading = csv_read(text.encode("utf-8"))

    assert reading.errors == []
    assert reading.delimiter == ";"
    (app,) = apps_of(reading)
    assert (app.company, app.role) == ("Müller & Söhne", "Dev, senior")
    assert [column.name for column in reading.ignored] == ["Mood"]


def test_tabs_are_read_too():
    reading = csv_read("company\trole\tapplied\nAcme\tDev\t2026-11-02\n")
    assert [app.company for app in apps_of(reading)] == ["Acme"]


def test_quoted_cells_keep_commas_and_line_breaks_and_rows_keep_their_numbers():
    text = (
        "company,role,applied,notes\r\n"
        '"Acme, Inc.",Dev,2026-11-02,"first line\r\nsecond line"\r\n'
        "\r\n"  # row 3: empty, skipped
        ",,,\r\n"  # row 4: empty too
        "Beta,Dev,2026-11-02,\r\n"
    )

    reading = csv_read(text)

    assert [row.number for row in reading.rows] == [2, 5]
    acme = reading.rows[0].application
    assert acme.company == "Acme, Inc."
    assert acme.notes == "first line\nsecond line"


def test_unknown_columns_are_listed_as_ignored():
    reading = csv_read("Company,Mood,Role,Applied,Recruiter\nAcme,good,Dev,2026-11-02,Kim\n")
    assert reading.errors == []
    assert [column.name for column in reading.ignored] == ["Mood", "Recruiter"]
    assert [(column.name, column.meaning) for column in reading.mapped] == [
        ("Company", "company"),
        ("Role", "role"),
        ("Applied", "applied_on"),
    ]


def test_a_column_without_a_name_is_listed_as_ignored_when_it_holds_something():
    reading = csv_read("company,role,applied,,\nAcme,Dev,2026-11-02,,kept?\n")
    assert reading.errors == []
    assert [column.name for column in reading.ignored] == ["column E (no name)"]


def test_a_file_the_csv_reader_cannot_read_names_the_row():
    huge = "n" * 140_000
    text = f"company,role,applied,notes\nAcme,Dev,2026-11-02,\nBeta,Dev,2026-11-02,{huge}\n"
    assert csv_read(text).errors == [
        "Row 3: this is not CSV we can read (field larger than field limit (131072))"
    ]


def test_a_missing_required_column_is_named():
    reading = csv_read("Employer,Notes\nAcme,hi\n")
    assert reading.errors == [
        "No column is read as “role”, which every application needs. Choose the column "
        "that holds it below (a first-row name like “role” or “position” or “title” is found "
        "by itself).",
        "No column is read as “applied on”, which every application needs. Choose the "
        "column that holds it below (a first-row name like “applied” or “applied on” or "
        "“date applied” is found by itself).",
    ]
    assert reading.can_map  # the mapping step is shown, to choose them


def test_of_two_columns_named_for_the_same_thing_the_first_is_proposed():
    reading = csv_read("Company,Role,Job title,Applied\nAcme,Dev,Senior Dev,2026-11-02\n")
    assert reading.errors == []
    assert [(column.name, column.meaning) for column in reading.columns] == [
        ("Company", "company"),
        ("Role", "role"),
        ("Job title", "ignore"),
        ("Applied", "applied_on"),
    ]


def test_two_columns_chosen_for_the_same_thing_are_refused():
    reading = csv_read(
        "Company,Role,Job title,Applied\nAcme,Dev,Senior Dev,2026-11-02\n",
        choices=Choices(columns={2: "role"}),
    )
    assert reading.errors == [
        "“Role” and “Job title” are all read as “role”. Choose one of them, and set the "
        "others to something else or to “ignore”."
    ]


def test_a_row_with_more_cells_than_columns_is_refused():
    errors = csv_read("company,role,applied\nAcme,Dev,2026-11-02,stray, cells\n").errors
    assert errors == [
        "Row 2: more cells than the first row names columns. Is there a , inside a cell "
        "without double quotes around it?"
    ]


def test_short_rows_read_their_missing_cells_as_empty():
    reading = csv_read("company,role,applied,notes\nAcme,Dev,2026-11-02\n")
    assert reading.errors == []
    assert apps_of(reading)[0].notes == ""


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf \n", "The file is empty."),
        (b"company,role,applied\n", "There are no applications under the first row."),
        (
            b"company\x00,role,applied\nAcme,Dev,2026-11-02\xff\n",  # NUL: not a text file
            "The file is not text we can read. In your spreadsheet program, save it as “CSV "
            "UTF-8” (or export it as CSV with the UTF-8 encoding), or as an Excel workbook "
            "(.xlsx), and try again.",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),  # an old Excel workbook
            "This is a workbook in the old Excel format (.xls). Open it in your spreadsheet "
            "program and save it as an Excel workbook (.xlsx) or as CSV, then upload that.",
        ),
        (
            b"PK\x03\x04not really a zip",
            "The file is not a spreadsheet we can read. Upload an Excel workbook (.xlsx) or a "
            "CSV file.",
        ),
    ],
)
def test_files_with_nothing_to_import_say_why(raw, message):
    assert csv_read(raw).errors == [message]


def test_outcome_and_posting_url_are_read_when_present():
    reading = csv_read(
        "company,role,applied,outcome,posting url\n"
        "Acme,Dev,2026-11-02,Offer,example.com/jobs/1\n"
        "Beta,Dev,2026-11-02,won,not a url\n"
    )
    assert reading.errors == [
        "Column “outcome”, row 3 (“won”): not an outcome; leave it empty or write offer, "
        "rejected, withdrawn",
        "Column “posting url”, row 3: not a web address we can use (it should look like "
        "https://example.com/jobs/1)",
    ]
    reading = csv_read("company,role,applied,outcome,url\nAcme,Dev,2026-11-02,Offer,x.io/j\n")
    (app,) = apps_of(reading)
    assert (app.outcome, app.posting_url) == ("offer", "https://x.io/j")


def test_reading_stops_after_a_hundred_kinds_of_problem_and_says_so():
    # Each row a problem of its own kind: the size of a name differs in each.
    rows = "".join(f"{'A' * (201 + n)},Dev,2026-11-02\n" for n in range(150))
    text = "company,role,applied\n" + rows
    errors = csv_read(text).errors
    assert len(errors) == 101
    assert errors[0] == "Column “company”, row 2: is 201 characters long; the most is 200"
    assert errors[99] == "Column “company”, row 101: is 300 characters long; the most is 200"
    assert errors[-1] == (
        "... and more: checking stopped after the first 100 kinds of problem. Fix these and "
        "check the file again."
    )


@pytest.mark.parametrize("rows, refused", [(3, False), (4, True)])
def test_a_file_may_hold_only_so_many_applications(rows, refused):
    text = "company,role,applied\n" + "Acme,Dev,2026-11-02\n\n" * rows  # blank lines don't count
    reading = csv_read(text, max_applications=3)
    if refused:
        assert reading.errors == [
            "This file holds more than 3 applications; one upload takes at most 3. Split it "
            "into smaller files and import them one by one."
        ]
    else:
        assert reading.errors == [] and len(reading.rows) == 3


def test_a_file_over_the_size_limit_is_refused_unread(settings):
    settings.HEARBACK_MAX_IMPORT_BYTES = 50
    errors = csv_read(GOOD).errors
    assert errors == ["The file is larger than 50\xa0bytes, the most we accept."]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-02", datetime.date(2026, 11, 2)),
        ("2026-1-5", datetime.date(2026, 1, 5)),
        ("2026-11-02 00:00:00", datetime.date(2026, 11, 2)),
        ("2026-11-02T09:30", datetime.date(2026, 11, 2)),
        ("2 Nov 2026", datetime.date(2026, 11, 2)),
        ("02 November 2026", datetime.date(2026, 11, 2)),
        ("2-Nov-2026", datetime.date(2026, 11, 2)),
        ("2nd Nov. 2026", datetime.date(2026, 11, 2)),
        ("Nov 2, 2026", datetime.date(2026, 11, 2)),
        ("November 2 2026", datetime.date(2026, 11, 2)),
        ("Sept 30, 2026", datetime.date(2026, 9, 30)),
        ("  nov  2,  2026 ", datetime.date(2026, 11, 2)),
    ],
)
def test_dates_in_iso_or_with_the_month_in_words_are_read(text, expected):
    assert parse_date(text) == (expected, "")


@pytest.mark.parametrize(
    "text", ["02/11/2026", "11/02/2026", "31/12/2026", "2.11.2026", "02-11-2026"]
)
def test_numeric_day_month_dates_are_refused_not_guessed(text):
    day, problem = parse_date(text)
    assert day is None
    assert problem == (
        "could be day-first or month-first, and we do not guess: write it YYYY-MM-DD, like "
        "2026-11-20"
    )


@pytest.mark.parametrize("text", ["Nox 2, 2026", "soon", "459620", "12345"])
def test_other_text_is_not_a_date(text):
    day, problem = parse_date(text)
    assert day is None
    assert problem == "not a date; write dates YYYY-MM-DD, like 2026-11-20"


# ----------------------------------------------------------------------------------------
# The import pages


def upload(client, text, name="applications.csv"):
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, raw, "text/csv")})


def confirm(client, text):
    return client.post(IMPORT_URL, {"csv_text": text})


def counts():
    return Application.objects.count(), Interview.objects.count(), FollowUp.objects.count()


@pytest.mark.django_db
def test_the_upload_form_says_what_columns_it_reads(owner_client):
    response = owner_client.get(IMPORT_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'type="file"' in page
    assert 'enctype="multipart/form-data"' in page
    assert "CSV file or an Excel workbook (.xlsx)" in page
    assert "LinkedIn, Huntr, Teal, Simplify, JobSync and Reactive Resume" in page


@pytest.mark.django_db
def test_a_file_with_bad_rows_saves_nothing_and_names_every_bad_row(owner_client):
    text = (
        "Company,Role,Date applied\n"
        "Acme,Dev,2026-11-02\n"
        "Beta,Dev,soon\n"
        "Gamma,Dev,2026-11-31\n"
        "Delta,Dev,2026-11-02\n"
    )

    response = upload(owner_client, text)

    assert response.status_code == 400
    assert counts() == (0, 0, 0)
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert response.context["errors"] == [
        "Column “Date applied”, row 3 (“soon”): not a date; write dates YYYY-MM-DD, like "
        "2026-11-20",
        "Column “Date applied”, row 4 (“2026-11-31”): not a day of the calendar; check the day "
        "and the month",
    ]
    assert "Column “Date applied”, row 4 (“2026-11-31”)" in page
    # No import button; the mapping step stays, to read a column otherwise.
    assert 'value="import"' not in page
    assert "Update the preview" in page and 'name="column-2"' in page
    # Confirming it anyway saves nothing.
    assert confirm(owner_client, text).status_code == 400
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_rows_missing_what_is_required_are_listed_and_may_be_left_out(owner_client):
    text = (
        "Company,Role,Date applied\n"
        "Acme,Dev,2026-11-02\n"
        "Beta,,2026-11-02\n"  # no role
        "Delta,Dev,2026-11-03\n"
        "Eps,Dev,\n"  # no applied date
    )

    previewed = upload(owner_client, text)

    assert previewed.status_code == 200
    page = previewed.content.decode()
    assert "2 rows miss what an application needs" in page
    assert "Row 3</li>" not in page  # each says what it misses
    assert "Row 3: no role" in page and "Row 5: no applied on" in page
    assert "Check the 2 applications before they are saved" in page
    assert "Leave out the 2 incomplete rows" in page

    # Without leaving them out, nothing is saved and the page says why.
    kept = owner_client.post(IMPORT_URL, {"csv_text": text, "action": "import"})
    assert kept.status_code == 400 and counts() == (0, 0, 0)
    assert "some rows miss what an application needs" in kept.content.decode()

    saved = owner_client.post(
        IMPORT_URL,
        {
            "csv_text": text,
            "action": "import",
            "skip_incomplete": "on",
            "shown": previewed.context["reading"].signature,
        },
    )
    assert saved.status_code == 302
    assert sorted(Application.objects.values_list("company", flat=True)) == ["Acme", "Delta"]


@pytest.mark.django_db
def test_the_preview_shows_the_rows_and_saves_nothing(owner_client):
    text = (
        "Employer;Job title;Date applied;Interview;Mood\n"
        "Acme;Backend Engineer;2 Nov 2026;2026-11-20;keen\n"
        "Beta;Data Analyst;2026-11-05;;\n"
    )

    response = upload(owner_client, text.encode("utf-8-sig"))

    assert response.status_code == 200
    assert counts() == (0, 0, 0)
    page = response.content.decode()
    assert "Check the 2 applications before they are saved" in page
    assert "Nothing is saved yet." in page
    assert '<th scope="row">Acme</th>' in page and "Backend Engineer" in page
    assert "Nov 2, 2026" in page and "Nov 20, 2026" in page
    assert '<th scope="row">Beta</th>' in page
    # The mapping step: each column, its first values, and what it is read as.
    mapping = {column.name: column.meaning for column in response.context["reading"].columns}
    assert mapping == {
        "Employer": "company",
        "Job title": "role",
        "Date applied": "applied_on",
        "Interview": "interview_on",
        "Mood": "ignore",
    }
    assert '<label for="column-4">Mood</label>' in page and "keen" in page
    assert '<option value="company" selected>company</option>' in page
    assert "Import 2 applications" in page
    assert response.context["reading"].text == text.replace("\r", "")


@pytest.mark.django_db
def test_confirming_saves_every_row_in_one_go(owner, owner_client):
    response = confirm(owner_client, GOOD.replace("\n", "\r\n"))  # as a browser re-sends it

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert messages_of(response) == ["Imported 2 applications from your spreadsheet."]
    acme = Application.objects.get(owner=owner, company="Acme")
    assert (acme.role, acme.applied_on, acme.notes) == (
        "Backend Engineer",
        datetime.date(2026, 11, 2),
        "Met Dana",
    )
    interview = acme.interviews.get()
    assert (interview.date, interview.decision_by, interview.format) == (
        datetime.date(2026, 11, 20),
        datetime.date(2026, 11, 27),
        "other",
    )
    assert list(acme.follow_ups.values_list("kind", "date")) == [
        (FollowUpKind.CHECK_IN, datetime.date(2026, 12, 1))
    ]
    beta = Application.objects.get(owner=owner, company="Beta")
    assert not beta.interviews.exists() and not beta.follow_ups.exists()
    assert counts() == (2, 1, 1)


@pytest.mark.django_db
def test_confirm_reads_the_text_again_and_saves_nothing_when_it_is_bad(owner_client):
    response = confirm(owner_client, GOOD + "Gamma,Dev,yesterday\n")

    assert response.status_code == 400
    assert counts() == (0, 0, 0)
    assert response.context["errors"] == [
        "Column “applied_on”, row 4 (“yesterday”): not a date; write dates YYYY-MM-DD, like "
        "2026-11-20"
    ]


@pytest.mark.django_db
def test_a_failure_while_saving_leaves_nothing_behind(owner_client, monkeypatch):
    def broken(*args, **kwargs):
        raise IntegrityError("the disk is full")

    monkeypatch.setattr(FollowUp.objects, "bulk_create", broken)
    with pytest.raises(IntegrityError):
        confirm(owner_client, GOOD)
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_the_import_is_added_to_the_users_own_data_only(owner, stranger, owner_client):
    ApplicationFactory(owner=owner, company="Already here")
    confirm(owner_client, GOOD)
    assert sorted(Application.objects.filter(owner=owner).values_list("company", flat=True)) == [
        "Acme",
        "Already here",
        "Beta",
    ]
    assert not Application.objects.filter(owner=stranger).exists()


@pytest.mark.django_db
def test_an_upload_with_too_many_rows_is_refused_at_preview_and_at_confirm(
    owner_client, monkeypatch
):
    monkeypatch.setattr(interchange, "MAX_UPLOAD_APPLICATIONS", 1)  # GOOD has 2 rows
    expected = [
        "This file holds more than 1 applications; one upload takes at most 1. Split it "
        "into smaller files and import them one by one."
    ]

    previewed, confirmed = upload(owner_client, GOOD), confirm(owner_client, GOOD)

    assert (previewed.status_code, confirmed.status_code) == (400, 400)
    assert previewed.context["errors"] == confirmed.context["errors"] == expected
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_a_file_just_under_the_size_limit_previews_and_saves_with_the_browsers_line_breaks(
    owner_client, settings
):
    # At the real limits: the confirm button sends the text back with CRLF line breaks,
    # a little over the limit; it is still the file that was previewed, and it saves.
    header = "company,role,applied_on,notes\n"
    row = "Acme,Dev,2026-11-02," + "x" * 9000 + "\n"
    last = "Beta,Dev,2026-11-02,\n"  # its notes (fewer than a row's) fill up to the limit
    rows = (settings.HEARBACK_MAX_IMPORT_BYTES - len(header) - len(last)) // len(row)
    text = header + row * rows
    text += last[:-1] + "y" * (settings.HEARBACK_MAX_IMPORT_BYTES - len(text) - len(last)) + "\n"
    resent = text.replace("\n", "\r\n")
    assert len(text) <= settings.HEARBACK_MAX_IMPORT_BYTES < len(resent)

    previewed = upload(owner_client, text)
    confirmed = confirm(owner_client, resent)

    assert previewed.status_code == 200 and not previewed.context["errors"]
    assert confirmed.status_code == 302
    assert Application.objects.count() == text.count("\n") - 1


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(owner_client, settings):
    settings.HEARBACK_MAX_IMPORT_BYTES = 60

    response = upload(owner_client, GOOD)

    assert response.status_code == 400
    assert response.context["errors"] == [
        f"This file is {len(GOOD)}\xa0bytes; the largest file we accept is 60\xa0bytes."
    ]
    response = confirm(owner_client, GOOD)
    assert response.status_code == 400
    assert response.context["errors"] == [
        "The file is larger than 60\xa0bytes, the most we accept."
    ]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("indent", [2, None])
def test_a_hearback_json_file_is_sent_to_the_json_import(owner, owner_client, indent):
    ApplicationFactory(owner=owner, company="Acme")
    document = interchange.export_document(user=owner, as_of=D(2026, 12, 4))
    raw = json.dumps(document, indent=indent).encode()

    response = upload(owner_client, raw, "hearback-export.json")

    assert response.status_code == 400
    assert response.context["errors"] == [
        "This file looks like a JSON file, not a spreadsheet: import a Hearback file (JSON) "
        "from the Hearback file import instead."
    ]
    link = f'<a href="{reverse("import_upload")}">Go to the Hearback file import</a>'
    assert link in response.content.decode()
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_the_import_needs_a_login(client):
    for response in (client.get(IMPORT_URL), client.post(IMPORT_URL, {"csv_text": GOOD})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert counts() == (0, 0, 0)


# ----------------------------------------------------------------------------------------
# The export


def rows_of(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # for Excel, which reads UTF-8 only with it
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


@pytest.mark.django_db
def test_the_export_is_a_csv_attachment_named_after_the_users_today(owner, owner_client):
    PreferencesFactory(user=owner, time_zone="Pacific/Kiritimati")  # UTC+14
    today = selectors.local_today(prefs=selectors.preferences_get(user=owner))

    response = owner_client.get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="hearback-applications-{today.isoformat()}.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    assert response.content.decode("utf-8").splitlines()[0] == (
        "\ufeffcompany,role,applied_on,status,next_action_date,reason,interview_date,"
        "decision_by,last_check_in,outcome,posting_url,location,remote,salary,source,notes"
    )


@pytest.mark.django_db
def test_the_export_lists_every_application_with_the_engines_status(
    owner, stranger, owner_client, today
):
    due = ApplicationFactory(owner=owner, company="Due", applied_on=days(today, -30))
    dana = ContactFactory(application=due, name="Dana")
    InterviewFactory(application=due, date=days(today, -12), contacts=[dana])
    InterviewFactory(
        application=due, date=days(today, -9), decision_by=days(today, -5), contacts=[dana]
    )
    FollowUpFactory(application=due, date=days(today, -20), kind=FollowUpKind.CHECK_IN)
    FollowUpFactory(application=due, date=days(today, -8), kind=FollowUpKind.THANK_YOU)
    waiting = ApplicationFactory(
        owner=owner,
        company="Waiting",
        applied_on=days(today, -3),
        posting_url="https://example.com/jobs/1",
        notes="Referred by Kim",
    )
    ApplicationFactory(owner=owner, company="Won", applied_on=days(today, -40), outcome="offer")
    ApplicationFactory(owner=stranger, company="Not mine")

    rows = rows_of(owner_client.get(EXPORT_URL))

    assert list(rows[0]) == list(EXPORT_HEADER)
    assert [row["company"] for row in rows] == ["Due", "Waiting", "Won"]  # recorded order
    prefs = selectors.preferences_get(user=owner)
    engine = {
        row.company: row.status
        for row in selectors.application_rows(
            user=owner, as_of=today, rules=selectors.rules_from(prefs)
        )
    }
    for row in rows:
        status = engine[row["company"]]
        assert row["status"] == status.code
        assert row["reason"] == status.reason
        expected_next = status.next_action_date.isoformat() if status.next_action_date else ""
        assert row["next_action_date"] == expected_next
    assert [row["status"] for row in rows] == ["follow_up_now", "waiting", "offer"]
    due_row, waiting_row, won_row = rows
    assert due_row["interview_date"] == days(today, -9).isoformat()
    assert due_row["decision_by"] == days(today, -5).isoformat()
    assert due_row["last_check_in"] == days(today, -20).isoformat()  # thank-yous aren't
    assert waiting_row["interview_date"] == waiting_row["last_check_in"] == ""
    assert waiting_row["posting_url"] == "https://example.com/jobs/1"
    assert waiting_row["notes"] == "Referred by Kim"
    assert won_row["outcome"] == "offer"
    assert waiting.applied_on.isoformat() == waiting_row["applied_on"]


@pytest.mark.django_db
def test_cells_a_spreadsheet_would_run_as_formulas_are_defused(owner, owner_client):
    ApplicationFactory(
        owner=owner,
        company='=HYPERLINK("http://evil.test","Acme")',
        role="+1 engineer",
        notes="@SUM(A1)",
    )
    ApplicationFactory(owner=owner, company="-minus", role="\tTabbed", notes="'=already quoted")
    ApplicationFactory(owner=owner, company="Plain, Inc.", role="Dev - backend", notes="a=b")

    rows = rows_of(owner_client.get(EXPORT_URL))

    assert [(row["company"], row["role"], row["notes"]) for row in rows] == [
        ('\'=HYPERLINK("http://evil.test","Acme")', "'+1 engineer", "'@SUM(A1)"),
        ("'-minus", "'\tTabbed", "''=already quoted"),
        ("Plain, Inc.", "Dev - backend", "a=b"),
    ]


# A cell as typed -> as exported: a ' in front of whatever a spreadsheet program may run.
FORMULA_CELLS = [
    ("=1+1", "'=1+1"),
    (" =1+1", "' =1+1"),  # a leading space
    ("\t=1+1", "'\t=1+1"),  # a tab (a trigger itself)
    ("\tTabbed", "'\tTabbed"),
    ("\rCarriage", "'\rCarriage"),  # a carriage return (a trigger itself)
    ("\r\n@SUM(A1)", "'\r\n@SUM(A1)"),
    ("\n+1", "'\n+1"),
    ("\nLine feed", "'\nLine feed"),  # (the import reads any line break as one)
    ("\u200b=HYPERLINK(1)", "'\u200b=HYPERLINK(1)"),  # a zero-width space
    ("\ufeff-1", "'\ufeff-1"),  # a byte-order mark
    ("\u2060@A1", "'\u2060@A1"),  # a word joiner
    ("\u00a0\u202e+1", "'\u00a0\u202e+1"),  # a no-break space, a direction mark
    ("\uff1d1+1", "'\uff1d1+1"),  # full-width =
    ("\uff0b1", "'\uff0b1"),  # full-width +
    ("\uff0d1", "'\uff0d1"),  # full-width -
    ("\uff20SUM(A1)", "'\uff20SUM(A1)"),  # full-width @
    ("\ufe66cmd", "'\ufe66cmd"),  # small =
    (" \u200b\uff1d1", "' \u200b\uff1d1"),  # several in front
    ("'\uff1d1", "''\uff1d1"),  # a ' already in front: one more
    ("'' =1", "''' =1"),
    # Left as they are: nothing a spreadsheet runs.
    ("Plain", "Plain"),
    (" plain", " plain"),
    ("\u200bplain", "\u200bplain"),
    ("a\uff1db", "a\uff1db"),
    ("Dev - backend", "Dev - backend"),
    ("'quoted", "'quoted"),
    ("", ""),
]


@pytest.mark.django_db
@pytest.mark.parametrize("typed, exported", FORMULA_CELLS, ids=[repr(c) for c, _ in FORMULA_CELLS])
def test_a_cell_a_spreadsheet_would_run_gets_a_quote_in_front(owner, owner_client, typed, exported):
    ApplicationFactory(owner=owner, notes=typed)

    (row,) = rows_of(owner_client.get(EXPORT_URL))

    assert row["notes"] == exported


@pytest.mark.django_db
def test_every_quoted_cell_imports_back_as_it_was_typed(owner, client):
    quoted = [typed for typed, exported in FORMULA_CELLS if typed != exported]
    for typed in quoted:
        ApplicationFactory(owner=owner, company="Acme", notes=typed)
    client.force_login(owner)
    exported = client.get(EXPORT_URL).content

    newcomer = PreferencesFactory(user__username="newcomer").user
    client.force_login(newcomer)
    preview = upload(client, exported, name="hearback-applications.csv")
    assert confirm(client, preview.context["reading"].text).status_code == 302

    notes = Application.objects.filter(owner=newcomer).order_by("pk").values_list("notes")
    # Line breaks come back as \n, whatever they were: the import reads them so.
    assert [note for (note,) in notes] == [
        typed.replace("\r\n", "\n").replace("\r", "\n") for typed in quoted
    ]


@pytest.mark.django_db
def test_the_export_imports_back_into_an_empty_account_as_the_same_applications(
    owner, client, today
):
    simple = ApplicationFactory(
        owner=owner,
        company="=Formula Co",
        role="Dev; senior",
        applied_on=days(today, -30),
        notes='Line one\nLine "two", with a comma',
        posting_url="https://example.com/jobs/7",
    )
    InterviewFactory(application=simple, date=days(today, -10), decision_by=days(today, -6))
    FollowUpFactory(application=simple, date=days(today, -3), kind=FollowUpKind.CHECK_IN)
    ApplicationFactory(owner=owner, company="Zürich AG", applied_on=days(today, -2))
    ApplicationFactory(
        owner=owner, company="Closed", applied_on=days(today, -50), outcome="rejected"
    )
    ApplicationFactory(owner=owner, company="Ahead", applied_on=days(today, -5))
    InterviewFactory(application=Application.objects.get(company="Ahead"), date=days(today, 3))
    client.force_login(owner)
    exported = client.get(EXPORT_URL).content

    newcomer = PreferencesFactory(user__username="newcomer", weekdays_only=False).user
    client.force_login(newcomer)
    preview = upload(client, exported, name="hearback-applications.csv")
    assert preview.status_code == 200
    # The engine's columns: the status is read as a stage (the outcome column says the
    # outcome first), the others are ignored.
    assert [column.name for column in preview.context["reading"].ignored] == [
        "next_action_date",
        "reason",
    ]
    assert confirm(client, preview.context["reading"].text).status_code == 302

    assert client.get(EXPORT_URL).content == exported
    assert Application.objects.get(owner=newcomer, company="=Formula Co").notes == (
        'Line one\nLine "two", with a comma'
    )


@pytest.mark.django_db
def test_the_full_timeline_exports_its_latest_interview_and_check_in(owner, owner_client):
    application = full_application(owner, company="Full")

    (row,) = rows_of(owner_client.get(EXPORT_URL))

    latest = application.interviews.order_by("-date").first()
    assert row["interview_date"] == latest.date.isoformat()
    assert row["decision_by"] == latest.decision_by.isoformat()
    check_in = application.follow_ups.get(kind=FollowUpKind.CHECK_IN)
    assert row["last_check_in"] == check_in.date.isoformat()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_the_export_takes_the_same_queries_for_3_or_30_applications(owner, owner_client, count):
    for index in range(count):
        full_application(owner, company=f"Company {index:02d}")
    owner_client.get(EXPORT_URL)  # session and preferences, read once per request anyway

    with CaptureQueriesContext(connection) as queries:
        response = owner_client.get(EXPORT_URL)

    assert len(rows_of(response)) == count
    # session, user, preferences; applications, people at interviews, interviews,
    # follow-ups (selectors.application_rows); notes; the job's details.
    assert len(queries) == 9


@pytest.mark.django_db
def test_the_export_needs_a_login(client):
    response = client.get(EXPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ----------------------------------------------------------------------------------------
# The job's details: location, remote, salary, source


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("65000", (65_000, 65_000)),
        ("50,000-65,000", (50_000, 65_000)),
        ("$120k – $140k", (120_000, 140_000)),
        ("65 000 €", (65_000, 65_000)),
        ("50000-", (50_000, None)),
        ("-65000", (None, 65_000)),
    ],
)
def test_a_salary_cell_becomes_a_range(cell, expected):
    reading = csv_read(f'company,role,applied,salary\nAcme,Dev,2026-11-02,"{cell}"\n')

    assert reading.errors == []
    (row,) = reading.document.applications
    assert (row.salary_min, row.salary_max) == expected


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("85000.00", 85_000),
        ("85000,50", 85_001),  # a decimal part is rounded to whole units
        ("$1.5k", 1_500),
        ("1,5k", 1_500),
        ("85,000.50", 85_001),
        ("85.000,50", 85_001),
        ("85.000", 85_000),  # three digits after the mark: a group of thousands
        ("85 000", 85_000),
        ("85'000", 85_000),
        ("8,50,000", 850_000),
    ],
)
def test_a_salary_with_a_decimal_part_or_thousands_marks_is_read_as_written(cell, expected):
    reading = csv_read(f'company,role,applied,salary\nAcme,Dev,2026-11-02,"{cell}"\n')

    assert reading.errors == []
    (row,) = reading.document.applications
    assert (row.salary_min, row.salary_max) == (expected, expected)


@pytest.mark.parametrize("cell", ["1.234.56", "1,234.567", "85,00,0"])
def test_a_salary_whose_marks_could_mean_two_amounts_is_refused_not_guessed(cell):
    reading = csv_read(f'company,role,applied,salary\nAcme,Dev,2026-11-02,"{cell}"\n')

    assert reading.rows == []
    assert reading.errors == [
        f"Column “salary”, row 2 (“{cell}”): not a salary; write one amount or a range, "
        "like 50000-65000"
    ]


def test_a_row_whose_salary_is_too_high_at_both_ends_is_named_once():
    reading = csv_read(
        "company,role,applied,salary\n"
        "Acme,Dev,2026-11-02,2000000000\n"  # both ends of the range it means
        "Beta,Dev,2026-11-02,2000000000-2000000000\n"
    )

    assert reading.errors == [
        "Column “salary”, rows 2 and 3: must be a whole number from 0 to 1,000,000,000, "
        "not 2000000000"
    ]


def test_a_salary_cell_of_thousands_of_spaces_is_refused_at_once():
    # Read by the pattern it replaced, this cell took seconds (its time grew with the
    # cube of its length); now a cell this long is no salary, unread.
    cell = "1" + " " * 5_000 + "1 1x!!!!!"
    reading = csv_read(f'company,role,applied,salary\nAcme,Dev,2026-11-02,"{cell}"\n')

    assert reading.rows == []
    (error,) = reading.errors
    assert error.startswith("Column “salary”, row 2 (")
    assert error.endswith("): not a salary; write one amount or a range, like 50000-65000")


@pytest.mark.parametrize(
    "header, message",
    [
        ("salary", "not a salary; write one amount or a range, like 50000-65000"),
        ("salary_min", "not an amount; write a number, like 65000"),
    ],
)
def test_a_salary_of_thousands_of_digits_is_refused_not_a_server_error(header, message):
    # Python refuses to turn more than 4,300 digits into a number.
    reading = csv_read(f"company,role,applied,{header}\nAcme,Dev,2026-11-02,{'9' * 5_000}\n")

    assert reading.rows == []
    (error,) = reading.errors
    assert error.startswith(f"Column “{header}”, row 2 (") and error.endswith(message)


def test_location_remote_and_source_are_read_in_words():
    reading = csv_read(
        "company,role,applied,city,remote,found through\n"
        "Acme,Dev,2026-11-02,Lisbon,Yes,Company site\n"
        "Beta,Dev,2026-11-03,,no,LinkedIn\n"
    )

    assert reading.errors == []
    acme, beta = reading.document.applications
    assert (acme.location, acme.remote, acme.source) == ("Lisbon", True, "company_site")
    assert (beta.location, beta.remote, beta.source) == ("", False, "linkedin")


@pytest.mark.parametrize(
    "header, cell, message",
    [
        ("salary", "lots", "(“lots”): not a salary"),
        ("salary", "90000-60000", "is below salary_min"),
        ("remote", "maybe", "(“maybe”): not yes or no"),
    ],
)
def test_a_detail_that_cannot_be_read_is_an_error_of_its_row(header, cell, message):
    reading = csv_read(f"company,role,applied,{header}\nAcme,Dev,2026-11-02,{cell}\n")

    assert reading.rows == []  # nothing to import
    assert any(
        error.startswith(f"Column “{header}”, row 2") and message in error
        for error in reading.errors
    ), reading.errors


def test_a_source_not_known_is_saved_as_other_and_named():
    reading = csv_read(
        "company,role,applied,source\nAcme,Dev,2026-11-02,Newspaper\nBeta,Dev,2026-11-02,Indeed\n"
    )

    assert reading.errors == []
    assert [app.source for app in reading.document.applications] == ["other", "job_board"]
    assert reading.other_sources == {"Newspaper"}


@pytest.mark.django_db
def test_the_details_read_back_from_the_export(owner, today):
    rules = selectors.rules_from(selectors.preferences_get(user=owner))
    for n, (low, high) in enumerate(
        [(50_000, 65_000), (70_000, None), (None, 90_000), (None, None)]
    ):
        ApplicationFactory(
            owner=owner,
            company=f"Co {n}",
            applied_on=days(today, -n),
            location="Lisbon" if n % 2 else "",
            remote=bool(n % 2),
            salary_min=low,
            salary_max=high,
            source="recruiter" if n else "",
        )

    reading = csv_read(csv_export(user=owner, as_of=today, rules=rules))

    assert reading.errors == []
    assert [
        (app.location, app.remote, app.salary_min, app.salary_max, app.source)
        for app in reading.document.applications
    ] == [
        ("", False, 50_000, 65_000, ""),
        ("Lisbon", True, 70_000, None, "recruiter"),
        ("", False, None, 90_000, "recruiter"),
        ("Lisbon", True, None, None, "recruiter"),
    ]


# ----------------------------------------------------------------------------------------
# Honest meanings: a planned follow-up is not a check-in


def test_a_follow_up_column_of_planned_dates_is_ignored_not_recorded_as_check_ins():
    reading = csv_read(
        "company,role,applied,follow up,next follow-up\nAcme,Dev,2026-11-02,2026-12-20,2026-12-24\n"
    )

    assert reading.errors == []
    assert [column.name for column in reading.ignored] == ["follow up", "next follow-up"]
    (app,) = reading.document.applications
    assert app.follow_ups == ()


@pytest.mark.parametrize("header", ["Last contacted", "Followed up on", "Last check-in"])
def test_a_column_that_says_a_contact_happened_is_a_check_in_never_after_today(header):
    today = datetime.date(2026, 12, 4)
    past = csv_read(f"company,role,applied,{header}\nAcme,Dev,2026-11-02,2026-12-01\n", today=today)
    ahead = csv_read(
        f"company,role,applied,{header}\nAcme,Dev,2026-11-02,2026-12-05\n", today=today
    )

    assert past.errors == []
    (app,) = past.document.applications
    assert [(f.kind, f.date) for f in app.follow_ups] == [("check_in", datetime.date(2026, 12, 1))]
    assert ahead.rows == []
    assert ahead.errors[0].startswith(f"Column “{header}”, row 2 (“2026-12-05”): after today")


# ----------------------------------------------------------------------------------------
# Importing again changes nothing


@pytest.mark.django_db
def test_a_spreadsheet_imported_again_is_left_as_it_is(owner, owner_client):
    text = (
        "company,role,applied,posting url\n"
        "Acme,Dev,2026-11-02,https://acme.example/jobs/1\n"
        "Beta,Analyst,2026-11-03,\n"
    )
    first = upload(owner_client, text.encode())
    owner_client.post(IMPORT_URL, {"csv_text": first.context["reading"].text})
    assert Application.objects.filter(owner=owner).count() == 2

    again = upload(owner_client, (text + "Gamma,Dev,2026-11-04,\n").encode())
    page = again.content.decode()
    # The preview counts and shows what the import adds: the new row only.
    assert "Check the new application before it is saved" in page
    assert "2 of the 3 applications in the file are already in Hearback" in page
    assert page.count("(already in Hearback: left as it is)") == 2
    assert "Gamma (already in Hearback" not in page
    assert "Import 1 application\n" in page
    saved = owner_client.post(IMPORT_URL, {"csv_text": again.context["reading"].text})

    assert messages_of(saved) == [
        "Imported 1 application from your spreadsheet. 2 already in Hearback were left as they are."
    ]
    assert sorted(Application.objects.filter(owner=owner).values_list("company", flat=True)) == [
        "Acme",
        "Beta",
        "Gamma",
    ]


@pytest.mark.parametrize("marker", ["N/A", "n/a", "-", "—", "none", "TBD"])
def test_empty_markers_are_empty(marker):
    reading = csv_read(
        "company,role,applied,interview date,notes,salary,source\n"
        f"Acme,Dev,2026-11-02,{marker},{marker},{marker},{marker}\n"
    )

    assert reading.errors == []
    (app,) = reading.document.applications
    assert (app.interviews, app.notes, app.salary_min, app.source) == ((), "", None, "")


def test_a_required_cell_holding_only_an_empty_marker_is_missing():
    reading = csv_read("company,role,applied\nN/A,Dev,2026-11-02\n")

    assert reading.rows == []
    assert reading.errors and "company" in reading.errors[0]


# ----------------------------------------------------------------------------------------
# Status, stage or list columns


@pytest.mark.parametrize(
    "word, outcome",
    [
        ("Rejected", "rejected"),
        ("declined", "rejected"),
        ("Not selected", "rejected"),
        ("Withdrawn", "withdrawn"),
        ("Offer", "offer"),
        ("accepted", "offer"),
        ("Applied", ""),
        ("Screening", ""),
        ("Interviewing", ""),
        ("follow_up_now", ""),  # Hearback's own export
    ],
)
def test_a_status_word_becomes_the_outcome(word, outcome):
    reading = csv_read(f"company,role,applied,stage\nAcme,Dev,2026-11-02,{word}\n")

    assert reading.errors == []
    (app,) = reading.document.applications
    assert app.outcome == outcome


@pytest.mark.parametrize("word", ["Wishlist", "saved", "Bookmarked", "draft"])
def test_jobs_never_applied_to_are_skipped_and_counted_even_without_an_applied_date(word):
    reading = csv_read(
        f"company,role,applied,status\nAcme,Dev,,{word}\nBeta,Dev,2026-11-02,Applied\n"
    )

    assert reading.errors == []
    assert [app.company for app in reading.document.applications] == ["Beta"]
    assert reading.never_sent == 1


@pytest.mark.django_db
def test_an_unknown_status_reads_as_open_and_is_named_in_the_preview(owner_client):
    response = upload(
        owner_client,
        b"company,role,applied,status\nAcme,Dev,2026-11-02,On hold\nBeta,Dev,2026-11-02,Saved\n",
    )

    page = response.content.decode()
    assert response.context["reading"].document.applications[0].outcome == ""
    assert "read as still open (change it below):\n      \u201cOn hold\u201d." in page
    assert "1 row is a job you never applied to" in page


@pytest.mark.parametrize("outcome", ["offer", ""])
def test_an_outcome_column_says_the_outcome_instead_of_a_status_column(outcome):
    reading = csv_read(
        f"company,role,applied,status,outcome\nAcme,Dev,2026-11-02,Rejected,{outcome}\n"
    )

    (app,) = reading.document.applications
    assert app.outcome == outcome


# ----------------------------------------------------------------------------------------
# Dates as spreadsheets and trackers write them, decided per column


@pytest.mark.parametrize(
    "text, expected",
    [
        ("14. September 2026", D(2026, 9, 14)),  # German
        ("3. März 2026", D(2026, 3, 3)),
        ("14 septembre 2026", D(2026, 9, 14)),  # French
        ("1er déc. 2026", D(2026, 12, 1)),
        ("14 de septiembre de 2026", D(2026, 9, 14)),  # Spanish
        ("Sep 14, 2026", D(2026, 9, 14)),
        ("2026/09/14", D(2026, 9, 14)),
        ("2026-09-14 09:05", D(2026, 9, 14)),
        ("46279", D(2026, 9, 14)),  # Excel's day number
    ],
)
def test_dates_in_words_and_numbers_people_write(text, expected):
    assert parse_date(text) == (expected, "")


@pytest.mark.parametrize(
    "text, zone, expected",
    [
        ("2026-09-14T09:05:00Z", None, D(2026, 9, 14)),
        ("2026-09-14T02:05:00Z", "America/Los_Angeles", D(2026, 9, 13)),  # still the 13th there
        ("2026-09-14T23:30:00+00:00", "Europe/Berlin", D(2026, 9, 15)),
    ],
)
def test_a_timestamp_is_the_day_it_was_in_the_users_zone(text, zone, expected):
    assert parse_date(text, zone=ZoneInfo(zone) if zone else None) == (expected, "")


@pytest.mark.parametrize(
    "text", ["2026-11-31", "2026-02-29", "2026-02-30", "31 Nov 2026", "30 Feb 2026", "Feb 30, 2026"]
)
def test_a_date_written_well_that_no_calendar_has_is_said_to_be_no_day(text):
    assert parse_date(text) == (None, "not a day of the calendar; check the day and the month")


@pytest.mark.parametrize("text", ["0001-01-01T00:00+05:00", "9999-12-31T23:00-05:00"])
def test_a_timestamp_whose_day_falls_off_the_calendar_is_refused_as_out_of_range(text):
    reading = csv_read(f"company,role,applied\nAcme,Dev,{text}\n")

    assert reading.rows == []
    assert reading.errors == [
        f"Column “applied”, row 2 (“{text}”): outside the dates Hearback works with "
        "(1900-01-01 to 2999-12-31)"
    ]


def applied_dates(text, **options):
    reading = csv_read(text, **options)
    assert reading.errors == [], reading.errors
    return [app.applied_on for app in reading.document.applications], reading


@pytest.mark.parametrize(
    "cells, expected",
    [
        # One value above 12 first settles the column day-first (en-GB, de-DE with dots).
        (["14/09/2026", "03/04/2026"], [D(2026, 9, 14), D(2026, 4, 3)]),
        (["14.09.2026", "03.04.2026"], [D(2026, 9, 14), D(2026, 4, 3)]),
        # One above 12 second settles it month-first (en-US, Google Sheets).
        (["9/14/2026", "3/4/2026"], [D(2026, 9, 14), D(2026, 3, 4)]),
        # LinkedIn: two-digit years and a time after the date.
        (["11/13/23, 9:42 AM", "1/2/24, 10:05 PM"], [D(2023, 11, 13), D(2024, 1, 2)]),
        # LibreOffice MM/DD/YY.
        (["09/14/26", "10/01/26"], [D(2026, 9, 14), D(2026, 10, 1)]),
    ],
)
def test_a_date_column_is_read_as_its_values_settle_it(cells, expected):
    rows = "".join(f'Co {n},Dev,"{cell}"\n' for n, cell in enumerate(cells))

    dates, reading = applied_dates(f"company,role,applied\n{rows}")

    assert dates == expected
    assert reading.questions == []  # settled by a value: no "ambiguous" question, ever
    # One note for the column says how its dates were read, with a value that settles it.
    (note,) = reading.date_notes
    assert note.startswith(f"Column “applied”: {len(cells)} dates like {cells[0]} ")
    order = "day first" if cells[0].startswith("14") else "month first"  # en-GB, de-DE
    assert f" were read {order} (" in note


def test_a_column_that_fits_both_ways_follows_the_users_locale_and_says_so():
    text = "company,role,applied\nAcme,Dev,03/04/2026\nBeta,Dev,05/06/2026\n"

    us, us_reading = applied_dates(text)
    gb, gb_reading = applied_dates(text, day_first=True)

    assert us == [D(2026, 3, 4), D(2026, 5, 6)]
    assert gb == [D(2026, 4, 3), D(2026, 6, 5)]
    # The column is a question of the mapping step, answered by the locale until the
    # user says otherwise.
    (question,) = us_reading.questions
    assert (question.header, question.example, question.count) == ("applied", "03/04/2026", 2)
    assert (question.as_month_first, question.as_day_first) == (D(2026, 3, 4), D(2026, 4, 3))
    assert question.order == "month first"
    assert gb_reading.questions[0].order == "day first"
    answered, _reading = applied_dates(text, choices=Choices(orders={"applied_on": "day first"}))
    assert answered == gb


def test_a_column_mixing_both_ways_is_refused_for_each_such_value():
    reading = csv_read("company,role,applied\nAcme,Dev,14/09/2026\nBeta,Dev,9/14/2026\n")

    assert reading.rows == []
    assert reading.errors == [
        "Column “applied”, rows 2 and 3 (“14/09/2026”, “9/14/2026”): could be day-first or "
        "month-first, and we do not guess: write it YYYY-MM-DD, like 2026-11-20"
    ]


@pytest.mark.django_db
def test_the_browsers_language_decides_a_column_that_fits_both_ways(owner_client):
    raw = SimpleUploadedFile("a.csv", b"company,role,applied\nAcme,Dev,03/04/2026\n", "text/csv")

    response = owner_client.post(IMPORT_URL, {"file": raw}, headers={"accept-language": "en-GB"})

    (app,) = response.context["reading"].document.applications
    assert app.applied_on == D(2026, 4, 3)
    page = response.content.decode()
    assert "dates like 03/04/2026 fit both ways, and no value settles it" in page
    assert 'value="day" id="order-applied_on-day" checked>' in page
    assert "Day first (April 3, 2026)" in page and "Month first (March 4, 2026)" in page


# ----------------------------------------------------------------------------------------
# Files as Excel writes them


def test_excels_unicode_text_is_read_utf16_with_tabs():
    raw = "Company\tRole\tApplied\r\nSociété Générale\tDev\t14/09/2026\r\n".encode("utf-16")

    reading = csv_read(raw)

    assert reading.errors == []
    assert (reading.encoding, reading.delimiter) == ("UTF-16", "\t")
    (app,) = reading.document.applications
    assert (app.company, app.applied_on) == ("Société Générale", D(2026, 9, 14))


@pytest.mark.django_db
def test_excels_windows_csv_is_read_in_its_code_page_and_the_preview_says_so(client, owner):
    raw = "Company;Role;Applied\r\nMüller & Söhne;Entwickler;14.09.2026\r\n".encode("cp1252")

    reading = csv_read(raw)

    assert reading.errors == []
    assert reading.encoding == "cp1252" and reading.delimiter == ";"
    (app,) = reading.document.applications
    assert app.company == "Müller & Söhne"
    client.force_login(owner)
    page = upload(client, raw).content.decode()
    assert "it was read as Windows Western European (cp1252) text." in page
    assert "Müller &amp; Söhne" in page


# ----------------------------------------------------------------------------------------
# Column names in four languages, and what a row takes when it has no applied date


@pytest.mark.parametrize(
    "header",
    [
        "Firma;Stelle;Beworben am;Vorstellungsgespräch;Notizen;Status",  # German
        "Entreprise;Intitulé du poste;Date de candidature;Entretien;Remarques;Statut",
        "Empresa;Puesto;Fecha de solicitud;Entrevista;Notas;Estado",  # Spanish
        "Company;Job title;Date applied;Interview date;Notes;Status",
    ],
)
def test_column_names_in_english_german_french_and_spanish_are_proposed(header):
    reading = csv_read(f"{header}\nAcme;Dev;2026-09-14;2026-09-20;hi;rejected\n")

    assert reading.errors == []
    assert [column.meaning for column in reading.columns] == [
        "company",
        "role",
        "applied_on",
        "interview_on",
        "notes",
        "stage",
    ]
    (app,) = reading.document.applications
    assert (app.applied_on, app.interviews[0].date, app.outcome) == (
        D(2026, 9, 14),
        D(2026, 9, 20),
        "rejected",
    )


def test_a_row_without_an_applied_date_takes_the_day_it_was_added_and_says_so():
    reading = csv_read(
        "company,role,applied,created at\n"
        "Acme,Dev,2026-09-14,2026-09-01\n"
        "Beta,Dev,,2026-09-02 10:00:00\n"
        "Gamma,Dev,,someday\n"
    )

    assert reading.errors == [
        "Column “created at”, row 4 (“someday”): not a date; write dates YYYY-MM-DD, like "
        "2026-11-20"
    ]  # once, though it stands for the applied date too
    reading = csv_read(
        "company,role,applied,created at\nAcme,Dev,2026-09-14,2026-09-01\nBeta,Dev,,2026-09-02\n"
    )
    assert [app.applied_on for app in reading.document.applications] == [
        D(2026, 9, 14),
        D(2026, 9, 2),
    ]
    assert reading.added_as_applied == 1


@pytest.mark.parametrize(
    "text, encoding",
    [
        ("company,role,applied\nŁódzka Spółka,Programista,2026-09-14\n", "cp1250"),
        ("company,role,applied\nЯндекс,Разработчик данных,2026-09-14\n", "cp1251"),
        ("company,role,applied\nSociété Générale,Ingénieur à Paris,2026-09-14\n", "cp1252"),
    ],
)
def test_a_csv_in_a_windows_code_page_is_read_in_the_one_it_was_written_in(text, encoding):
    reading = csv_read(text.encode(encoding))

    assert reading.errors == []
    assert reading.encoding == encoding
    (app,) = reading.document.applications
    assert (app.company, app.role) == tuple(text.split("\n")[1].split(",")[:2])


def test_a_large_csv_in_a_code_page_is_judged_by_a_sample_of_its_lines_past_ascii(monkeypatch):
    judged = []
    judge = files.charset_normalizer.from_bytes
    monkeypatch.setattr(
        files.charset_normalizer,
        "from_bytes",
        lambda raw, **options: judged.append(len(raw)) or judge(raw, **options),
    )
    text = "company,role,applied,notes\n"
    text += "".join(f"Company {n},Engineer,2026-09-14,\n" for n in range(20_000))
    text += "".join(f"Müller & Söhne {n},Entwickler,2026-09-15,Grüße\n" for n in range(8_000))
    raw = text.encode("cp1252")
    assert len(raw) > 3 * files.SAMPLE_BYTES  # half of it in lines past ASCII

    reading = csv_read(raw)

    assert reading.errors == []
    assert reading.encoding == "cp1252"
    assert reading.document.applications[-1].company == "Müller & Söhne 7999"
    assert judged and max(judged) <= files.SAMPLE_BYTES


def test_a_csv_read_in_a_code_page_is_decoded_whole_past_its_sample():
    # The sample ends within a row far before the last; the last row's letters are read
    # in the code page it chose.
    text = "company,role,applied,notes\n"
    text += "Łódzka Spółka,Programista,2026-09-14,źdźbło\n"
    text += "".join(f"Spółka {n},Programista,2026-09-14,ćma\n" for n in range(15_000))
    text += "Żabka,Analityk,2026-09-15,\n"
    raw = text.encode("cp1250")
    assert len(raw) > 2 * files.SAMPLE_BYTES

    reading = csv_read(raw)

    assert reading.errors == []
    assert reading.encoding == "cp1250"
    companies = [app.company for app in reading.document.applications]
    assert (companies[0], companies[-1]) == ("Łódzka Spółka", "Żabka")


def test_the_note_on_a_settled_column_shows_a_value_that_settles_it():
    reading = csv_read(
        "company,role,applied\nAcme,Dev,2026-09-01\nBeta,Dev,31/02/2026\n"
        "Gamma,Dev,14/09/2026\nDelta,Dev,03/04/2026\n"
    )

    # Not the ISO date, nor February 31 (an error of its own): the first real one.
    assert reading.date_notes == [
        "Column “applied”: 3 dates like 14/09/2026 were read day first (14/09/2026 is 2026-09-14)."
    ]


def test_the_mapping_step_offers_a_hundred_columns_and_counts_only_those_it_leaves_out():
    header = ["company", "role", "applied"] + [f"extra {n}" for n in range(120)] + ["notes"]
    row = ["Acme", "Dev", "2026-09-14"] + ["x"] * 120 + ["hello"]
    reading = csv_read(",".join(header) + "\n" + ",".join(row) + "\n")

    shown = [column.name for column in reading.columns]
    assert len(shown) == 101 and shown[-1] == "notes"  # a known column is always shown
    assert reading.more_columns == 120 - 97
    assert reading.document.applications[0].notes == "hello"
