"""The exports of the job trackers people leave for Hearback: their header names and
status words, as data (docs/data-format.md, "Files from other trackers" lists them).

A file is recognised as a tool's export when enough of its first row's names are that
tool's (`columns.recognise`); its columns are then proposed from the tool's table first,
and its status words read with the tool's meanings. Adding a tracker is adding a `Tool`.
Header names are written as the tool writes them and compared normalised (no case,
accents, spaces, underscores or dashes); status words in lower case.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Meaning keys (columns.MEANINGS) and stage meanings, spelt out here so that this module
# is only data.
_IGNORE, _OPEN, _NOT_SENT = "ignore", "open", "not sent"
_REJECTED, _WITHDRAWN, _OFFER = "rejected", "withdrawn", "offer"


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    headers: dict[str, str]  # header name -> meaning key ("ignore": left out)
    words: dict[str, str] = field(default_factory=dict)  # status word -> stage meaning
    source: str = ""  # where every job in its export was found, when it says so


# Each table: every column of the tool's export, as it names them, with what Hearback
# reads it as; its status words where they differ from the general ones (columns.py).
TOOLS: tuple[Tool, ...] = (
    Tool(
        # LinkedIn's data export, Jobs/Job Applications.csv: every row is an application
        # sent through LinkedIn; there is no status. "Application Date": 11/13/23, 9:42 AM.
        "LinkedIn",
        {
            "Application Date": "applied_on",
            "Contact Email": _IGNORE,  # the applicant's own address, not a recruiter's
            "Contact Phone Number": _IGNORE,
            "Company Name": "company",
            "Job Title": "role",
            "Job Url": "posting_url",
            "Resume Name": _IGNORE,
            "Question And Answers": _IGNORE,
        },
        source="linkedin",
    ),
    Tool(
        # Huntr's job export: camelCase columns, "-" for empty, the board's list as the
        # stage, and no applied date: the day the job was added is proposed instead.
        "Huntr",
        {
            "id": _IGNORE,
            "createdAt": "added_on",
            "title": "role",
            "salary": "salary",
            "location": "location",
            "url": "posting_url",
            "rootDomain": _IGNORE,
            "htmlDescription": _IGNORE,
            "deadline": _IGNORE,  # the posting's deadline to apply, not a decision date
            "color": _IGNORE,
            "lastMovedAt": _IGNORE,
            "boardId": _IGNORE,
            "boardName": _IGNORE,
            "listId": _IGNORE,
            "listName": "stage",
            "companyId": _IGNORE,
            "companyName": "company",
            "companyDomain": _IGNORE,
            "creatorUserId": _IGNORE,
            "creatorUserFirstName": _IGNORE,
            "creatorUserLastName": _IGNORE,
            "creatorUserEmail": _IGNORE,
        },
        {"wishlist": _NOT_SENT, "ghosted": _OPEN},
    ),
    Tool(
        # Teal's "Download Data": snake_case columns, timestamps like 2026-09-14T09:05:00Z,
        # applied_at empty for jobs only bookmarked; "status" holds the status as JSON,
        # "statusName" as a word; follow_up_at is a plan, not a contact.
        "Teal",
        {
            "id": _IGNORE,
            "company_name": "company",
            "role": "role",
            "location": "location",
            "url": "posting_url",
            "source": "source",
            "excitement": _IGNORE,
            "min_salary": "salary_min",
            "max_salary": "salary_max",
            "salary_currency": _IGNORE,
            "salary_pay_period": _IGNORE,
            "status": _IGNORE,
            "statusName": "stage",
            "added_at": "added_on",
            "applied_at": "applied_on",
            "follow_up_at": _IGNORE,
            "updated_at": _IGNORE,
            "archived_at": _IGNORE,
        },
        {
            "bookmarked": _NOT_SENT,
            "applying": _NOT_SENT,
            "negotiating": _OFFER,
            "accepted": _OFFER,
            "not selected": _REJECTED,
            "no response": _OPEN,
            "archived": _OPEN,
        },
    ),
    Tool(
        # Simplify's tracker export: "N/A" for empty, statuses in capitals.
        "Simplify",
        {
            "Job Title": "role",
            "Company Name": "company",
            "Job URL": "posting_url",
            "Applied Date": "applied_on",
            "Status": "stage",
            "Status Date": _IGNORE,  # the day the status last changed
            "Archived": _IGNORE,
            "Date Archived": _IGNORE,
            "Notes": "notes",
        },
        {"saved": _NOT_SENT, "ghosted": _OPEN, "accepted": _OFFER},
    ),
    Tool(
        # JobSync's export (jobsync-YYYY-MM-DD.csv): a Yes/No "applied" column beside
        # "appliedDate", "N/A" for empty.
        "JobSync",
        {
            "index": _IGNORE,
            "createdAt": "added_on",
            "applied": "was_applied",
            "appliedDate": "applied_on",
            "Company": "company",
            "JobTitle": "role",
            "jobType": _IGNORE,
            "workplaceType": "remote",
            "Location": "location",
            "JobSource": "source",
            "Status": "stage",
        },
        {"draft": _NOT_SENT, "expired": _OPEN, "archived": _OPEN},
    ),
    Tool(
        # Reactive Resume's application tracker, with the columns its own CSV import
        # reads (it has no export of its own yet): stages saved ... rejected.
        "Reactive Resume",
        {
            "Company": "company",
            "Role": "role",
            "Stage": "stage",
            "Applied Date": "applied_on",
            "Location": "location",
            "Salary": "salary",
            "Source": "source",
            "URL": "posting_url",
            "Notes": "notes",
            "Tags": _IGNORE,
            "Archived": _IGNORE,
        },
        {"saved": _NOT_SENT},
    ),
)
