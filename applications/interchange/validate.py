"""Reading and checking a hearback/v1 file (docs/data-format.md), before anything is saved.

The whole file is checked first, against the format and the models' own limits and
constraints, so that bad input is found here with its JSON path, never by an
IntegrityError half-way through a write. Pure: no database, no clock.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.validators import EmailValidator, URLValidator
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.interchange.schema import (
    Amount,
    Choice,
    Constant,
    Context,
    Date,
    ErrorList,
    Flag,
    Ignored,
    Label,
    Objects,
    Ref,
    Refs,
    Schema,
    Text,
    TimeOfDay,
    TooManyErrors,
    json_type,
    shown,
)
from applications.models import (
    EARLIEST_DATE,
    EMAIL_TEXT,
    LATEST_DATE,
    LONG_TEXT,
    MAX_PEOPLE,
    MAX_PEOPLE_MET,
    PHONE_TEXT,
    SALARY_LIMIT,
    SHORT_TEXT,
    URL_TEXT,
    Channel,
    FollowUpKind,
    InterviewFormat,
    Outcome,
    ResponseOutcome,
    Source,
    follow_up_date_problems,
    interview_date_problems,
)
from applications.timing import Timing, decision_dates

FORMAT = "hearback/v1"

# One upload (the JSON and CSV pages) holds at most this many applications: importing
# them takes seconds, far below the server's 30 s per request. A bigger file is split,
# or imported with the `import_applications` command, which has no such limit.
MAX_UPLOAD_APPLICATIONS = 10_000


@dataclass(frozen=True, slots=True)
class UploadContents:
    """What the applications of one file hold in all: people (`contacts`), interviews,
    follow-ups, and people met (the refs in interviews' `contacts` lists: one row each)."""

    contacts: int
    interviews: int
    follow_ups: int
    people_met: int


# What one upload holds at most in all its applications besides their number: five
# people, five interviews, ten follow-ups and ten people met per application at the
# 10,000 applications, far above any real search (a busy one has a few hundred
# applications with a few of each), so the largest upload is still saved in seconds.
# The count is also what keeps a small file from being costly: 1.5 million people in
# one application fit in 20 MB, and 700 people met at each of 700 interviews in 3 MB.
# A file over them is refused before it is checked (and, past what all of them
# together allow, before it is even read to its end), with nothing saved.
MAX_UPLOAD_CONTENTS = UploadContents(
    contacts=50_000, interviews=50_000, follow_ups=100_000, people_met=100_000
)


# ----------------------------------------------------------------------------------------
# The validated document: plain values, ready to write


# Plain (not frozen) dataclasses: an import builds 16 per application, and frozen ones
# take twice as long to build. Nothing changes them after validation.


@dataclass(slots=True)
class ValidContact:
    ref: str | None
    name: str
    email: str
    phone: str
    title: str


@dataclass(slots=True)
class ValidInterview:
    date: datetime.date
    format: str
    contacts: tuple[int, ...]  # positions in the application's `contacts`
    next_steps: str
    decision_from: datetime.date | None
    decision_by: datetime.date | None
    timing: str = ""  # what they said (a Timing value); "" when not kept
    time: datetime.time | None = None  # when it starts, in the user's zone
    place: str = ""


@dataclass(slots=True)
class ValidFollowUp:
    date: datetime.date
    kind: str
    channel: str
    contact: int | None  # position in the application's `contacts`
    note: str
    new_decision_by: datetime.date | None
    outcome: str  # "" for none, as the database stores it


@dataclass(slots=True)
class ValidApplication:
    company: str
    role: str
    applied_on: datetime.date
    posting_url: str
    notes: str
    outcome: str  # "" for none, as the database stores it
    snoozed_until: datetime.date | None
    contacts: tuple[ValidContact, ...]
    interviews: tuple[ValidInterview, ...]
    follow_ups: tuple[ValidFollowUp, ...]
    location: str = ""
    remote: bool = False
    salary_min: int | None = None
    salary_max: int | None = None
    source: str = ""


@dataclass(slots=True)
class ValidatedDocument:
    applications: tuple[ValidApplication, ...]


class InvalidDocument(ValueError):
    """An import was given data that does not pass `validate_document`."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


# ----------------------------------------------------------------------------------------
# The rules across fields: the models' date constraints, and the response-only fields


def _iso(value) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else ""


# The words for each broken date constraint (by its violation_error_code): the file's
# own field names and dates, which the constraints' messages cannot give.
_DATE_PROBLEMS = {
    "range_without_end": gettext_lazy(
        "a range needs its end: give decision_by too (a single date goes in decision_by)"
    ),
    "range_out_of_order": gettext_lazy(
        "%(from)s is after decision_by (%(by)s); a range goes from the earlier date"
    ),
    "decision_before_interview": gettext_lazy(
        "%(decision)s is before the interview (%(date)s); they cannot decide "
        "before they have met you"
    ),
    "new_date_before_response": gettext_lazy("%(new)s is before the response itself (%(date)s)"),
    "courtesy_with_date": gettext_lazy(
        'a courtesy reply (outcome "courtesy") brings no news, so no new date; a reply '
        "with a new date is an update (outcome null)"
    ),
    # The dates against what they said (`timing`).
    "dates_not_said": gettext_lazy(
        "timing %(timing)s says they gave no date, so there is no decision date to give; "
        "leave it out, or change timing"
    ),
    "date_is_one_day": gettext_lazy(
        'timing "date" is one day, given in decision_by alone (two dates are timing "range")'
    ),
    "range_needs_both": gettext_lazy('timing "range" needs both decision_from and decision_by'),
    "phrase_needs_date": gettext_lazy(
        "timing %(timing)s stands for dates: from an interview on %(date)s it means %(means)s"
    ),
}


def _meaning(values) -> str:
    """What a phrase said at the interview means in the format's fields ("decision_by
    2026-12-04", "decision_from 2026-12-07 and decision_by 2026-12-11")."""
    if not isinstance(values["date"], datetime.date):
        return "?"
    first, last = decision_dates(values["timing"], values["date"])
    if first is None:
        return f"decision_by {_iso(last)}"
    return _("decision_from %(first)s and decision_by %(last)s") % {
        "first": _iso(first),
        "last": _iso(last),
    }


def _report_date_problems(problems, values, path, errors):
    for problem in problems:
        dates = {
            "date": _iso(values["date"]),
            "from": _iso(values.get("decision_from")),
            "by": _iso(values.get("decision_by")),
            "new": _iso(values.get("new_decision_by")),
            "decision": _iso(values[problem.field]),
            "timing": shown(values.get("timing", "")),
        }
        if problem.code == "phrase_needs_date":
            dates["means"] = _meaning(values)
        errors.add(f"{path}.{problem.field}", _DATE_PROBLEMS[problem.code] % dates)


def _decision_dates(values, path, errors):
    """An interview's decision dates against the models' constraints, and against what
    they said (dates already reported as unreadable are compared with nothing). The dates
    given are the ones kept: a phrase's dates are not worked out again on import, so an
    export always reads back exactly."""
    problems = interview_date_problems(
        date=values["date"],
        decision_from=values["decision_from"],
        decision_by=values["decision_by"],
        timing=values["timing"],
    )
    _report_date_problems(problems, values, path, errors)


def _salary_range(values, path, errors):
    """The model's rule: a salary range does not end before it starts."""
    low, high = values.get("salary_min"), values.get("salary_max")
    if isinstance(low, int) and isinstance(high, int) and low > high:
        errors.add(
            f"{path}.salary_max",
            _("%(high)s is below salary_min (%(low)s); a range goes from the lower amount")
            % {"high": high, "low": low},
        )


def _response_fields(values, path, errors):
    """Only the company gives a new date or a verdict (`kind: "response"`), and its new
    date is not before the response itself."""
    kind = values["kind"]
    if kind == FollowUpKind.RESPONSE:
        problems = follow_up_date_problems(
            date=values["date"],
            new_decision_by=values["new_decision_by"],
            outcome=values["outcome"],
        )
        _report_date_problems(problems, values, path, errors)
    elif kind is not None:
        if values["new_decision_by"] is not None:
            errors.add(
                f"{path}.new_decision_by",
                _('only a response (kind "response") can give a new date; this is %(kind)s')
                % {"kind": shown(kind)},
            )
        if values["outcome"]:
            errors.add(
                f"{path}.outcome",
                _('only a response (kind "response") can have an outcome; this is %(kind)s')
                % {"kind": shown(kind)},
            )


# ----------------------------------------------------------------------------------------
# The format, one table per object: its fields in the format's order (the export's, and
# the errors'), their limits and choices from the models


def _date(*, required=False) -> Date:
    return Date(earliest=EARLIEST_DATE, latest=LATEST_DATE, required=required)


CONTACT = Schema(
    {
        "ref": Label(),
        "name": Text(SHORT_TEXT, required=True),
        "email": Text(
            EMAIL_TEXT,
            # The validators of the model fields' form fields: import accepts what forms do.
            validator=EmailValidator(),
            invalid=gettext_lazy("not an email address we can use"),
        ),
        "phone": Text(PHONE_TEXT),
        "title": Text(SHORT_TEXT),
    },
    build=ValidContact,
)

INTERVIEW = Schema(
    {
        "date": _date(required=True),
        "format": Choice(InterviewFormat, default=InterviewFormat.OTHER.value),
        "contacts": Refs(
            limit=MAX_PEOPLE_MET,
            too_long=gettext_lazy(
                "lists %(count)s people; one interview has met at most %(limit)s"
            ),
        ),
        "next_steps": Text(LONG_TEXT),
        "decision_from": _date(),
        "decision_by": _date(),
        # Added with rules v2: optional, always written by export.
        "timing": Choice(Timing, default=""),
        # Added with scheduled interviews: optional, always written by export.
        "time": TimeOfDay(),
        "place": Text(URL_TEXT),
    },
    build=ValidInterview,
    rules=(_decision_dates,),
)

FOLLOW_UP = Schema(
    {
        "date": _date(required=True),
        "kind": Choice(FollowUpKind, default=None, nullable=False, required=True),
        "channel": Choice(Channel, default=Channel.OTHER.value),
        "contact": Ref(),
        "note": Text(LONG_TEXT),
        "new_decision_by": _date(),
        "outcome": Choice(ResponseOutcome, default=""),
    },
    build=ValidFollowUp,
    rules=(_response_fields,),
)

APPLICATION = Schema(
    {
        "id": Ignored(),
        "company": Text(SHORT_TEXT, required=True),
        "role": Text(SHORT_TEXT, required=True),
        "applied_on": _date(required=True),
        "posting_url": Text(
            URL_TEXT,
            validator=URLValidator(),
            invalid=gettext_lazy(
                "not a web address we can use (it should look like https://example.com/jobs/1)"
            ),
        ),
        "notes": Text(LONG_TEXT),
        "outcome": Choice(Outcome, default=""),
        "snoozed_until": _date(),
        "contacts": Objects(
            CONTACT,
            limit=MAX_PEOPLE,
            too_long=gettext_lazy("holds %(count)s people; one application has at most %(limit)s"),
        ),
        "interviews": Objects(INTERVIEW),
        "follow_ups": Objects(FOLLOW_UP),
        # Added with the applications table: optional, always written by export.
        "location": Text(SHORT_TEXT),
        "remote": Flag(),
        "salary_min": Amount(limit=SALARY_LIMIT),
        "salary_max": Amount(limit=SALARY_LIMIT),
        "source": Choice(Source, default=""),
        "status": Ignored(),
    },
    build=ValidApplication,
    holds_refs=True,
    rules=(_salary_range,),
)


def _document(*, format, applications) -> ValidatedDocument:
    return ValidatedDocument(applications=applications)


DOCUMENT = Schema(
    {
        "format": Constant(
            FORMAT,
            missing=gettext_lazy('is required: add "format": "hearback/v1" at the top'),
            wrong=gettext_lazy(
                'must be "hearback/v1", not %(found)s; this file is not in a format we know'
            ),
        ),
        "exported_at": Ignored(),
        "applications": Objects(APPLICATION),
    },
    build=_document,
)


# ----------------------------------------------------------------------------------------
# Reading the file


class _JSONObject(dict):
    """A parsed JSON object that remembers keys given twice (JSON keeps the last one
    silently; a duplicated key is as much a typo as an unknown one)."""

    duplicate_keys = ()


def _json_object(pairs):
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    obj = _JSONObject(pairs)
    seen = set()
    obj.duplicate_keys = tuple(
        dict.fromkeys(key for key, _value in pairs if key in seen or seen.add(key))
    )
    return obj


def _refuse_constant(name):
    raise ValueError(name)


class _TooManyObjects(Exception):
    """Raised while parsing past the objects an upload may hold (not a ValueError,
    which the parser's own errors are)."""


def _counting(max_objects: int):
    """`_json_object`, refusing the object past `max_objects`: parsing stops there, so a
    file of millions of small objects costs what its first `max_objects` do."""
    count = 0

    def read(pairs):
        nonlocal count
        count += 1
        if count > max_objects:
            raise _TooManyObjects
        return _json_object(pairs)

    return read


def _max_objects(max_applications: int, limits: UploadContents) -> int:
    """The JSON objects a file within the upload limits holds at most: the document,
    each application and its `status`, each person, interview and follow-up."""
    return 1 + 2 * max_applications + limits.contacts + limits.interviews + limits.follow_ups


def _max_arrays(max_applications: int, limits: UploadContents) -> int:
    """The JSON arrays a file within the upload limits holds at most: the document's
    `applications`, each application's three lists, and each interview's people.
    Anything else holding arrays is over (an `exported_at` of 6.9 million empty lists, a
    20 MB file, took 550 MB to read)."""
    return 1 + 3 * max_applications + limits.interviews


# A JSON string, escapes and all: a "[" inside one is text, not an array.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')


def _too_many_arrays(raw: str, limit: int) -> bool:
    """Does the JSON text `raw` open more than `limit` arrays? The parser has no hook
    for arrays as it has for objects, so they are counted before it runs: every "[" in
    one C call, and only when those are too many (text with brackets in it can be), the
    ones outside strings, in one more."""
    return raw.count("[") > limit and _JSON_STRING.sub("", raw).count("[") > limit


def parse_json(
    raw: bytes | str,
    *,
    max_applications: int | None = None,
    max_contents: UploadContents | None = None,
) -> tuple[object | None, list[str]]:
    """The data in `raw` (UTF-8 bytes, or text), or None and the errors.

    Refuses a file over `settings.HEARBACK_MAX_IMPORT_BYTES`, text that is not UTF-8,
    invalid JSON (with the line and column of the first problem), NaN/Infinity, and a top
    level that is not an object. Keys given twice are kept for `validate_document` to
    report with their path. With both limits (the upload pages), a file holding more
    JSON objects or arrays than they allow together (`_max_objects`, `_max_arrays`) is
    refused, read no further.
    """
    limit = settings.HEARBACK_MAX_IMPORT_BYTES
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > limit:
        return None, [
            _("The file is larger than %(limit)s, the most we accept.")
            % {"limit": filesizeformat(limit)}
        ]
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return None, [
                _("byte %(position)d: the file is not UTF-8 text; is it a hearback/v1 JSON file?")
                % {"position": error.start + 1}
            ]
    read_object = _json_object
    if max_applications is not None and max_contents is not None:
        if _too_many_arrays(raw, _max_arrays(max_applications, max_contents)):
            return None, [_too_big_to_read(max_applications, max_contents)]
        read_object = _counting(_max_objects(max_applications, max_contents))
    try:
        data = json.loads(raw, object_pairs_hook=read_object, parse_constant=_refuse_constant)
    except _TooManyObjects:
        return None, [_too_big_to_read(max_applications, max_contents)]
    except json.JSONDecodeError as error:
        return None, [
            _("line %(line)d, column %(column)d: this is not valid JSON (%(problem)s)")
            % {"line": error.lineno, "column": error.colno, "problem": error.msg}
        ]
    except RecursionError:
        return None, [_("the JSON is nested too deeply to be a hearback/v1 file")]
    except ValueError as error:  # NaN/Infinity, or a number with thousands of digits
        return None, [
            _("this is not valid JSON: %(problem)s is not a number JSON allows")
            % {"problem": str(error)[:40]}
        ]
    if not isinstance(data, dict):
        return None, [_document_not_object(data)]
    return data, []


def _document_not_object(data) -> str:
    return _(
        'document: must be a JSON object, {"format": "hearback/v1", "applications": [...]}, '
        "not %(found)s"
    ) % {"found": json_type(data)}


def load_document(
    raw: bytes | str,
    *,
    max_applications: int | None = None,
    max_contents: UploadContents | None = None,
) -> tuple[ValidatedDocument | None, list[str]]:
    """`parse_json` then `validate_document`: what the upload pages and the command run."""
    limits = {"max_applications": max_applications, "max_contents": max_contents}
    data, errors = parse_json(raw, **limits)
    if errors:
        return None, errors
    return validate_document(data, **limits)


# ----------------------------------------------------------------------------------------
# Checking it


def validate_document(
    data,
    *,
    max_applications: int | None = None,
    max_contents: UploadContents | None = None,
) -> tuple[ValidatedDocument | None, list[str]]:
    """Check `data` (parsed JSON) against hearback/v1 and the models' constraints.

    Returns the clean document and `[]`, or `None` and the errors, each `<json path>:
    <what is wrong>`, in the file's order; checking stops after MAX_REPORTED_ERRORS.
    With `max_applications` and `max_contents` (the upload pages), a file holding more
    is refused unchecked: counting costs a few list lengths per application.
    """
    if not isinstance(data, dict):
        return None, [_document_not_object(data)]
    too_many = _too_many_applications(data, max_applications)
    if too_many:
        return None, [too_many]
    if max_contents is not None:
        too_much = _too_much_inside(data, max_contents)
        if too_much:
            return None, too_much
    errors = ErrorList()
    document = None
    with contextlib.suppress(TooManyErrors):  # the errors so far are the answer
        document = DOCUMENT.read(data, "", errors, Context())
    if errors:
        return None, errors.as_list()
    return document, []


def _too_many_applications(data: dict, limit: int | None) -> str | None:
    items = data.get("applications")
    if limit is None or type(items) is not list or len(items) <= limit:
        return None
    return _(
        "applications: this file holds %(count)s applications; one upload takes at "
        "most %(limit)s. Split it into smaller files, or ask whoever runs this "
        "Hearback to import it with the import_applications command."
    ) % {"count": _grouped(len(items)), "limit": _grouped(limit)}


def _grouped(number: int) -> str:
    return number_format(number, force_grouping=True)


_SPLIT = gettext_lazy(
    "Split it into smaller files, or ask whoever runs this Hearback to import it with the "
    "import_applications command."
)

_TOO_MUCH = {
    "contacts": gettext_lazy(
        "This file holds %(count)s people (contacts) in all its applications; one upload "
        "takes at most %(limit)s."
    ),
    "interviews": gettext_lazy(
        "This file holds %(count)s interviews in all its applications; one upload takes at "
        "most %(limit)s."
    ),
    "follow_ups": gettext_lazy(
        "This file holds %(count)s follow-ups in all its applications; one upload takes at "
        "most %(limit)s."
    ),
    "people_met": gettext_lazy(
        "This file names %(count)s people met at interviews (the contacts of its "
        "interviews, in all); one upload takes at most %(limit)s."
    ),
}


def _too_much_inside(data: dict, limits: UploadContents) -> list[str]:
    """A message for each of `limits` the document's applications go over together,
    counted from list lengths alone (whatever the items are: checking them comes later).
    People met are counted only when the interviews are within their limit, so that
    walking them is bounded too."""
    items = data.get("applications")
    applications = [item for item in items if isinstance(item, dict)] if type(items) is list else []

    def total(key):
        return sum(len(value) for app in applications if type(value := app.get(key)) is list)

    found = {key: total(key) for key in ("contacts", "interviews", "follow_ups")}
    if found["interviews"] <= limits.interviews:
        found["people_met"] = sum(
            len(people)
            for app in applications
            if type(interviews := app.get("interviews")) is list
            for interview in interviews
            if isinstance(interview, dict) and type(people := interview.get("contacts")) is list
        )
    return [
        f"{_TOO_MUCH[key] % {'count': _grouped(count), 'limit': _grouped(limit)}} {_SPLIT}"
        for key, count in found.items()
        if count > (limit := getattr(limits, key))
    ]


def _too_big_to_read(max_applications: int, limits: UploadContents) -> str:
    return _(
        "This file holds more than one upload takes: at most %(applications)s applications, "
        "with %(contacts)s people (contacts), %(interviews)s interviews and %(follow_ups)s "
        "follow-ups in all. %(split)s"
    ) % {
        "applications": _grouped(max_applications),
        "contacts": _grouped(limits.contacts),
        "interviews": _grouped(limits.interviews),
        "follow_ups": _grouped(limits.follow_ups),
        "split": _SPLIT,
    }
