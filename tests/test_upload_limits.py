"""What one upload may hold (docs/data-format.md, "Limits"), beside its size and its
number of applications: people, interviews, follow-ups and people met in all, and the
columns of a spreadsheet. A file over them is refused cheaply, with a message saying
which limit and what to do, and nothing is saved.

The hostile files are the ones that broke the server (issue 10): 1.5 million people in
one application (19.5 MB), 700 people met at each of 700 interviews (3.4 MB), and a CSV
whose first row has a million empty columns. The time bounds are generous guards
against reading them whole, not measurements (bench/bench_import.py measures).
"""

import io
import json
import time
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications import interchange, spreadsheet
from applications.interchange import UploadContents
from tests.test_interchange import spec_example
from tests.test_transfer_views import counts, upload

SPLIT = (
    "Split it into smaller files, or ask whoever runs this Hearback to import it with the "
    "import_applications command."
)
SMALL = UploadContents(contacts=4, interviews=3, follow_ups=5, people_met=6)


def application(*, contacts=0, interviews=0, follow_ups=0, met=0):
    """One valid application with that many of each; each interview meets `met` people
    (the first ones)."""
    return {
        "company": "Acme",
        "role": "Engineer",
        "applied_on": "2026-11-02",
        "contacts": [{"ref": f"p{n}", "name": f"Person {n}"} for n in range(contacts)],
        "interviews": [
            {"date": "2026-11-10", "contacts": [f"p{n}" for n in range(met)]}
            for _ in range(interviews)
        ],
        "follow_ups": [{"date": "2026-11-11", "kind": "check_in"} for _ in range(follow_ups)],
    }


def document(*applications):
    return {"format": "hearback/v1", "applications": list(applications)}


def check(data, contents=SMALL):
    return interchange.validate_document(data, max_applications=10, max_contents=contents)


# ----------------------------------------------------------------------------------------
# What a file holds, counted across its applications


def test_a_file_at_every_limit_is_checked_and_accepted():
    data = document(
        application(contacts=2, interviews=1, follow_ups=3, met=2),
        application(contacts=2, interviews=2, follow_ups=2, met=2),
    )

    clean, errors = check(data)

    assert errors == []
    assert len(clean.applications) == 2


@pytest.mark.parametrize(
    "first, second, message",
    [
        (
            {"contacts": 2},
            {"contacts": 3},
            "This file holds 5 people (contacts) in all its applications; one upload takes "
            "at most 4.",
        ),
        (
            {"interviews": 2},
            {"interviews": 2},
            "This file holds 4 interviews in all its applications; one upload takes at most 3.",
        ),
        (
            {"follow_ups": 3},
            {"follow_ups": 3},
            "This file holds 6 follow-ups in all its applications; one upload takes at most 5.",
        ),
        (
            {"contacts": 3, "interviews": 2, "met": 3},
            {"contacts": 1, "interviews": 1, "met": 1},
            "This file names 7 people met at interviews (the contacts of its interviews, in "
            "all); one upload takes at most 6.",
        ),
    ],
)
def test_one_more_than_a_limit_in_all_the_applications_is_refused_unchecked(first, second, message):
    # Over two applications: the limits count the whole file. The bad date would be an
    # error too, had the file been checked.
    data = document(application(**first), {**application(**second), "applied_on": "someday"})

    clean, errors = check(data)

    assert clean is None
    assert errors == [f"{message} {SPLIT}"]


def test_every_limit_gone_over_is_named():
    data = document(application(contacts=5, interviews=0, follow_ups=9))

    _clean, errors = check(data)

    assert errors == [
        f"This file holds 5 people (contacts) in all its applications; one upload takes at "
        f"most 4. {SPLIT}",
        f"This file holds 9 follow-ups in all its applications; one upload takes at most 5. "
        f"{SPLIT}",
    ]


@pytest.mark.parametrize(
    "app",
    [
        "not an application",
        {"company": "A", "contacts": "not a list", "interviews": {"not": "a list"}},
        {"company": "A", "interviews": [1, {"contacts": "p1"}, {"contacts": None}]},
    ],
)
def test_counting_takes_any_shape_and_leaves_the_errors_to_the_checks(app):
    _clean, errors = check(document(app))

    assert errors
    assert not [error for error in errors if error.startswith("This file")]


def test_the_command_and_other_callers_without_limits_take_any_amount():
    data = document(application(contacts=5, interviews=4, follow_ups=6, met=5))

    clean, errors = interchange.validate_document(data)

    assert errors == [] and len(clean.applications[0].contacts) == 5


def test_a_file_over_what_the_limits_allow_together_is_not_read_to_its_end():
    # 1 document + 2 x 2 applications and their status + 4 + 3 + 5 = 17 objects at most.
    at_the_limits = document(
        {**application(contacts=4, interviews=3, follow_ups=5), "status": {}},
        {**application(), "status": {}},
    )
    one_more = document(
        {**application(contacts=4, interviews=3, follow_ups=5), "status": {}},
        {**application(), "status": {"one": {}}},
    )
    limits = {"max_applications": 2, "max_contents": SMALL}

    assert interchange.load_document(json.dumps(at_the_limits), **limits)[1] == []
    assert interchange.load_document(json.dumps(one_more), **limits) == (
        None,
        [
            "This file holds more than one upload takes: at most 2 applications, with 4 "
            f"people (contacts), 3 interviews and 5 follow-ups in all. {SPLIT}"
        ],
    )
    # Without limits (the command), it is read and checked as ever.
    assert interchange.load_document(json.dumps(one_more))[1] == []


# ----------------------------------------------------------------------------------------
# The hostile files, at the real limits


def million_people() -> bytes:
    """One application with 1.5 million people: 19.5 MB."""
    people = ",".join(['{"name":"x"}'] * 1_500_000)
    return (
        '{"format":"hearback/v1","applications":[{"company":"A","role":"B",'
        '"applied_on":"2026-01-01","contacts":[' + people + "]}]}"
    ).encode()


def people_met_everywhere() -> bytes:
    """700 people met at each of 700 interviews: 490,000 people met in 3.4 MB."""
    refs = [f"p{n}" for n in range(700)]
    app = {
        "company": "A",
        "role": "B",
        "applied_on": "2026-01-01",
        "contacts": [{"ref": ref, "name": "x"} for ref in refs],
        "interviews": [{"date": "2026-01-02", "contacts": refs}] * 700,
    }
    return json.dumps(document(app), separators=(",", ":")).encode()


def load_upload(raw):
    started = time.perf_counter()
    result = interchange.load_document(
        raw,
        max_applications=interchange.MAX_UPLOAD_APPLICATIONS,
        max_contents=interchange.MAX_UPLOAD_CONTENTS,
    )
    return result, time.perf_counter() - started


def test_a_million_and_a_half_people_are_refused_before_the_file_is_read_whole():
    raw = million_people()
    assert len(raw) > 19_000_000

    (clean, errors), seconds = load_upload(raw)

    assert clean is None
    assert errors == [
        "This file holds more than one upload takes: at most 10,000 applications, with "
        "50,000 people (contacts), 50,000 interviews and 100,000 follow-ups in all. " + SPLIT
    ]
    assert seconds < 5  # read whole and checked, it took 5 s and then 30 s to save


def test_seven_hundred_people_met_at_seven_hundred_interviews_are_refused_unchecked():
    (clean, errors), seconds = load_upload(people_met_everywhere())

    assert clean is None
    assert errors == [
        "This file names 490,000 people met at interviews (the contacts of its interviews, "
        f"in all); one upload takes at most 100,000. {SPLIT}"
    ]
    assert seconds < 5


@pytest.mark.django_db
@pytest.mark.parametrize("make", [million_people, people_met_everywhere])
def test_the_import_page_refuses_them_and_saves_nothing(owner_client, make):
    response = upload(owner_client, make())

    assert response.status_code == 400
    (error,) = response.context["form"].errors["file"]
    assert error.startswith("This file ") and error.endswith(SPLIT)
    assert counts() == (0, 0, 0, 0)


def many_small_lists(count: int) -> bytes:
    """A file whose `exported_at` (ignored on import) is `count` empty lists: 6.9 million
    of them, 20.7 MB, took the server from 82 MB to 630 MB."""
    return (
        '{"format":"hearback/v1","applications":[],"exported_at":['
        + ",".join(["[]"] * count)
        + "]}"
    ).encode()


@pytest.mark.django_db
def test_a_file_of_many_small_lists_is_refused_unread_and_saves_nothing(owner_client):
    response = upload(owner_client, many_small_lists(100_000))

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "This file holds more than one upload takes: at most 10,000 applications, with "
        "50,000 people (contacts), 50,000 interviews and 100,000 follow-ups in all. " + SPLIT
    ]
    assert counts() == (0, 0, 0, 0)


def test_brackets_in_text_are_not_lists():
    # 100,000 "[" in notes, more than the lists a file may hold: text, and read as such.
    app = {**spec_example()["applications"][0], "notes": "[" * 10_000}

    (clean, errors), _seconds = load_upload(json.dumps(document(*[app] * 10)))

    assert errors == []
    assert len(clean.applications) == 10


@pytest.mark.django_db
def test_an_upload_within_every_limit_is_saved(owner_client):
    app = spec_example()["applications"][0]

    response = upload(owner_client, document(*[app] * 3))

    assert response.status_code == 302
    assert counts() == (3, 3, 3, 3)


# ----------------------------------------------------------------------------------------
# Spreadsheets: the columns


def header_with_empty_columns(empty: int) -> str:
    return "company,role,applied" + "," * empty + "\n"


def test_a_first_row_of_more_columns_than_we_read_is_refused():
    text = header_with_empty_columns(spreadsheet.MAX_COLUMNS - 2) + "Acme,Dev,2026-11-02\n"

    errors = spreadsheet.csv_read(text).errors

    assert errors == [
        "Row 1: the first row has 16,385 columns; we read at most 16,384, as many as a "
        "spreadsheet program has. Delete the columns you do not need (empty ones too, often "
        "far to the right) and save the file again."
    ]


def test_a_first_row_of_as_many_columns_as_we_read_is_read():
    text = header_with_empty_columns(spreadsheet.MAX_COLUMNS - 3) + "Acme,Dev,2026-11-02\n"

    reading = spreadsheet.csv_read(text)

    assert reading.errors == [] and len(reading.rows) == 1


def test_a_million_empty_columns_over_ten_thousand_rows_is_refused_at_once():
    rows = "".join(f"Company {n},Dev,2026-11-02\n" for n in range(10_000))
    text = header_with_empty_columns(1_000_000) + rows

    started = time.perf_counter()
    reading = spreadsheet.csv_read(text, max_applications=interchange.MAX_UPLOAD_APPLICATIONS)

    assert reading.errors[0].startswith("Row 1: the first row has 1,000,003 columns;")
    assert time.perf_counter() - started < 5  # it ran into the 30 s request timeout


def test_reading_costs_each_row_its_own_cells_never_the_headers(monkeypatch):
    # Without the column limit, a wide first row over many rows: the cost must follow the
    # size of the file (1 MB here), not columns x rows (a thousand million; 40 s).
    monkeypatch.setattr(spreadsheet.reading, "MAX_COLUMNS", 10**7)
    rows = "".join(f"Company {n},Dev,2026-11-02\n" for n in range(2_000))
    text = header_with_empty_columns(500_000) + rows

    started = time.perf_counter()
    reading = spreadsheet.csv_read(text)

    assert reading.errors == [] and len(reading.rows) == 2_000
    assert time.perf_counter() - started < 5


def test_unnamed_columns_holding_something_are_still_listed_as_ignored():
    text = header_with_empty_columns(5) + "Acme,Dev,2026-11-02,,x,,,y\nBeta,Dev,2026-11-02,z\n"

    reading = spreadsheet.csv_read(text)

    assert reading.errors == []
    assert [column.name for column in reading.ignored] == [
        "column D (no name)",
        "column E (no name)",
        "column H (no name)",
    ]


@pytest.mark.django_db
def test_the_spreadsheet_page_refuses_too_many_columns_and_saves_nothing(owner_client):
    text = header_with_empty_columns(20_000) + "Acme,Dev,2026-11-02\n"

    response = owner_client.post(
        reverse("csv_import"),
        {"file": SimpleUploadedFile("wide.csv", text.encode(), "text/csv")},
    )

    assert response.status_code == 400
    assert response.context["errors"][0].startswith("Row 1: the first row has 20,003 columns;")
    assert counts() == (0, 0, 0, 0)


# ----------------------------------------------------------------------------------------
# Spreadsheets: Excel workbooks


def workbook_bytes(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_workbook_that_unpacks_to_more_than_we_read_is_refused_unopened(monkeypatch):
    raw = workbook_bytes([["company", "role", "applied"], ["Acme", "Dev", "2026-11-02"]])
    monkeypatch.setattr(spreadsheet.files, "MAX_WORKBOOK_UNPACKED", 4096)

    errors = spreadsheet.csv_read(raw).errors

    assert errors == [
        "This workbook unpacks to more than we read (4.0\xa0KB, of which 16.0\xa0MB of text). "
        "Delete the sheets and columns you do not need, or save the sheet as CSV."
    ]


def test_a_packed_bomb_is_refused_by_what_it_says_it_unpacks_to():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(
            "xl/worksheets/sheet1.xml", b"\0" * (spreadsheet.files.MAX_WORKBOOK_UNPACKED + 1)
        )
    raw = out.getvalue()
    assert len(raw) < 200_000  # a small upload

    started = time.perf_counter()
    errors = spreadsheet.csv_read(raw).errors

    assert errors[0].startswith("This workbook unpacks to more than we read (32.0\xa0MB")
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    "raw",
    [
        b"PK\x03\x04 a damaged zip",
        # A zip, but an OpenDocument sheet, not an Excel workbook.
        b"PK\x03\x04\x14\x00\x00\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument",
    ],
)
def test_a_file_that_is_no_workbook_is_refused_in_words(raw):
    assert spreadsheet.csv_read(raw).errors == [
        "The file is not a spreadsheet we can read. Upload an Excel workbook (.xlsx) or a CSV file."
    ]


def test_a_damaged_workbook_is_refused_in_words():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not a workbook")
    assert spreadsheet.csv_read(out.getvalue()).errors == [
        "The file is not a spreadsheet we can read. Upload an Excel workbook (.xlsx) or a CSV file."
    ]


def test_a_workbook_with_more_rows_than_one_upload_takes_is_refused():
    rows = [["company", "role", "applied"]] + [[f"C{n}", "Dev", "2026-11-02"] for n in range(4)]

    reading = spreadsheet.csv_read(workbook_bytes(rows), max_applications=3)

    assert reading.errors == [
        "This file holds more than 3 applications; one upload takes at most 3. Split it into "
        "smaller files and import them one by one."
    ]


def test_a_workbook_whose_shared_text_unpacks_to_more_than_we_read_is_refused(monkeypatch):
    workbook = openpyxl.Workbook()
    workbook.active.append(["company", "role", "applied"])
    plain = io.BytesIO()
    workbook.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w") as packed:
        for part in source.infolist():
            packed.writestr(part.filename, source.read(part.filename))
        packed.writestr("xl/sharedStrings.xml", b"<sst>" + b"<si><t>x</t></si>" * 300 + b"</sst>")
    monkeypatch.setattr(spreadsheet.files, "MAX_WORKBOOK_STRINGS", 4096)

    errors = spreadsheet.csv_read(out.getvalue()).errors

    assert errors[0].startswith("This workbook unpacks to more than we read")
