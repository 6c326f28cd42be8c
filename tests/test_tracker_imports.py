"""Bringing a search from elsewhere: files in the exact shapes other job trackers and
spreadsheet programs write, imported through the web pages as a person would: one
upload, one look at the mapping step, one press of Import.

The samples are written from each tool's public code and documentation
(docs/data-format.md, "Files from other trackers"). Each test checks the count, the
fields and the outcomes saved, that a second import changes nothing, and that a planned
follow-up is never recorded as done.
"""

import datetime
import io
from html.parser import HTMLParser

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Application, FollowUp, Interview
from applications.spreadsheet import csv_read
from tests.factories import PreferencesFactory
from tests.helpers import messages_of

IMPORT_URL = reverse("csv_import")
D = datetime.date


class _MappingForm(HTMLParser):
    """The fields of the preview's form (the one carrying the file's text) as a browser
    would post them after pressing `button`: hidden fields, ticked boxes and radios, each
    select's selected option."""

    def __init__(self, button):
        super().__init__(convert_charrefs=True)
        self.button = button
        self.forms, self.current, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = []
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("hidden", "text") or (kind in ("checkbox", "radio") and "checked" in attrs):
                self.current.append((attrs["name"], attrs.get("value", "on")))
        elif tag == "select":
            self.select = [attrs["name"], None, None]  # name, first option, selected
        elif tag == "option" and self.select is not None:
            if self.select[1] is None:
                self.select[1] = attrs["value"]
            if "selected" in attrs:
                self.select[2] = attrs["value"]
        elif tag == "button" and attrs.get("name") == "action" and attrs["value"] == self.button:
            self.current.append(("action", attrs["value"]))

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            name, first, selected = self.select
            self.current.append((name, selected or first))
            self.select = None
        elif tag == "form":
            self.current = None


def form_of(response, button="import") -> dict:
    parser = _MappingForm(button)
    parser.feed(response.content.decode())
    (form,) = [fields for fields in parser.forms if any(k == "csv_text" for k, _v in fields)]
    data = {}
    for name, value in form:
        data.setdefault(name, []).append(value)
    assert data.get("action") == [button], "the page has no such button"
    return data


def upload(client, content, name, **headers):
    raw = content if isinstance(content, bytes) else content.encode("utf-8")
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, raw)}, headers=headers)


def mapping_of(response) -> dict:
    return {column.name: column.meaning for column in response.context["reading"].columns}


def import_through_the_pages(client, content, name, **headers):
    """Upload, look at the preview's mapping step, press Import. Returns the preview."""
    preview = upload(client, content, name, **headers)
    assert preview.status_code == 200, preview.context["errors"]
    saved = client.post(IMPORT_URL, form_of(preview), headers=headers)
    assert saved.status_code == 302, saved.context and saved.context["errors"]
    return preview


def saved(owner):
    return {
        app.company: app
        for app in Application.objects.filter(owner=owner).prefetch_related(
            "interviews", "follow_ups"
        )
    }


def again_changes_nothing(client, owner, content, name, **headers):
    before = (
        Application.objects.filter(owner=owner).count(),
        Interview.objects.count(),
        FollowUp.objects.count(),
    )
    preview = upload(client, content, name, **headers)
    page = preview.content.decode()
    assert "Every application in the file is already in Hearback" in page
    assert "Import 0 applications" in page
    response = client.post(IMPORT_URL, form_of(preview), headers=headers)
    assert messages_of(response) == [
        "Nothing new: every application in the file is already in Hearback."
    ]
    assert before == (
        Application.objects.filter(owner=owner).count(),
        Interview.objects.count(),
        FollowUp.objects.count(),
    )


# ----------------------------------------------------------------------------------------
# Job trackers

LINKEDIN = (
    "Application Date,Contact Email,Contact Phone Number,Company Name,Job Title,Job Url,"
    "Resume Name,Question And Answers\n"
    '"11/13/23, 9:42 AM",jane.doe@example.com,+15551234567,Acme Corp,Senior Backend '
    "Engineer,http://www.linkedin.com/jobs/view/3761234567,Jane_Doe_Resume.pdf,"
    '"How many years of work experience do you have with Python?:6 | Are you legally '
    'authorized to work in the United States?:Yes"\n'
    '"3/24/23, 4:11 PM",jane.doe@example.com,,Globex,Backend Engineer,'
    "http://www.linkedin.com/jobs/view/3512345678,Jane_Doe_Resume.pdf,\n"
    '"7/6/23, 2:20 PM",jane.doe@example.com,15551234567,Northstar Labs,"Full-stack '
    'Developer, Platform",http://www.linkedin.com/jobs/view/3655555555,CandidateResume.pdf,'
    "What is your total experience?:1\n"
)


@pytest.mark.django_db
def test_linkedins_job_applications_export(owner, owner_client):
    preview = import_through_the_pages(owner_client, LINKEDIN, "Job Applications.csv")

    assert preview.context["reading"].tool.name == "LinkedIn"
    assert mapping_of(preview) == {
        "Application Date": "applied_on",
        "Contact Email": "ignore",  # the applicant's own address
        "Contact Phone Number": "ignore",
        "Company Name": "company",
        "Job Title": "role",
        "Job Url": "posting_url",
        "Resume Name": "ignore",
        "Question And Answers": "ignore",
    }
    assert "3 dates like 11/13/23, 9:42 AM were read month first" in preview.content.decode()
    apps = saved(owner)
    assert sorted(apps) == ["Acme Corp", "Globex", "Northstar Labs"]
    acme = apps["Acme Corp"]
    assert (acme.role, acme.applied_on, acme.source, acme.outcome) == (
        "Senior Backend Engineer",
        D(2023, 11, 13),
        "linkedin",
        "",
    )
    assert acme.posting_url == "http://www.linkedin.com/jobs/view/3761234567"
    assert apps["Northstar Labs"].role == "Full-stack Developer, Platform"
    assert apps["Globex"].applied_on == D(2023, 3, 24)
    again_changes_nothing(owner_client, owner, LINKEDIN, "Job Applications.csv")


HUNTR_HEADER = (
    "id,createdAt,title,salary,location,url,rootDomain,htmlDescription,deadline,color,"
    "lastMovedAt,boardId,boardName,listId,listName,companyId,companyName,companyDomain,"
    "creatorUserId,creatorUserFirstName,creatorUserLastName,creatorUserEmail\n"
)
HUNTR = HUNTR_HEADER + (
    "621a7cb175c52e0028bec585,2026-09-26 19:17:05,Backend Engineer,85000,Berlin,"
    "https://jobs.example.com/1,example.com,-,2026-10-01 05:00:00,-,-,61e844f72aaff400280f85b7,"
    "Job Search 2026,61e844f72aaff400280f85b9,applied,58f5885850bf92000c42a4ce,Samsung,"
    "samsung.com,61e844f72aaff400280f85b6,Jane,Doe,jane@example.com\n"
    "621a7db675c52e0028bec61c,2026-09-26 19:21:26,Software Engineer,-,-,-,-,-,"
    "2026-10-31 04:00:00,-,2026-10-11 16:47:21,61e844f72aaff400280f85b7,Job Search 2026,"
    "61e844f72aaff400280f85bc,rejected,58f52d5a50bf92000c429d41,Yext,yext.com,"
    "61e844f72aaff400280f85b6,Jane,Doe,jane@example.com\n"
    "621a7e0c75c52e0028bec67b,2026-09-27 10:22:52,Platform Engineer,-,-,-,-,,-,-,-,"
    "61e844f72aaff400280f85b7,Job Search 2026,61e844f72aaff400280f85ba,Wishlist,"
    "58bf5e48e281d9000c2a5c7e,Box,box.com,61e844f72aaff400280f85b6,Jane,Doe,jane@example.com\n"
    "621a7e0c75c52e0028bec680,2026-10-02 08:00:00,Data Engineer,-,-,-,-,,-,-,-,"
    "61e844f72aaff400280f85b7,Job Search 2026,61e844f72aaff400280f85bb,Offer,"
    "58bf5e48e281d9000c2a5c7f,Initech,initech.com,61e844f72aaff400280f85b6,Jane,Doe,"
    "jane@example.com\n"
)


@pytest.mark.django_db
def test_huntrs_export_takes_the_day_a_job_was_added_as_the_applied_date(owner, owner_client):
    preview = import_through_the_pages(owner_client, HUNTR, "huntr-export.csv")

    reading = preview.context["reading"]
    assert reading.tool.name == "Huntr"
    mapping = mapping_of(preview)
    assert {name: meaning for name, meaning in mapping.items() if meaning != "ignore"} == {
        "createdAt": "added_on",
        "title": "role",
        "salary": "salary",
        "location": "location",
        "url": "posting_url",
        "listName": "stage",
        "companyName": "company",
    }
    assert "deadline" in mapping and mapping["deadline"] == "ignore"
    page = preview.content.decode()
    assert "3 rows have no applied date: the day each was added (column “createdAt”)" in page
    assert "1 row is a job you never applied to" in page
    apps = saved(owner)
    assert sorted(apps) == ["Initech", "Samsung", "Yext"]  # the wishlist job left out
    samsung = apps["Samsung"]
    assert (samsung.role, samsung.applied_on, samsung.outcome) == (
        "Backend Engineer",
        D(2026, 9, 26),
        "",
    )
    assert (samsung.location, samsung.salary_min, samsung.salary_max) == ("Berlin", 85000, 85000)
    assert (apps["Yext"].outcome, apps["Yext"].posting_url, apps["Yext"].location) == (
        "rejected",
        "",
        "",
    )  # "-" is empty
    assert apps["Initech"].outcome == "offer"
    again_changes_nothing(owner_client, owner, HUNTR, "huntr-export.csv")


TEAL = (
    "id,company_name,role,location,url,source,excitement,min_salary,max_salary,"
    "salary_currency,salary_pay_period,status,statusName,added_at,applied_at,follow_up_at,"
    "updated_at,archived_at\n"
    '3f9c2a4e,Acme Corp,Senior Product Designer,"Austin, TX",'
    "https://boards.greenhouse.io/acme/jobs/4012345,LinkedIn,4,140000,165000,USD,year,"
    '"{""id"":""1"",""name"":""Interviewing""}",Interviewing,2026-09-01T15:22:10Z,'
    "2026-09-14T09:05:00Z,2027-01-21T09:00:00Z,2026-09-18T12:40:31Z,\n"
    "8a1d,Globex,Data Analyst,Remote,https://jobs.lever.co/globex/1,Teal Job Board,2,,,,,"
    '"{""name"":""Bookmarked""}",Bookmarked,2026-09-10T08:00:00Z,,,2026-09-10T08:00:00Z,\n'
    'c77e,Initech,Backend Engineer,"Toronto, ON",https://initech.com/careers/42,'
    'Company website,3,,,,,"{""name"":""Applied""}",Applied,2026-07-02T10:11:12Z,'
    "2026-07-03T02:00:00Z,2026-12-30T09:00:00Z,2026-08-20T09:30:00Z,2026-08-20T09:30:00Z\n"
    "d88f,Umbrella,Staff Engineer,,https://umbrella.example/jobs/9,Referral,5,,,,,"
    '"{""name"":""Negotiating""}",Negotiating,2026-08-01T10:00:00Z,2026-08-02T10:00:00Z,,'
    "2026-09-20T09:30:00Z,\n"
)


@pytest.mark.django_db
def test_teals_export_with_timestamps_bookmarks_and_planned_follow_ups(owner, owner_client):
    PreferencesFactory(user=owner, time_zone="America/Los_Angeles")

    preview = import_through_the_pages(owner_client, TEAL, "teal-jobs.csv")

    assert preview.context["reading"].tool.name == "Teal"
    mapping = mapping_of(preview)
    assert (mapping["statusName"], mapping["status"]) == ("stage", "ignore")
    assert (mapping["applied_at"], mapping["added_at"]) == ("applied_on", "added_on")
    assert mapping["follow_up_at"] == "ignore"  # a plan, not a contact
    assert (mapping["min_salary"], mapping["max_salary"]) == ("salary_min", "salary_max")
    apps = saved(owner)
    assert sorted(apps) == ["Acme Corp", "Initech", "Umbrella"]  # the bookmark left out
    acme = apps["Acme Corp"]
    assert (acme.applied_on, acme.outcome, acme.location) == (D(2026, 9, 14), "", "Austin, TX")
    assert (acme.salary_min, acme.salary_max, acme.source) == (140000, 165000, "linkedin")
    # 02:00 UTC on July 3 is still July 2 in Los Angeles.
    assert apps["Initech"].applied_on == D(2026, 7, 2)
    assert apps["Initech"].source == "company_site"
    assert (apps["Umbrella"].outcome, apps["Umbrella"].source) == ("offer", "referral")
    assert not FollowUp.objects.filter(application__owner=owner).exists()
    again_changes_nothing(owner_client, owner, TEAL, "teal-jobs.csv")


SIMPLIFY = (
    "Job Title,Company Name,Job URL,Applied Date,Status,Status Date,Archived,Date Archived,Notes\n"
    "Software Engineer I,Acme Corp,https://boards.greenhouse.io/acme/jobs/4012345,2026-09-14,"
    "APPLIED,2026-09-14,false,N/A,N/A\n"
    "New Grad SWE - Infrastructure,Globex,https://jobs.ashbyhq.com/globex/9fde8d03,2026-08-02,"
    "REJECTED,2026-08-30,false,N/A,Referral from Sam\n"
    "Data Engineer Intern,Initech,N/A,N/A,SAVED,2026-09-20,false,N/A,N/A\n"
    "Platform Engineer,Hooli,https://hooli.example/jobs/3,2026-07-20,WITHDRAWN,2026-08-01,"
    "true,2026-08-01,N/A\n"
    "Backend Engineer,Pied Piper,N/A,2026-09-01,INTERVIEWING,2026-09-10,false,N/A,N/A\n"
)


@pytest.mark.django_db
def test_simplifys_export_with_na_for_empty_and_saved_jobs(owner, owner_client):
    preview = import_through_the_pages(owner_client, SIMPLIFY, "simplify-tracker.csv")

    assert preview.context["reading"].tool.name == "Simplify"
    assert mapping_of(preview)["Status Date"] == "ignore"
    apps = saved(owner)
    assert sorted(apps) == ["Acme Corp", "Globex", "Hooli", "Pied Piper"]
    assert [(name, apps[name].outcome) for name in sorted(apps)] == [
        ("Acme Corp", ""),
        ("Globex", "rejected"),
        ("Hooli", "withdrawn"),
        ("Pied Piper", ""),
    ]
    assert (apps["Globex"].notes, apps["Acme Corp"].notes) == ("Referral from Sam", "")
    assert apps["Pied Piper"].posting_url == ""
    again_changes_nothing(owner_client, owner, SIMPLIFY, "simplify-tracker.csv")


JOBSYNC = (
    "index,createdAt,applied,appliedDate,Company,JobTitle,jobType,workplaceType,Location,"
    "JobSource,Status\r\n"
    "1,2026-07-28,Yes,2026-07-29,Acme Corp,Senior Frontend Engineer,Full Time,Remote,"
    '"Austin, TX",LinkedIn,Interview\r\n'
    "2,2026-07-20,No,N/A,Globex,Data Engineer,Contract,Not specified,N/A,N/A,Draft\r\n"
    "3,2026-06-02,Yes,2026-06-03,Initech,Backend Developer,Full Time,Onsite,Toronto,Indeed,"
    "Rejected\n"  # JobSync joins its 200-row chunks with a bare line feed
    "4,2026-06-01,No,N/A,Hooli,QA Engineer,Full Time,Hybrid,N/A,N/A,Expired\n"
)


@pytest.mark.django_db
def test_jobsyncs_export_with_a_yes_no_applied_column_beside_the_date(owner, owner_client):
    preview = import_through_the_pages(owner_client, JOBSYNC, "jobsync-2026-07-30.csv")

    assert preview.context["reading"].tool.name == "JobSync"
    mapping = mapping_of(preview)
    assert (mapping["applied"], mapping["appliedDate"], mapping["createdAt"]) == (
        "was_applied",
        "applied_on",
        "added_on",
    )
    assert "2 rows are jobs you never applied to" in preview.content.decode()
    apps = saved(owner)
    assert sorted(apps) == ["Acme Corp", "Initech"]
    acme = apps["Acme Corp"]
    assert (acme.applied_on, acme.remote, acme.location, acme.source, acme.outcome) == (
        D(2026, 7, 29),
        True,
        "Austin, TX",
        "linkedin",
        "",
    )
    initech = apps["Initech"]
    assert (initech.remote, initech.source, initech.outcome) == (False, "job_board", "rejected")
    again_changes_nothing(owner_client, owner, JOBSYNC, "jobsync-2026-07-30.csv")


REACTIVE_RESUME = (
    "Company,Role,Stage,Applied Date,Location,Salary,Source,URL,Notes,Tags,Archived\n"
    "Stripe,Frontend Engineer,applied,2026-07-14,Remote,$180k,LinkedIn,"
    "https://stripe.com/jobs/listing/frontend-engineer/123,Referred by Alex,remote;react,false\n"
    'Linear,Product Engineer,interview,2026-07-02,"San Francisco, CA",,Company website,'
    "https://linear.app/careers/456,Onsite 7/20,design-eng,false\n"
    'Acme Corp,Backend Engineer,rejected,2026-06-10,"Berlin, DE",€85k,Referral,,,backend,true\n'
    "Globex,Designer,saved,2026-07-20,,,,,,,false\n"
    "Initech,Staff Engineer,offer,2026-05-02,,,,,,,false\n"
)


@pytest.mark.django_db
def test_reactive_resumes_applications_with_their_stage(owner, owner_client):
    preview = import_through_the_pages(owner_client, REACTIVE_RESUME, "applications.csv")

    assert preview.context["reading"].tool.name == "Reactive Resume"
    assert (mapping_of(preview)["Tags"], mapping_of(preview)["Archived"]) == ("ignore", "ignore")
    apps = saved(owner)
    assert sorted(apps) == ["Acme Corp", "Initech", "Linear", "Stripe"]  # "saved" left out
    assert [(name, apps[name].outcome) for name in sorted(apps)] == [
        ("Acme Corp", "rejected"),
        ("Initech", "offer"),
        ("Linear", ""),
        ("Stripe", ""),
    ]
    assert (apps["Stripe"].salary_min, apps["Acme Corp"].salary_max) == (180000, 85000)
    assert apps["Linear"].notes == "Onsite 7/20"
    again_changes_nothing(owner_client, owner, REACTIVE_RESUME, "applications.csv")


# ----------------------------------------------------------------------------------------
# Spreadsheet programs

SHEET_ROWS = [  # company, role, applied (y, m, d), status, planned follow-up (y, m, d)
    ("Acme", "Engineer", (2026, 9, 14), "Applied", (2027, 1, 10)),
    ("Beta", "Analyst", (2026, 3, 4), "Rejected", None),
    ("Gamma", "Designer", (2026, 10, 1), "Offer", None),
]


def sheet(header, write_date, delimiter=","):
    lines = [delimiter.join(header)]
    for company, role, applied, status, follow_up in SHEET_ROWS:
        cells = [company, role, write_date(D(*applied)), status]
        cells.append(write_date(D(*follow_up)) if follow_up else "")
        lines.append(delimiter.join(f'"{cell}"' if delimiter in cell else cell for cell in cells))
    return "\r\n".join(lines) + "\r\n"


SPREADSHEETS = {
    "Excel en-US": (lambda d: f"{d.month}/{d.day}/{d.year}", ",", "utf-8-sig"),
    "Excel en-GB": (lambda d: f"{d.day:02}/{d.month:02}/{d.year}", ",", "utf-8-sig"),
    "Excel de-DE": (lambda d: f"{d.day:02}.{d.month:02}.{d.year}", ";", "cp1252"),
    "Google Sheets": (lambda d: f"{d.month}/{d.day}/{d.year}", ",", "utf-8"),
    "LibreOffice": (lambda d: f"{d.month:02}/{d.day:02}/{d.year % 100:02}", ",", "utf-8"),
    "Apple Numbers": (lambda d: f"{d:%b} {d.day}, {d.year}", ",", "utf-8"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("program", list(SPREADSHEETS))
def test_spreadsheets_as_each_program_saves_them(owner, owner_client, program):
    write_date, delimiter, encoding = SPREADSHEETS[program]
    header = ["Company", "Job Title", "Date Applied", "Status", "Follow up"]
    content = sheet(header, write_date, delimiter).encode(encoding)

    preview = import_through_the_pages(owner_client, content, f"{program}.csv")

    reading = preview.context["reading"]
    assert reading.questions == []  # every date column settled by its values: no question
    assert mapping_of(preview)["Follow up"] == "ignore"  # planned dates, not check-ins
    apps = saved(owner)
    assert {name: (app.applied_on, app.outcome) for name, app in apps.items()} == {
        "Acme": (D(2026, 9, 14), ""),
        "Beta": (D(2026, 3, 4), "rejected"),
        "Gamma": (D(2026, 10, 1), "offer"),
    }
    assert not FollowUp.objects.filter(application__owner=owner).exists()
    again_changes_nothing(owner_client, owner, content, f"{program}.csv")


@pytest.mark.django_db
def test_an_excel_workbook_with_date_cells(owner, owner_client):
    workbook = openpyxl.Workbook()
    sheet_ = workbook.active
    sheet_.title = "Applications"
    sheet_.append(["Company", "Role", "Applied", "Status", "Salary", "Remote", "Last contacted"])
    sheet_.append(["Acme", "Engineer", datetime.datetime(2026, 9, 14), "Applied", 85000, True,
                   datetime.date(2026, 10, 1)])  # fmt: skip
    sheet_.append(["Beta", "Analyst", datetime.date(2026, 3, 4), "Rejected", None, False, None])
    sheet_.append([])  # an empty row: skipped
    sheet_.append(["Gamma", "Designer", "Oct 1, 2026", "Wishlist", None, None, None])
    workbook.create_sheet("Notes")
    out = io.BytesIO()
    workbook.save(out)

    preview = import_through_the_pages(owner_client, out.getvalue(), "search.xlsx")

    page = preview.content.decode()
    assert "Read from “Applications”, the first of the 2 sheets of your workbook" in page
    apps = saved(owner)
    assert sorted(apps) == ["Acme", "Beta"]
    acme = apps["Acme"]
    assert (acme.applied_on, acme.salary_min, acme.remote) == (D(2026, 9, 14), 85000, True)
    assert [f.date for f in acme.follow_ups.all()] == [D(2026, 10, 1)]
    assert (apps["Beta"].applied_on, apps["Beta"].outcome) == (D(2026, 3, 4), "rejected")
    again_changes_nothing(owner_client, owner, out.getvalue(), "search.xlsx")


def test_a_workbooks_number_cell_with_a_decimal_part_is_its_amount():
    workbook = openpyxl.Workbook()
    workbook.active.append(["Company", "Role", "Applied", "Salary"])
    workbook.active.append(["Acme", "Engineer", datetime.date(2026, 9, 14), 85000.5])
    workbook.active.append(["Beta", "Analyst", datetime.date(2026, 9, 15), 72000.25])
    out = io.BytesIO()
    workbook.save(out)

    reading = csv_read(out.getvalue())

    assert reading.errors == []
    acme, beta = reading.document.applications
    assert (acme.salary_min, beta.salary_max) == (85_001, 72_000)


# ----------------------------------------------------------------------------------------
# The mapping step


@pytest.mark.django_db
def test_the_user_changes_what_a_column_and_a_status_mean_before_saving(owner, owner_client):
    content = (
        "Firm,Position,Sent,Phase,Contact\n"
        "Acme,Engineer,2026-09-14,Ghosted,Kim\n"
        "Beta,Analyst,2026-09-15,Turned down,Lee\n"
    )
    preview = upload(owner_client, content, "mine.csv")
    # "Firm" and "Sent" are no names Hearback knows: the file cannot be read yet.
    assert preview.status_code == 400
    assert mapping_of(preview)["Firm"] == "ignore"
    assert "No column is read as “company”" in preview.content.decode()

    choices = form_of(preview, button="preview")
    choices.update({"column-0": ["company"], "column-2": ["applied_on"], "column-3": ["stage"]})
    updated = owner_client.post(IMPORT_URL, choices)
    assert updated.status_code == 200
    stages = {stage.word: stage.meaning for stage in updated.context["reading"].stages}
    assert stages == {"Ghosted": "open", "Turned down": "open"}  # not known: read open
    assert updated.context["reading"].unknown_stages == ["Ghosted", "Turned down"]

    # Turned down is a rejection; and the import button saves what the preview showed.
    data = form_of(updated)
    data["stage-meaning"] = [
        "rejected" if word == "Turned down" else meaning
        for word, meaning in zip(data["stage-word"], data["stage-meaning"], strict=True)
    ]
    changed = owner_client.post(IMPORT_URL, data)
    assert changed.status_code == 200  # changed since the preview: shown again, not saved
    assert "You changed how the file is read" in changed.content.decode()
    assert not Application.objects.exists()
    assert owner_client.post(IMPORT_URL, form_of(changed)).status_code == 302

    apps = saved(owner)
    assert {name: app.outcome for name, app in apps.items()} == {"Acme": "", "Beta": "rejected"}
    assert apps["Acme"].applied_on == D(2026, 9, 14)


@pytest.mark.django_db
def test_the_warning_of_unknown_statuses_goes_once_each_has_a_meaning(owner_client):
    content = (
        "Firma,Stelle,Beworben am,Status\n"
        "Acme,Engineer,2026-09-14,Absage\n"
        "Beta,Analyst,2026-09-15,Angebot\n"
        "Gamma,Tester,2026-09-16,Absage\n"
    )
    warning = "These statuses are not ones we know"
    preview = upload(owner_client, content, "mine.csv")
    assert warning in preview.content.decode()

    data = form_of(preview, button="preview")
    meanings = {"Absage": "rejected", "Angebot": "offer"}
    data["stage-meaning"] = [meanings[word] for word in data["stage-word"]]
    updated = owner_client.post(IMPORT_URL, data)

    assert updated.status_code == 200
    assert warning not in updated.content.decode()
    outcomes = [app.outcome for app in updated.context["reading"].document.applications]
    assert outcomes == ["rejected", "offer", "rejected"]


@pytest.mark.django_db
def test_a_column_set_to_ignore_is_not_saved(owner, owner_client):
    content = "Company,Role,Applied,Notes\nAcme,Engineer,2026-09-14,private thoughts\n"
    preview = upload(owner_client, content, "a.csv")
    data = form_of(preview, button="preview")
    data["column-3"] = ["ignore"]
    updated = owner_client.post(IMPORT_URL, data)

    assert owner_client.post(IMPORT_URL, form_of(updated)).status_code == 302
    assert Application.objects.get(owner=owner).notes == ""


@pytest.mark.django_db
def test_an_ambiguous_date_column_is_asked_with_the_locale_as_the_answer(owner, owner_client):
    content = "Company,Role,Applied\nAcme,Engineer,03/04/2026\nBeta,Analyst,05/06/2026\n"
    preview = upload(owner_client, content, "a.csv", accept_language="de-DE,de;q=0.9")
    data = form_of(preview, button="preview")
    assert data["order-applied_on"] == ["day"]  # a German browser: day first

    data["order-applied_on"] = ["month"]
    updated = owner_client.post(IMPORT_URL, data, headers={"accept-language": "de-DE"})
    assert owner_client.post(IMPORT_URL, form_of(updated)).status_code == 302

    assert {app.company: app.applied_on for app in Application.objects.all()} == {
        "Acme": D(2026, 3, 4),
        "Beta": D(2026, 5, 6),
    }
