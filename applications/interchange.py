"""hearback/v1 JSON (docs/data-format.md): validate, import, export.

The three steps are separate so every caller (the upload page, the commands, the API)
gets the same behaviour:

- `parse_json(raw)` turns bytes or text into plain data, refusing files over
  `settings.HEARBACK_MAX_IMPORT_BYTES` and reporting syntax errors with line and column.
- `validate_document(data)` is pure (no database): it checks every rule of the format and
  the models' constraints and returns a `ValidatedDocument` of clean Python values, or the
  list of errors, each written `<json path>: <what is wrong>`. Bad input is found here,
  never by an IntegrityError half-way through a write.
- `import_document(user=, document=)` writes a validated document in one transaction with
  one `bulk_create` per table (several times faster than row by row: see
  bench/bench_import.py).

`export_document()` reads a user's data back into the same shape, plus the read-only
`status` of each application (from the status engine) and `exported_at`; `dumps()` writes
it as stable text. Export, import into an empty account, and export again give the same
document, apart from `exported_at`.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from applications import selectors
from applications.models import (
    EARLIEST_DATE,
    EMAIL_TEXT,
    LATEST_DATE,
    LONG_TEXT,
    PHONE_TEXT,
    SHORT_TEXT,
    URL_TEXT,
    Application,
    Channel,
    Contact,
    FollowUp,
    FollowUpKind,
    Interview,
    InterviewFormat,
    Outcome,
    ResponseOutcome,
)

FORMAT = "hearback/v1"

# A bad 20 MB file could hold a million errors; nobody reads past the first screenful,
# and checking stops there: a bad file costs as little as its first errors.
MAX_REPORTED_ERRORS = 100
# One upload (the JSON and CSV pages) holds at most this many applications: importing
# them takes seconds, far below the server's 30 s per request. A bigger file is split,
# or imported with the `import_applications` command, which has no such limit.
MAX_UPLOAD_APPLICATIONS = 10_000

# The spec's key order, used by export and by `dumps`. `id`, `status` and `exported_at`
# are read-only extras of the export: import ignores them.
DOCUMENT_KEYS = ("format", "exported_at", "applications")
APPLICATION_KEYS = (
    "id",
    "company",
    "role",
    "applied_on",
    "posting_url",
    "notes",
    "outcome",
    "snoozed_until",
    "contacts",
    "interviews",
    "follow_ups",
    "status",
)
CONTACT_KEYS = ("ref", "name", "email", "phone", "title")
INTERVIEW_KEYS = ("date", "format", "contacts", "next_steps", "decision_from", "decision_by")
FOLLOW_UP_KEYS = ("date", "kind", "channel", "contact", "note", "new_decision_by", "outcome")
STATUS_KEYS = ("status", "next_action_date", "reason", "as_of")

_DOCUMENT_ACCEPTED = frozenset(DOCUMENT_KEYS)
_DOCUMENT_FIELDS = _DOCUMENT_ACCEPTED - {"exported_at"}
_APPLICATION_ACCEPTED = frozenset(APPLICATION_KEYS)
_APPLICATION_FIELDS = _APPLICATION_ACCEPTED - {"id", "status"}
_CONTACT_FIELDS = frozenset(CONTACT_KEYS)
_INTERVIEW_FIELDS = frozenset(INTERVIEW_KEYS)
_FOLLOW_UP_FIELDS = frozenset(FOLLOW_UP_KEYS)

_OUTCOMES = tuple(Outcome.values)
_INTERVIEW_FORMATS = tuple(InterviewFormat.values)
_KINDS = tuple(FollowUpKind.values)
_CHANNELS = tuple(Channel.values)
_RESPONSE_OUTCOMES = tuple(ResponseOutcome.values)

# Strict YYYY-MM-DD: `date.fromisoformat` alone would also take 20261105 and 2026-W45-4.
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The validators the model fields' form fields use, so import accepts what forms accept.
_validate_url = URLValidator()
_validate_email = EmailValidator()
_INVALID = object()  # a value that was wrong (and reported): skip the checks built on it


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


@dataclass(slots=True)
class ValidatedDocument:
    applications: tuple[ValidApplication, ...]


@dataclass(frozen=True, slots=True)
class ImportResult:
    applications: int
    contacts: int
    interviews: int
    follow_ups: int


class InvalidDocument(ValueError):
    """`import_document` was given data that does not pass `validate_document`."""

    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


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


def parse_json(raw: bytes | str) -> tuple[object | None, list[str]]:
    """The data in `raw` (UTF-8 bytes, or text), or None and the errors.

    Refuses a file over `settings.HEARBACK_MAX_IMPORT_BYTES`, text that is not UTF-8,
    invalid JSON (with the line and column of the first problem), NaN/Infinity, and a top
    level that is not an object. Keys given twice are kept for `validate_document` to
    report with their path.
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
    try:
        data = json.loads(raw, object_pairs_hook=_json_object, parse_constant=_refuse_constant)
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
    ) % {"found": _json_type(data)}


def load_document(
    raw: bytes | str, *, max_applications: int | None = None
) -> tuple[ValidatedDocument | None, list[str]]:
    """`parse_json` then `validate_document`: what the upload page and the command run."""
    data, errors = parse_json(raw)
    if errors:
        return None, errors
    return validate_document(data, max_applications=max_applications)


def parse_date(value) -> datetime.date | None:
    """`value` as a date when it is a string written strictly YYYY-MM-DD, else None."""
    if type(value) is not str or len(value) != 10:  # (which also bounds the cache below)
        return None
    return _parse_date_text(value)


@functools.lru_cache(maxsize=4096)  # a file holds a few hundred distinct days, many times
def _parse_date_text(value: str) -> datetime.date | None:
    if not _DATE_SHAPE.fullmatch(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


# ----------------------------------------------------------------------------------------
# Validation


class TooManyErrors(Exception):
    """Raised by `ErrorList.add` past MAX_REPORTED_ERRORS: checking stops there."""


class ErrorList:
    """Collects `<path>: <message>` lines, at most `limit` of them.

    Adding one more raises TooManyErrors; the caller stops checking, and `as_list()` ends
    with a line saying so. (Counting every error of a bad 20 MB file took longer than a
    request may.) Used by the JSON validator and the CSV reader alike.
    """

    def __init__(self, limit: int = MAX_REPORTED_ERRORS):
        self.messages = []
        self.limit = limit
        self.stopped = False

    def __bool__(self):
        return bool(self.messages)

    def add(self, path: str, message: str):
        if len(self.messages) >= self.limit:
            self.stopped = True
            raise TooManyErrors
        self.messages.append(f"{path}: {message}")

    def as_list(self) -> list[str]:
        if not self.stopped:
            return self.messages
        return self.messages + [
            _(
                "... and more: checking stopped after the first %(count)d errors. Fix "
                "these and check the file again."
            )
            % {"count": len(self.messages)}
        ]


def _grouped(number: int) -> str:
    return number_format(number, force_grouping=True)


def _json_type(value) -> str:
    if value is None:
        return _("null")
    if value is True or value is False:
        return _("true/false")
    if isinstance(value, (int, float)):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    return _("an object")


def _shown(value) -> str:
    """A short JSON rendering of a wrong value for a message."""
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 40 else text[:39] + "…"


def _key_path(path: str, key) -> str:
    if isinstance(key, str) and key.isidentifier() and key.isascii():
        return f"{path}.{key}" if path else key
    return f"{path}[{_shown(key)}]" if path else _shown(key)


def _check_keys(obj: dict, path: str, fields: frozenset, errors: ErrorList, accepted=None):
    """Report keys given twice, and keys that are neither `fields` nor `accepted` (the
    fields plus the export's read-only extras, which import ignores)."""
    accepted = accepted or fields
    for key in getattr(obj, "duplicate_keys", ()):
        errors.add(_key_path(path, key), _("given more than once; keep only one"))
    if accepted.issuperset(obj):  # the usual case, checked in one C call
        return
    for key in obj:
        if key not in accepted:
            text = str(key)
            guess = difflib.get_close_matches(text, fields, n=1) if len(text) < 100 else None
            if guess:
                message = _('unknown field; did you mean "%(field)s"?') % {"field": guess[0]}
            else:
                message = _("unknown field (the fields here are %(fields)s)") % {
                    "fields": ", ".join(sorted(fields))
                }
            errors.add(_key_path(path, key), message)


def _text(obj, key, path, errors, *, limit, required=False) -> str:
    """Text at `obj[key]`: missing or null is "" unless required."""
    value = obj.get(key)
    # The usual case first, in a few C calls: short, plain, and not blank if required.
    if (
        type(value) is str
        and len(value) <= limit
        and value.isascii()
        and "\x00" not in value
        and not (required and (not value or value.isspace()))
    ):
        return value
    if value is None:
        if required:
            errors.add(
                _key_path(path, key),
                _("is required and may not be null") if key in obj else _("is required"),
            )
        return ""
    if type(value) is not str:
        errors.add(
            _key_path(path, key),
            _("must be text, not %(found)s") % {"found": _json_type(value)},
        )
        return ""
    if len(value) > limit:
        errors.add(
            _key_path(path, key),
            _("is %(length)d characters long; the most is %(limit)d")
            % {"length": len(value), "limit": limit},
        )
    if "\x00" in value:
        errors.add(
            _key_path(path, key), _("contains a NUL character (\\u0000), which is not allowed")
        )
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate such as "\ud800": no database takes it
            errors.add(
                _key_path(path, key),
                _("contains a \\u escape (a lone surrogate) that is not a real character"),
            )
    if required and not value.strip():
        errors.add(_key_path(path, key), _("may not be blank"))
    return value


def _date(obj, key, path, errors, *, required=False):
    """A date at `obj[key]`: None when missing or null (unless required), _INVALID when
    wrong."""
    value = obj.get(key)
    if value is None:
        if required:
            errors.add(
                _key_path(path, key),
                _("is required and may not be null") if key in obj else _("is required"),
            )
            return _INVALID
        return None
    day = parse_date(value)
    if day is None:
        errors.add(
            _key_path(path, key),
            _("not a date (write it YYYY-MM-DD, like 2026-11-20), but %(found)s")
            % {"found": _shown(value)},
        )
        return _INVALID
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        errors.add(
            _key_path(path, key),
            _("%(found)s is outside the dates Hearback works with (%(earliest)s to %(latest)s)")
            % {
                "found": _shown(value),
                "earliest": EARLIEST_DATE.isoformat(),
                "latest": LATEST_DATE.isoformat(),
            },
        )
        return _INVALID
    return day


def _choice(obj, key, path, errors, choices, *, default, nullable, required=False) -> str:
    """One of `choices` at `obj[key]`; `default` when missing (or null when `nullable`)."""
    value = obj.get(key)
    if value is None and (key not in obj or nullable) and not required:
        return default
    if value in choices and type(value) is str:
        return value
    if value is None and required:
        errors.add(
            _key_path(path, key),
            _("is required and may not be null") if key in obj else _("is required"),
        )
        return default
    allowed = ", ".join(f'"{choice}"' for choice in choices)
    if nullable:
        allowed = _("%(values)s or null") % {"values": allowed}
    errors.add(
        _key_path(path, key),
        _("must be one of %(allowed)s, not %(found)s")
        % {"allowed": allowed, "found": _shown(value)},
    )
    return default


def _list(obj, key, path, errors) -> list:
    value = obj.get(key)
    if value is None:
        return []
    if type(value) is not list:
        errors.add(
            _key_path(path, key),
            _("must be a list, [...], not %(found)s") % {"found": _json_type(value)},
        )
        return []
    return value


def _is_object(value, path, errors) -> bool:
    if isinstance(value, dict):
        return True
    errors.add(path, _("must be an object, {...}, not %(found)s") % {"found": _json_type(value)})
    return False


def validate_document(
    data, *, max_applications: int | None = None
) -> tuple[ValidatedDocument | None, list[str]]:
    """Check `data` (parsed JSON) against hearback/v1 and the models' constraints.

    Returns the clean document and `[]`, or `None` and the errors, each `<json path>:
    <what is wrong>`, in the file's order; checking stops after MAX_REPORTED_ERRORS.
    With `max_applications` (the upload pages), a longer list is refused unread.
    Pure: no database, no clock.
    """
    errors = ErrorList()
    if not isinstance(data, dict):
        return None, [_document_not_object(data)]
    items = data.get("applications")
    if max_applications is not None and type(items) is list and len(items) > max_applications:
        return None, [
            _(
                "applications: this file holds %(count)s applications; one upload takes at "
                "most %(limit)s. Split it into smaller files, or ask whoever runs this "
                "Hearback to import it with the import_applications command."
            )
            % {"count": _grouped(len(items)), "limit": _grouped(max_applications)}
        ]
    applications = []
    try:
        _check_keys(data, "", _DOCUMENT_FIELDS, errors, _DOCUMENT_ACCEPTED)
        if "format" not in data:
            errors.add("format", _('is required: add "format": "hearback/v1" at the top'))
        elif data["format"] != FORMAT or type(data["format"]) is not str:
            errors.add(
                "format",
                _('must be "hearback/v1", not %(found)s; this file is not in a format we know')
                % {"found": _shown(data["format"])},
            )
        for index, item in enumerate(_list(data, "applications", "", errors)):
            path = f"applications[{index}]"
            if _is_object(item, path, errors):
                applications.append(_application(item, path, errors))
    except TooManyErrors:
        pass
    if errors:
        return None, errors.as_list()
    return ValidatedDocument(applications=tuple(applications)), []


def _application(obj, path, errors) -> ValidApplication:
    # Fields are read in the spec's order so the errors come in the file's order.
    _check_keys(obj, path, _APPLICATION_FIELDS, errors, _APPLICATION_ACCEPTED)
    company = _text(obj, "company", path, errors, limit=SHORT_TEXT, required=True)
    role = _text(obj, "role", path, errors, limit=SHORT_TEXT, required=True)
    applied_on = _date(obj, "applied_on", path, errors, required=True)
    posting_url = _text(obj, "posting_url", path, errors, limit=URL_TEXT)
    if posting_url and len(posting_url) <= URL_TEXT:
        try:
            _validate_url(posting_url)
        except ValidationError:
            errors.add(
                f"{path}.posting_url",
                _("not a web address we can use (it should look like https://example.com/jobs/1)"),
            )
    notes = _text(obj, "notes", path, errors, limit=LONG_TEXT)
    outcome = _choice(obj, "outcome", path, errors, _OUTCOMES, default="", nullable=True)
    snoozed_until = _date(obj, "snoozed_until", path, errors)
    contacts, refs = _contacts(obj, path, errors)
    interviews = []
    for index, item in enumerate(_list(obj, "interviews", path, errors)):
        item_path = f"{path}.interviews[{index}]"
        if _is_object(item, item_path, errors):
            interviews.append(_interview(item, item_path, refs, errors))
    follow_ups = []
    for index, item in enumerate(_list(obj, "follow_ups", path, errors)):
        item_path = f"{path}.follow_ups[{index}]"
        if _is_object(item, item_path, errors):
            follow_ups.append(_follow_up(item, item_path, refs, errors))
    return ValidApplication(
        company=company,
        role=role,
        applied_on=applied_on,
        posting_url=posting_url,
        notes=notes,
        outcome=outcome,
        snoozed_until=snoozed_until,
        contacts=contacts,
        interviews=tuple(interviews),
        follow_ups=tuple(follow_ups),
    )


def _contacts(obj, path, errors) -> tuple[tuple[ValidContact, ...], dict[str, int]]:
    """The application's contacts, and their positions by ref."""
    contacts = []
    refs = {}
    for index, item in enumerate(_list(obj, "contacts", path, errors)):
        item_path = f"{path}.contacts[{index}]"
        if not _is_object(item, item_path, errors):
            continue
        _check_keys(item, item_path, _CONTACT_FIELDS, errors)
        ref = item.get("ref")
        if ref is not None:
            if type(ref) is not str or not ref.strip():
                errors.add(
                    f"{item_path}.ref",
                    _("must be a label (text that is not blank), not %(found)s")
                    % {"found": _shown(ref)},
                )
                ref = None
            elif ref in refs:
                errors.add(
                    f"{item_path}.ref",
                    _(
                        "%(ref)s is already the ref of contacts[%(other)d]; refs must be unique "
                        "within an application"
                    )
                    % {"ref": _shown(ref), "other": refs[ref]},
                )
            else:
                refs[ref] = len(contacts)
        name = _text(item, "name", item_path, errors, limit=SHORT_TEXT, required=True)
        email = _text(item, "email", item_path, errors, limit=EMAIL_TEXT)
        if email and len(email) <= EMAIL_TEXT:
            try:
                _validate_email(email)
            except ValidationError:
                errors.add(f"{item_path}.email", _("not an email address we can use"))
        contacts.append(
            ValidContact(
                ref=ref,
                name=name,
                email=email,
                phone=_text(item, "phone", item_path, errors, limit=PHONE_TEXT),
                title=_text(item, "title", item_path, errors, limit=SHORT_TEXT),
            )
        )
    return tuple(contacts), refs


def _contact(value, path, refs, errors) -> int | None:
    """The position of the contact whose ref is `value`, or None (reported)."""
    position = refs.get(value) if type(value) is str else None
    if position is not None:
        return position
    if type(value) is not str:
        errors.add(
            path,
            _("must be the ref of one of this application's contacts, not %(found)s")
            % {"found": _json_type(value)},
        )
    else:
        errors.add(
            path,
            _("no contact of this application has the ref %(ref)s") % {"ref": _shown(value)},
        )
    return None


def _interview(obj, path, refs, errors) -> ValidInterview:
    _check_keys(obj, path, _INTERVIEW_FIELDS, errors)
    day = _date(obj, "date", path, errors, required=True)
    format = _choice(
        obj,
        "format",
        path,
        errors,
        _INTERVIEW_FORMATS,
        default=InterviewFormat.OTHER.value,
        nullable=True,
    )
    people_met = []
    for index, ref in enumerate(_list(obj, "contacts", path, errors)):
        position = _contact(ref, f"{path}.contacts[{index}]", refs, errors)
        if position is None:
            continue
        if position in people_met:
            errors.add(
                f"{path}.contacts[{index}]",
                _("%(ref)s is already listed for this interview") % {"ref": _shown(ref)},
            )
            continue
        people_met.append(position)
    next_steps = _text(obj, "next_steps", path, errors, limit=LONG_TEXT)
    decision_from = _date(obj, "decision_from", path, errors)
    decision_by = _date(obj, "decision_by", path, errors)
    if decision_from is not None or decision_by is not None:
        _check_decision_dates(path, day, decision_from, decision_by, errors)
    return ValidInterview(day, format, tuple(people_met), next_steps, decision_from, decision_by)


def _check_decision_dates(path, day, decision_from, decision_by, errors):
    """The models' check constraints on an interview's dates, in the job seeker's words
    (dates already reported as wrong, _INVALID, are skipped)."""
    if decision_from is not None and decision_by is None:
        errors.add(
            f"{path}.decision_from",
            _("a range needs its end: give decision_by too (a single date goes in decision_by)"),
        )
    if isinstance(decision_from, datetime.date) and isinstance(decision_by, datetime.date):
        if decision_from > decision_by:
            errors.add(
                f"{path}.decision_from",
                _("%(from)s is after decision_by (%(by)s); a range goes from the earlier date")
                % {"from": decision_from.isoformat(), "by": decision_by.isoformat()},
            )
    if isinstance(day, datetime.date):
        for key, decision in (("decision_from", decision_from), ("decision_by", decision_by)):
            if isinstance(decision, datetime.date) and decision < day:
                errors.add(
                    f"{path}.{key}",
                    _(
                        "%(decision)s is before the interview (%(date)s); they cannot decide "
                        "before they have met you"
                    )
                    % {"decision": decision.isoformat(), "date": day.isoformat()},
                )


def _follow_up(obj, path, refs, errors) -> ValidFollowUp:
    _check_keys(obj, path, _FOLLOW_UP_FIELDS, errors)
    day = _date(obj, "date", path, errors, required=True)
    kind = _choice(obj, "kind", path, errors, _KINDS, default=None, nullable=False, required=True)
    channel = _choice(
        obj, "channel", path, errors, _CHANNELS, default=Channel.OTHER.value, nullable=True
    )
    contact = obj.get("contact")
    if contact is not None:
        contact = _contact(contact, f"{path}.contact", refs, errors)
    note = _text(obj, "note", path, errors, limit=LONG_TEXT)
    new_decision_by = _date(obj, "new_decision_by", path, errors)
    outcome = _choice(obj, "outcome", path, errors, _RESPONSE_OUTCOMES, default="", nullable=True)
    if kind == FollowUpKind.RESPONSE:
        if (
            isinstance(new_decision_by, datetime.date)
            and isinstance(day, datetime.date)
            and new_decision_by < day
        ):
            errors.add(
                f"{path}.new_decision_by",
                _("%(new)s is before the response itself (%(date)s)")
                % {"new": new_decision_by.isoformat(), "date": day.isoformat()},
            )
    elif kind is not None:
        # Only the company gives a new date or a verdict (`kind: "response"`).
        if new_decision_by is not None:
            errors.add(
                f"{path}.new_decision_by",
                _('only a response (kind "response") can give a new date; this is %(kind)s')
                % {"kind": _shown(kind)},
            )
        if outcome:
            errors.add(
                f"{path}.outcome",
                _('only a response (kind "response") can have an outcome; this is %(kind)s')
                % {"kind": _shown(kind)},
            )
    return ValidFollowUp(day, kind, channel, contact, note, new_decision_by, outcome)


# ----------------------------------------------------------------------------------------
# Import


def _positional(model, *attnames):
    """`model`, once checked that its first concrete fields are `attnames`, in order.

    The import builds ~20 instances per application; Model.__init__ takes positional
    values (in concrete field order) much faster than keywords, and the fields after
    `attnames` (created_at, updated_at) still take their defaults. The check keeps a
    model change that reorders fields from silently writing values into wrong columns.
    """
    actual = tuple(field.attname for field in model._meta.concrete_fields)[: len(attnames)]
    if actual != attnames:
        raise ImproperlyConfigured(
            f"interchange.import_document expects {model.__name__} fields {attnames}, not {actual}"
        )
    return model


@transaction.atomic
def import_document(*, user, document: ValidatedDocument) -> ImportResult:
    """Add `document`'s applications to `user`'s data, all or nothing.

    `document` comes from `validate_document`; raw data is validated here first and
    raises `InvalidDocument` with the errors. One `bulk_create` per table: it relies on
    the database returning the new primary keys (SQLite >= 3.35 and PostgreSQL do), which
    wire contacts to their interviews and follow-ups.
    """
    if not isinstance(document, ValidatedDocument):
        document, errors = validate_document(document)
        if errors:
            raise InvalidDocument(errors)
    new_application = _positional(
        Application,
        "id",
        "owner_id",
        "company",
        "role",
        "applied_on",
        "posting_url",
        "notes",
        "outcome",
        "snoozed_until",
    )
    new_contact = _positional(Contact, "id", "application_id", "name", "title", "email", "phone")
    new_interview = _positional(
        Interview,
        "id",
        "application_id",
        "date",
        "format",
        "next_steps",
        "decision_from",
        "decision_by",
    )
    Through = Interview.contacts.through
    new_person_met = _positional(Through, "id", "interview_id", "contact_id")
    new_follow_up = _positional(
        FollowUp,
        "id",
        "application_id",
        "date",
        "kind",
        "channel",
        "contact_id",
        "note",
        "new_decision_by",
        "outcome",
    )

    valid_apps = document.applications
    applications = Application.objects.bulk_create(
        [
            new_application(
                None,
                user.pk,
                app.company,
                app.role,
                app.applied_on,
                app.posting_url,
                app.notes,
                app.outcome,
                app.snoozed_until,
            )
            for app in valid_apps
        ]
    )
    app_ids = [application.pk for application in applications]
    contacts = Contact.objects.bulk_create(
        [
            new_contact(None, app_id, contact.name, contact.title, contact.email, contact.phone)
            for app_id, app in zip(app_ids, valid_apps, strict=True)
            for contact in app.contacts
        ]
    )
    # Each application's new contact ids, in document order: refs resolved to positions
    # by the validator become ids here.
    contact_ids = []
    start = 0
    for app in valid_apps:
        contact_ids.append([contact.pk for contact in contacts[start : start + len(app.contacts)]])
        start += len(app.contacts)

    interviews = Interview.objects.bulk_create(
        [
            new_interview(
                None,
                app_id,
                interview.date,
                interview.format,
                interview.next_steps,
                interview.decision_from,
                interview.decision_by,
            )
            for app_id, app in zip(app_ids, valid_apps, strict=True)
            for interview in app.interviews
        ]
    )
    # The people met at each interview, walking the interviews in the order just saved.
    people_met = zip(
        interviews,
        (
            (ids, interview.contacts)
            for app, ids in zip(valid_apps, contact_ids, strict=True)
            for interview in app.interviews
        ),
        strict=True,
    )
    Through.objects.bulk_create(
        [
            new_person_met(None, saved.pk, ids[position])
            for saved, (ids, positions) in people_met
            for position in positions
        ]
    )
    follow_ups = FollowUp.objects.bulk_create(
        [
            new_follow_up(
                None,
                app_id,
                follow_up.date,
                follow_up.kind,
                follow_up.channel,
                None if follow_up.contact is None else ids[follow_up.contact],
                follow_up.note,
                follow_up.new_decision_by,
                follow_up.outcome,
            )
            for app_id, app, ids in zip(app_ids, valid_apps, contact_ids, strict=True)
            for follow_up in app.follow_ups
        ]
    )
    return ImportResult(
        applications=len(applications),
        contacts=len(contacts),
        interviews=len(interviews),
        follow_ups=len(follow_ups),
    )


# ----------------------------------------------------------------------------------------
# Export


def _iso(day):
    return None if day is None else day.isoformat()


def export_document(*, user, as_of: datetime.date | None = None, ids=None) -> dict:
    """`user`'s applications (or those with `ids`) as a hearback/v1 document.

    Applications come in id order (the order they were recorded, which import keeps),
    contacts in id order with positional refs "c1", "c2", ... per application, interviews
    and follow-ups by (date, id). The optional `id` is left out so that an export
    imported into an empty account exports identically. Each application's `status` is
    the engine's, as of `as_of` (default: the user's local today).

    Nine queries whatever the number of applications (plus one for the preferences
    unless already read for this user): the four of `selectors.application_rows` for
    the status, then contacts, the people at each interview, interviews, follow-ups
    and applications.
    """
    prefs = selectors.preferences_get(user=user)
    if as_of is None:
        as_of = selectors.local_today(prefs=prefs)
    rows = selectors.application_rows(
        user=user, as_of=as_of, rules=selectors.rules_from(prefs), ids=ids
    )
    status_of = {row.id: row.status for row in rows}

    scope = {"application__owner": user}
    applications = Application.objects.owned_by(user)
    if ids is not None:
        applications = applications.filter(pk__in=ids)
        scope["application_id__in"] = ids

    # Contact id -> (its application, its ref there). A contact linked to another
    # application's interview or follow-up (only the admin could do it) has no ref in
    # that application: it is left out, which keeps the document importable.
    refs = {}
    contacts = {}
    for contact_id, app_id, name, email, phone, title in (
        Contact.objects.filter(**scope)
        .order_by("application_id", "id")
        .values_list("id", "application_id", "name", "email", "phone", "title")
    ):
        app_contacts = contacts.setdefault(app_id, [])
        ref = f"c{len(app_contacts) + 1}"
        refs[contact_id] = (app_id, ref)
        app_contacts.append(
            {"ref": ref, "name": name, "email": email, "phone": phone, "title": title}
        )

    def ref_of(contact_id, app_id):
        owner_app, ref = refs.get(contact_id, (None, None))
        return ref if owner_app == app_id else None

    people = {}  # interview id -> contact ids, in id order (the order of their refs)
    for interview_id, contact_id in (
        Interview.contacts.through.objects.filter(
            **{f"interview__{key}": value for key, value in scope.items()}
        )
        .order_by("contact_id")
        .values_list("interview_id", "contact_id")
    ):
        people.setdefault(interview_id, []).append(contact_id)

    interviews = {}
    for interview in (
        Interview.objects.filter(**scope)
        .order_by("application_id", "date", "id")
        .values(
            "id", "application_id", "date", "format", "next_steps", "decision_from", "decision_by"
        )
    ):
        app_id = interview["application_id"]
        people_met = (ref_of(c, app_id) for c in people.get(interview["id"], ()))
        interviews.setdefault(app_id, []).append(
            {
                "date": interview["date"].isoformat(),
                "format": interview["format"],
                "contacts": [ref for ref in people_met if ref is not None],
                "next_steps": interview["next_steps"],
                "decision_from": _iso(interview["decision_from"]),
                "decision_by": _iso(interview["decision_by"]),
            }
        )

    follow_ups = {}
    for follow_up in (
        FollowUp.objects.filter(**scope)
        .order_by("application_id", "date", "id")
        .values(
            "application_id", "date", "kind", "channel", "contact_id", "note",
            "new_decision_by", "outcome",
        )
    ):  # fmt: skip
        app_id = follow_up["application_id"]
        follow_ups.setdefault(app_id, []).append(
            {
                "date": follow_up["date"].isoformat(),
                "kind": follow_up["kind"],
                "channel": follow_up["channel"],
                "contact": ref_of(follow_up["contact_id"], app_id),
                "note": follow_up["note"],
                "new_decision_by": _iso(follow_up["new_decision_by"]),
                "outcome": follow_up["outcome"] or None,
            }
        )

    as_of_text = as_of.isoformat()
    exported = []
    for app in applications.order_by("id").values(
        "id", "company", "role", "applied_on", "posting_url", "notes", "outcome", "snoozed_until"
    ):
        status = status_of[app["id"]]
        exported.append(
            {
                "company": app["company"],
                "role": app["role"],
                "applied_on": app["applied_on"].isoformat(),
                "posting_url": app["posting_url"],
                "notes": app["notes"],
                "outcome": app["outcome"] or None,
                "snoozed_until": _iso(app["snoozed_until"]),
                "contacts": contacts.get(app["id"], []),
                "interviews": interviews.get(app["id"], []),
                "follow_ups": follow_ups.get(app["id"], []),
                "status": {
                    "status": status.code,
                    "next_action_date": _iso(status.next_action_date),
                    "reason": status.reason,
                    "as_of": as_of_text,
                },
            }
        )
    return {
        "format": FORMAT,
        "exported_at": timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "applications": exported,
    }


def _ordered(obj, keys):
    """`obj` with `keys` first, in that order, then any other key as it came."""
    if not isinstance(obj, dict):
        return obj
    ordered = {key: obj[key] for key in keys if key in obj}
    ordered.update((key, value) for key, value in obj.items() if key not in ordered)
    return ordered


def _ordered_list(value, keys):
    return [_ordered(item, keys) for item in value] if isinstance(value, list) else value


def dumps(document: dict) -> str:
    """`document` as stable text: the spec's key order, 2-space indents, UTF-8 characters
    as they are (not \\u escapes), one trailing newline."""
    document = _ordered(document, DOCUMENT_KEYS)
    applications = document.get("applications")
    if isinstance(applications, list):
        ordered_apps = []
        for app in applications:
            app = _ordered(app, APPLICATION_KEYS)
            if isinstance(app, dict):
                for key, keys in (
                    ("contacts", CONTACT_KEYS),
                    ("interviews", INTERVIEW_KEYS),
                    ("follow_ups", FOLLOW_UP_KEYS),
                ):
                    if key in app:
                        app[key] = _ordered_list(app[key], keys)
                if "status" in app:
                    app["status"] = _ordered(app["status"], STATUS_KEYS)
            ordered_apps.append(app)
        document["applications"] = ordered_apps
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
