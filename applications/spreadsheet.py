"""Spreadsheets (CSV): read one into hearback/v1 applications, and write one out.

For people moving off a spreadsheet or a job tracker (docs/data-format.md, CSV): one row
per application, with columns company, role, applied on, and optionally interview date,
decision by, last check-in, notes, posting URL, outcome, a status or stage, location,
remote, salary and source. UTF-8, UTF-16 with its mark, or Windows Western text.

Reading never writes. `csv_read` turns the file into one hearback/v1 application per row
and checks each with `interchange.validate_document`, so the limits and rules are the
JSON import's (text lengths, NUL characters, blank required text, a decision not before
its interview); only what is particular to a spreadsheet is checked here: the header
names, the date forms, a decision date with no interview. Errors name the spreadsheet's
row (the header is row 1) and the column as the file calls it. Saving is
`services.applications_import`: one transaction, all or nothing.

Dates: YYYY-MM-DD (a time after it is dropped; a timestamp with an offset is the day in
the user's zone), "2 Nov 2026" and "Nov 2, 2026" (English, German, French or Spanish
month names), year-first numbers, Excel day numbers, and numbers with the year last,
read day-first or month-first as all the values of their column settle it
(`column_order`): 03/04/2026 is March 4 in one spreadsheet and April 3 in the next, and
a wrong follow-up date is worse than a question.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import unicodedata
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications import interchange, selectors
from applications.models import FollowUpKind, Outcome, Source


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str  # how messages and the preview name it
    aliases: tuple[str, ...]  # header names that mean it, before normalising


COLUMNS = (
    Column(
        "company",
        gettext_lazy("company"),
        ("company", "company name", "employer", "organisation", "organization"),
    ),
    Column("role", gettext_lazy("role"), ("role", "position", "title", "job", "job title")),
    Column(
        "applied_on",
        gettext_lazy("applied on"),
        ("applied", "applied on", "date applied", "application date", "applied date"),
    ),
    Column(
        "interview_on",
        gettext_lazy("interview date"),
        ("interview", "interview date", "interview on", "latest interview"),
    ),
    Column(
        "decision_by",
        gettext_lazy("decision by"),
        (
            "decision",
            "decision by",
            "decide by",
            "expected decision",
            "response by",
            "decision date",
        ),
    ),  # fmt: skip
    Column(
        "last_check_in",
        gettext_lazy("last check-in"),
        # Only words that say a contact happened: a "follow up" column holds plans.
        (
            "last check-in",
            "checked in",
            "checked in on",
            "followed up",
            "followed up on",
            "last followed up",
            "last follow up",
            "last contacted",
            "last contact",
        ),
    ),
    Column("notes", gettext_lazy("notes"), ("notes", "note", "comments", "comment")),
    Column(
        "posting_url",
        gettext_lazy("job posting URL"),
        ("posting url", "posting", "job posting", "url", "link", "job url", "job link"),
    ),
    Column("outcome", gettext_lazy("outcome"), ("outcome",)),
    Column(
        "stage",
        gettext_lazy("status or stage"),
        ("status", "stage", "list", "state", "application status", "pipeline stage"),
    ),
    Column("location", gettext_lazy("location"), ("location", "city", "where")),
    Column("remote", gettext_lazy("remote"), ("remote", "remote?", "is remote")),
    Column(
        "salary",
        gettext_lazy("salary"),
        ("salary", "salary range", "pay", "compensation", "salary_min-max"),
    ),
    Column("source", gettext_lazy("source"), ("source", "found through", "found via", "channel")),
)
REQUIRED = ("company", "role", "applied_on")

# The export's columns, in order. Every one the import knows reads back in; status,
# next_action_date and reason are the engine's and are ignored on import (status is read
# as a stage, which the outcome column overrides).
EXPORT_HEADER = (
    "company",
    "role",
    "applied_on",
    "status",
    "next_action_date",
    "reason",
    "interview_date",
    "decision_by",
    "last_check_in",
    "outcome",
    "posting_url",
    "location",
    "remote",
    "salary",
    "source",
    "notes",
)


def _normalise(header: str) -> str:
    """Header names compare without case, spaces, underscores or dashes."""
    return re.sub(r"[\s_\-]+", "", header).casefold()


_BY_ALIAS = {_normalise(alias): column for column in COLUMNS for alias in column.aliases}
_COLUMN_ORDER = {column.key: index for index, column in enumerate(COLUMNS)}

# The row of the per-row hearback/v1 document each error path points at, by column.
_PATHS = {
    "applications[0].company": "company",
    "applications[0].role": "role",
    "applications[0].applied_on": "applied_on",
    "applications[0].notes": "notes",
    "applications[0].posting_url": "posting_url",
    "applications[0].outcome": "outcome",
    "applications[0].interviews[0].date": "interview_on",
    "applications[0].interviews[0].decision_by": "decision_by",
    "applications[0].follow_ups[0].date": "last_check_in",
    "applications[0].location": "location",
    "applications[0].salary_min": "salary",
    "applications[0].salary_max": "salary",
}

# What the words of a status, stage or list column (job trackers' and people's) mean:
# an outcome, still open (""), or a job never applied to (NOT_SENT: the row is skipped).
# Data, not code: a tracker's word is added here. docs/data-format.md lists them.
NOT_SENT = "not sent"
STAGE_WORDS = {
    **dict.fromkeys(
        ("rejected", "declined", "not selected", "no offer", "rejection", "unsuccessful"),
        Outcome.REJECTED.value,
    ),
    **dict.fromkeys(("withdrawn", "withdrew", "i withdrew"), Outcome.WITHDRAWN.value),
    **dict.fromkeys(
        ("offer", "offered", "accepted", "offer accepted", "hired"), Outcome.OFFER.value
    ),
    **dict.fromkeys(
        (
            "applied",
            "application sent",
            "screening",
            "screen",
            "phone screen",
            "interviewing",
            "interview",
            "interviews",
            "in progress",
            "assessment",
            "waiting",
            "follow_up_now",
            "likely_closed",
            "open",
        ),
        "",
    ),
    **dict.fromkeys(
        ("wishlist", "wish list", "saved", "bookmarked", "draft", "to apply", "interested"),
        NOT_SENT,
    ),
}

# Cells that mean "empty", as trackers and people write it.
EMPTY_MARKERS = frozenset(("n/a", "na", "-", "—", "–", "none", "tbd", "null", "nil"))

# A yes/no cell, as spreadsheets write it.
_YES = frozenset(("yes", "y", "true", "1", "x", "remote"))
_NO = frozenset(("no", "n", "false", "0", "on site", "onsite", "office"))
# An amount of a salary: "65000", "65,000", "$65k", "65 000 €".
_AMOUNT = re.compile(r"[^\d]{0,4}?(\d[\d,. ']*?)\s*(k)?\s*[^\d]{0,4}", re.IGNORECASE)

# Cells a spreadsheet program would run as a formula: starting with = + - or @ (OWASP's
# list), also in their full-width or other compatibility forms (＝ ＋ － ＠, ﹦ ...), also
# after spaces, line breaks or invisible characters a program may skip (a zero-width
# space), or starting with a tab or a carriage return (OWASP's too), or a line feed (the
# import reads every line break as one). The export puts a ' before them, and before any
# run of ' already in front of one, so that the import can take exactly one ' off again
# and read back what was written.
_FORMULA_STARTS = frozenset("=+-@")
_SKIPPED_BEFORE = ("Cc", "Cf")  # control and format (invisible) characters


def _runs_as_formula(text: str) -> bool:
    """Would a spreadsheet program run `text`, after any ' in front, as a formula?"""
    text = text.lstrip("'")
    if text[:1] in ("\t", "\r", "\n"):
        return True
    for char in text:
        if char.isspace() or unicodedata.category(char) in _SKIPPED_BEFORE:
            continue
        return unicodedata.normalize("NFKC", char) in _FORMULA_STARTS
    return False


PREVIEW_ROWS = 100  # the preview shows this many rows; all are imported

# A spreadsheet has a dozen columns, a few dozen with the ones we ignore; Excel's and
# LibreOffice's sheets end at 16,384. A first row with more is refused: a million empty
# cells fit in a 1 MB file, and the preview lists every ignored column.
MAX_COLUMNS = 16_384


# ----------------------------------------------------------------------------------------
# Dates

# Month names in English, German, French and Spanish, full and short, accents or not.
_MONTH_NAMES = (
    ("jan", "january", "januar", "jänner", "janvier", "janv", "enero", "ene"),
    ("feb", "february", "februar", "février", "fevrier", "févr", "fevr", "febrero"),
    ("mar", "march", "märz", "maerz", "mär", "mrz", "mars", "marzo"),
    ("apr", "april", "avril", "avr", "abril", "abr"),
    ("may", "mai", "mayo"),
    ("jun", "june", "juni", "juin", "junio"),
    ("jul", "july", "juli", "juillet", "juil", "julio"),
    ("aug", "august", "août", "aout", "agosto", "ago"),
    ("sep", "sept", "september", "septembre", "septiembre", "setiembre", "set"),
    ("oct", "october", "oktober", "okt", "octobre", "octubre"),
    ("nov", "november", "novembre", "noviembre"),
    ("dec", "december", "dezember", "dez", "décembre", "decembre", "déc", "dic", "diciembre"),
)
_MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names}
_TIME = r"(?:,?[ t](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?)?"
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?"
    r"\s*(z|[+-]\d{2}:?\d{2})?)?"
)
_WORD = r"([a-zäöüéèêëûôîïç]+)"
_DAY_MONTH_YEAR = re.compile(
    rf"(\d{{1,2}})(?:st|nd|rd|th|er|\.)?[ -](?:de )?{_WORD}\.?,?[ -](?:de )?(\d{{4}}){_TIME}"
)
_MONTH_DAY_YEAR = re.compile(rf"{_WORD}\.? (\d{{1,2}})(?:st|nd|rd|th)?,? (\d{{4}}){_TIME}")
# All numbers: the year first (2026/11/02), or last, with two or four digits (9/14/26,
# 14.09.2026), a time after it dropped ("11/13/23, 9:42 AM").
_YEAR_FIRST = re.compile(rf"(\d{{4}})[/.\-](\d{{1,2}})[/.\-](\d{{1,2}}){_TIME}")
_YEAR_LAST = re.compile(rf"(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-](\d{{2}}|\d{{4}}){_TIME}")
# Excel's day numbers (days since 1899-12-30): 25569 is 1970-01-01, 73050 is 2099-12-31.
_SERIAL = re.compile(r"(\d{5})(?:\.\d+)?")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)

DAY_FIRST, MONTH_FIRST = "day first", "month first"


def _year(text: str) -> int:
    """A two-digit year is this century's."""
    return 2000 + int(text) if len(text) == 2 else int(text)


def numeric_order(text: str) -> tuple[bool, bool] | None:
    """For an all-number date with the year last ("9/14/26"): (could it be day-first,
    could it be month-first), from which of its first two numbers can be a month; None
    for any other text."""
    match = _YEAR_LAST.fullmatch(" ".join(text.split()).casefold())
    if match is None:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    return (second <= 12, first <= 12)


def parse_date(
    text: str, *, order: str | None = None, zone: ZoneInfo | None = None
) -> tuple[datetime.date | None, str]:
    """The date written in `text`, or None and what is wrong with it. `order` (DAY_FIRST
    or MONTH_FIRST) reads an all-number date with the year last, as its column decided
    (`column_order`); without it such a date is refused, not guessed. A timestamp with
    "Z" or an offset is the date it was in `zone` (the user's; UTC without one)."""
    value = " ".join(text.split()).casefold()
    year = month = day = None
    if match := _ISO.fullmatch(value):
        year, month, day, hour, minute, offset = match.groups()
        if offset:
            return _instant_day(value, zone, text)
    elif match := _DAY_MONTH_YEAR.fullmatch(value):
        day, month, year = match.group(1), _MONTHS.get(match.group(2)), match.group(3)
    elif match := _MONTH_DAY_YEAR.fullmatch(value):
        month, day, year = _MONTHS.get(match.group(1)), match.group(2), match.group(3)
    elif match := _YEAR_FIRST.fullmatch(value):
        year, month, day = match.group(1), match.group(2), match.group(3)
    elif match := _YEAR_LAST.fullmatch(value):
        if order is None:
            return None, _(
                "“%(value)s” could be day-first or month-first, and we do not guess: write "
                "it YYYY-MM-DD, like 2026-11-20"
            ) % {"value": _shown(text)}
        first, second, year = match.group(1), match.group(2), _year(match.group(3))
        day, month = (first, second) if order == DAY_FIRST else (second, first)
    elif match := _SERIAL.fullmatch(value):
        serial = int(match.group(1))
        if 25569 <= serial <= 73050:
            return _EXCEL_EPOCH + datetime.timedelta(days=serial), ""
    if month is not None:
        try:
            return datetime.date(int(year), int(month), int(day)), ""
        except ValueError:
            pass
    return None, _("“%(value)s” is not a date (use YYYY-MM-DD, like 2026-11-20)") % {
        "value": _shown(text)
    }


def _instant_day(value: str, zone, text: str) -> tuple[datetime.date | None, str]:
    """The day of a timestamp with "Z" or an offset, in `zone`."""
    try:
        moment = datetime.datetime.fromisoformat(value.upper().replace(" ", "T"))
    except ValueError:
        return None, _("“%(value)s” is not a date (use YYYY-MM-DD, like 2026-11-20)") % {
            "value": _shown(text)
        }
    return moment.astimezone(zone or datetime.UTC).date(), ""


def column_order(values, default: str) -> tuple[str | None, int]:
    """How a column writes its all-number dates with the year last: DAY_FIRST or
    MONTH_FIRST, as one of its values settles it (a first number above 12 is a day, a
    second above 12 a day too); `default` when none does; None when the column holds
    both kinds (then each such value is an error). Also returns how many values could
    be read either way (for the preview to say how they were read)."""
    day_first = month_first = True
    either = 0
    for value in values:
        could = numeric_order(value)
        if could is None or could == (False, False):  # not one, or no date at all
            continue
        day_first, month_first = day_first and could[0], month_first and could[1]
        either += could == (True, True)
    if day_first and month_first:
        return default, either
    if day_first:
        return DAY_FIRST, either
    if month_first:
        return MONTH_FIRST, either
    return None, either


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


# ----------------------------------------------------------------------------------------
# Reading


@dataclass(slots=True)
class CsvRow:
    number: int  # the spreadsheet's row number (the header is row 1)
    application: interchange.ValidApplication


@dataclass(slots=True)
class CsvReading:
    """What a CSV file holds: its valid rows, or every error (then `rows` means nothing).

    `text` is the file as read (decoded, BOM and CR dropped): the preview page
    carries it to the confirm button, which reads it again before saving.
    """

    text: str = ""
    rows: list[CsvRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    columns: list[tuple[str, str]] = field(default_factory=list)  # (header, what it is)
    headers: dict[str, str] = field(default_factory=dict)  # column key -> header in file
    ignored: list[str] = field(default_factory=list)  # headers of ignored columns
    delimiter: str = ","
    today: datetime.date | None = None  # the user's: no check-in that happened after it
    zone: ZoneInfo | None = None  # the user's: the day of a timestamp with an offset
    encoding: str = ""  # what an uploaded file was read in, when not UTF-8
    day_first: bool = False  # how to read a column whose all-number dates fit both ways
    date_orders: dict = field(default_factory=dict)  # date column key -> DAY_FIRST...
    date_notes: list = field(default_factory=list)  # how such columns were read, in words
    never_sent: int = 0  # rows of jobs never applied to (wishlist, saved...): skipped
    open_words: set = field(default_factory=set)  # stage words not known: read as open

    def unknown_stages(self) -> list[str]:
        """The status words read as "still open" for not being known, sorted."""
        return sorted(self.open_words, key=str.casefold)

    @property
    def document(self) -> interchange.ValidatedDocument:
        return interchange.ValidatedDocument(
            applications=tuple(row.application for row in self.rows)
        )

    @property
    def shown_rows(self) -> list[CsvRow]:
        return self.rows[:PREVIEW_ROWS]

    @property
    def more_rows(self) -> int:
        return max(0, len(self.rows) - PREVIEW_ROWS)


# What Excel and other spreadsheet programs write, tried in this order: UTF-16 when the
# file starts with its byte-order mark ("Unicode text"), UTF-8 (with or without a mark),
# then the Windows code page of Western Europe and the Americas ("CSV" from Excel on
# Windows), which the preview names so that the user checks the accents.
WINDOWS_WESTERN = "cp1252"


def _text_of(raw: bytes) -> tuple[str | None, str]:
    """The text of `raw` and the encoding it was read in ("" for UTF-8), or None."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            return None, ""
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw:  # no text file holds NUL bytes: a binary file, or UTF-16 unmarked
        return None, ""
    try:
        return raw.decode(WINDOWS_WESTERN), WINDOWS_WESTERN
    except UnicodeDecodeError:
        return None, ""


def _decode(raw: bytes | str) -> tuple[str | None, str, str]:
    """The text of an uploaded file (bytes) or of the preview's confirm button (text), with
    one kind of line break, and the encoding an uploaded file was read in ("" for UTF-8);
    or None and why not."""
    if isinstance(raw, str):
        # A browser re-sends the preview's text with CRLF: measured and read as previewed.
        raw = _one_line_break(raw)
    limit = settings.HEARBACK_MAX_IMPORT_BYTES
    size = len(raw) if isinstance(raw, bytes) else len(raw.encode("utf-8", "surrogatepass"))
    if size > limit:
        return (
            None,
            _("The file is larger than %(limit)s, the most we accept.")
            % {"limit": filesizeformat(limit)},
            "",
        )
    encoding = ""
    if isinstance(raw, bytes):
        raw, encoding = _text_of(raw)
        if raw is None:
            return (
                None,
                _(
                    "The file is not text we can read. In your spreadsheet program, save it "
                    "as “CSV UTF-8” (or export it as CSV with the UTF-8 encoding) and try "
                    "again."
                ),
                "",
            )
        # The notes must not change between the preview and the import.
        raw = _one_line_break(raw)
    return raw.removeprefix("\ufeff"), "", encoding


def _one_line_break(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _delimiter(text: str) -> str:
    """Comma, semicolon (spreadsheets in decimal-comma locales) or tab, whichever the
    header line uses most; header names themselves hold none of them."""
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _column_name(index: int) -> str:
    """A spreadsheet's column letter: 0 -> A, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _read_header(header: list[str], reading: CsvReading) -> dict[str, int] | None:
    """Each known column's index; None (with the errors in `reading`) if unusable."""
    if len(header) > MAX_COLUMNS:
        reading.errors.append(
            _(
                "Row 1: the first row has %(count)s columns; we read at most %(limit)s, as "
                "many as a spreadsheet program has. Delete the columns you do not need "
                "(empty ones too, often far to the right) and save the file again."
            )
            % {
                "count": number_format(len(header), force_grouping=True),
                "limit": number_format(MAX_COLUMNS, force_grouping=True),
            }
        )
        return None
    positions = {}
    names = {}
    for index, cell in enumerate(header):
        name = " ".join(cell.split())
        column = _BY_ALIAS.get(_normalise(name))
        if column is None:
            if name:
                reading.ignored.append(name)
            continue
        if column.key in positions:
            reading.errors.append(
                _(
                    "Row 1: “%(first)s” and “%(second)s” both mean “%(column)s”; keep one of "
                    "them or rename the other."
                )
                % {"first": names[column.key], "second": name, "column": column.label}
            )
            continue
        positions[column.key] = index
        names[column.key] = name
        reading.columns.append((name, str(column.label)))
    for key in REQUIRED:
        if key not in positions:
            column = COLUMNS[_COLUMN_ORDER[key]]
            reading.errors.append(
                _(
                    "Row 1: there is no “%(column)s” column. Name it in the first row, "
                    "as %(examples)s for example."
                )
                % {
                    "column": column.label,
                    "examples": _(" or ").join(f"“{alias}”" for alias in column.aliases[:3]),
                }
            )
    if reading.errors:
        return None
    reading.headers = names
    return positions


def _unguard(cell: str) -> str:
    """A cell as it was before the export defused it (see `_runs_as_formula`)."""
    return cell[1:] if cell[:1] == "'" and _runs_as_formula(cell[1:]) else cell


def _where(number: int, header: str | None = None) -> str:
    """Where a problem is, as a spreadsheet user finds it: "Row 4, Date applied"."""
    if header is None:
        return _("Row %(row)d") % {"row": number}
    return _("Row %(row)d, %(column)s") % {"row": number, "column": header}


def _row(number, record, positions, headers, reading) -> tuple[dict | None, list]:
    """One row as a hearback/v1 application, and the errors only a spreadsheet has; None
    and no errors for a job never applied to. Stage words not known go in
    `reading.open_words`: the row stays open. Dates are read as their column decided
    (`reading.date_orders`), timestamps in `reading.zone`."""
    today, unknown_stages = reading.today, reading.open_words
    cells = {
        key: _unguard(record[index].strip()) if index < len(record) else ""
        for key, index in positions.items()
    }
    # What spreadsheets and trackers write for "nothing here" is nothing.
    cells = {
        key: "" if value.casefold() in EMPTY_MARKERS else value for key, value in cells.items()
    }
    errors = []

    def error(key, message):
        errors.append((positions[key], _where(number, headers[key]), message))

    def date(key):
        # A wrong date goes into the document as it was written: the validator then
        # sees it too, and its own message about it is dropped for this one.
        text = cells.get(key, "")
        day, problem = parse_date(text, order=reading.date_orders.get(key), zone=reading.zone)
        if problem:
            error(key, problem)
            return text
        return day.isoformat()

    stage = cells.get("stage", "")
    meaning = STAGE_WORDS.get(" ".join(stage.split()).casefold()) if stage else ""
    if meaning == NOT_SENT:
        return None, []  # never applied to: nothing to import, said in the preview
    app = {"company": cells["company"], "role": cells["role"]}
    if cells["applied_on"]:
        app["applied_on"] = date("applied_on")
    if cells.get("notes"):
        app["notes"] = cells["notes"]
    if url := cells.get("posting_url"):
        # As the forms do: an address typed without a scheme is read as https://.
        app["posting_url"] = url if "://" in url else f"https://{url}"
    if stage and meaning is None:
        unknown_stages.add(stage)
    elif meaning and "outcome" not in positions:  # an outcome column, if any, says it
        app["outcome"] = meaning
    if outcome := cells.get("outcome"):
        if outcome.casefold() in Outcome.values:
            app["outcome"] = outcome.casefold()
        else:
            error(
                "outcome",
                _("“%(value)s” is not an outcome; leave it empty or write %(choices)s")
                % {"value": _shown(outcome), "choices": ", ".join(Outcome.values)},
            )
    if cells.get("interview_on"):
        interview = {"date": date("interview_on")}
        if cells.get("decision_by"):
            interview["decision_by"] = date("decision_by")
        app["interviews"] = [interview]
    elif cells.get("decision_by"):
        error(
            "decision_by",
            _("a decision date follows an interview; fill in the interview date too"),
        )
    _job_details(cells, app, error)
    if cells.get("last_check_in"):
        checked_in = date("last_check_in")
        if today is not None and checked_in > today.isoformat() and checked_in[:1].isdigit():
            # A check-in is one that happened: a date ahead is a plan, not a contact.
            error(
                "last_check_in",
                _(
                    "%(date)s is after today: a check-in is one you made. Planned follow-up "
                    "dates are not imported; leave the cell empty or give the day you wrote."
                )
                % {"date": checked_in},
            )
        else:
            app["follow_ups"] = [{"date": checked_in, "kind": FollowUpKind.CHECK_IN.value}]
    return app, errors


def _amount(text: str) -> int | None:
    found = _AMOUNT.fullmatch(text)
    if found is None:
        return None
    value = int(re.sub(r"[,. ']", "", found.group(1)))
    return value * 1000 if found.group(2) else value


def parse_salary(text: str) -> tuple[int | None, int | None] | None:
    """(from, up to) of a salary cell: one amount (both), a range "50,000-65,000" or
    "$120k – $140k", or an open end, "50000-" or "-65000"; None when it is none of these."""
    parts = re.split(r"\s*[-–—]\s*", text.strip(), maxsplit=1)
    if len(parts) == 1:
        amount = _amount(parts[0])
        return None if amount is None else (amount, amount)
    low = _amount(parts[0]) if parts[0] else None
    high = _amount(parts[1]) if parts[1] else None
    if (parts[0] and low is None) or (parts[1] and high is None) or low is high is None:
        return None
    return low, high


def _job_details(cells, app, error) -> None:
    """Location, remote, salary and source into the row's document, or an error each."""
    if location := cells.get("location"):
        app["location"] = location
    if remote := cells.get("remote"):
        if remote.casefold() in _YES:
            app["remote"] = True
        elif remote.casefold() in _NO:
            app["remote"] = False
        else:
            error("remote", _("“%(value)s” is not yes or no") % {"value": _shown(remote)})
    if salary := cells.get("salary"):
        amounts = parse_salary(salary)
        if amounts is None:
            error(
                "salary",
                _("“%(value)s” is not a salary; write one amount or a range, like 50000-65000")
                % {"value": _shown(salary)},
            )
        else:
            app["salary_min"], app["salary_max"] = amounts
    if source := cells.get("source"):
        by_word = {
            word.casefold(): value
            for value, label in Source.choices
            for word in (value, str(label))
        }
        if source.casefold() in by_word:
            app["source"] = by_word[source.casefold()]
        else:
            error(
                "source",
                _("“%(value)s” is not a source; leave it empty or write %(choices)s")
                % {"value": _shown(source), "choices": ", ".join(Source.values)},
            )


def _check_row(number, record, width, positions, reading):
    """One non-empty row (of a file whose first row names `width` columns): its clean
    application and [], or None and its problems as (where, what) pairs in the order of
    the file's columns."""
    if any(cell.strip() for cell in record[width:]):
        return None, [
            (
                _where(number),
                _(
                    "%(cells)d cells, but the first row names %(columns)d columns. Is there "
                    "a %(delimiter)s inside a cell without double quotes around it?"
                )
                % {
                    "cells": len(record),
                    "columns": width,
                    "delimiter": {"\t": _("tab")}.get(reading.delimiter, reading.delimiter),
                },
            )
        ]
    headers = reading.headers
    app, problems = _row(number, record, positions, headers, reading)
    if app is None:
        reading.never_sent += 1
        return None, []
    document, invalid = interchange.validate_document(
        {"format": interchange.FORMAT, "applications": [app]}
    )
    own = {index for index, _where_, _problem in problems}
    for message in invalid:
        path, _sep, problem = message.partition(": ")
        key = _PATHS.get(path)
        if key is None:  # not expected: every path a row can fill is mapped
            problems.append((width, _where(number), message))
        elif positions[key] not in own:  # a date already reported in our own words
            problems.append((positions[key], _where(number, headers[key]), problem))
    if problems:
        return None, [(where, problem) for _i, where, problem in sorted(problems, key=_first)]
    return document.applications[0], []


def _first(item):
    return item[0]


_READ, _BAD_HEADER, _TOO_MANY = "read", "bad header", "too many"


def csv_read(
    raw: bytes | str,
    *,
    max_applications: int | None = None,
    today: datetime.date | None = None,
    zone: ZoneInfo | None = None,
    day_first: bool = False,
) -> CsvReading:
    """Read a spreadsheet saved as CSV; see the module docstring for what it accepts.

    Pure: no database. Returns every row as a clean application, or the errors, each
    naming its row and column ("Row 4, Date applied: ..."), in the file's order; reading
    stops after interchange.MAX_REPORTED_ERRORS, or at the row past `max_applications`
    (the upload page's limit). With `today` (the user's), a last check-in after it is an
    error: a check-in is one that happened. `zone` (the user's) gives the day of a
    timestamp with an offset; `day_first` how to read a date column whose all-number
    dates fit both ways (the user's locale: the browser's language).
    """
    reading = CsvReading(today=today, zone=zone, day_first=day_first)
    text, problem, reading.encoding = _decode(raw)
    if problem:
        reading.errors.append(problem)
        return reading
    reading.text = text
    if not text.strip():
        reading.errors.append(_("The file is empty."))
        return reading
    reading.delimiter = _delimiter(text)
    records = csv.reader(
        io.StringIO(text, newline=""), delimiter=reading.delimiter, skipinitialspace=True
    )
    # interchange's collector: the same cap on errors, the same last line past it.
    errors = interchange.ErrorList()
    try:
        outcome = _read_rows(records, reading, errors, max_applications)
    except interchange.TooManyErrors:
        outcome = _READ
    if outcome is _TOO_MANY:
        reading.errors = [
            _(
                "This file holds more than %(limit)s applications; one upload takes at "
                "most %(limit)s. Split it into smaller files and import them one by one."
            )
            % {"limit": number_format(max_applications, force_grouping=True)}
        ]
    elif errors:
        reading.errors = errors.as_list()
    elif outcome is _READ and not reading.rows:
        reading.errors.append(_("There are no applications under the first row."))
    return reading


DATE_COLUMNS = ("applied_on", "interview_on", "decision_by", "last_check_in")


def _decide_date_orders(reading: CsvReading, positions: dict) -> None:
    """Day-first or month-first, per date column, from all its values (a first pass over
    the file, reading only those cells): into `reading.date_orders`, and what was decided
    for a column that no value settled into `reading.date_notes`."""
    columns = {key: positions[key] for key in DATE_COLUMNS if key in positions}
    if not columns:
        return
    values = {key: [] for key in columns}
    records = csv.reader(
        io.StringIO(reading.text, newline=""), delimiter=reading.delimiter, skipinitialspace=True
    )
    try:
        next(records)  # the header
        for record in records:
            for key, index in columns.items():
                if index < len(record) and record[index].strip():
                    values[key].append(_unguard(record[index].strip()))
    except csv.Error:
        pass  # the reading pass reports it, with its row
    default = DAY_FIRST if reading.day_first else MONTH_FIRST
    for key, cells in values.items():
        order, either = column_order(cells, default)
        reading.date_orders[key] = order
        if order is not None and either and order == default and _settled(cells) is False:
            example = next(cell for cell in cells if numeric_order(cell) == (True, True))
            reading.date_notes.append(
                _(
                    "Column “%(header)s”: dates like %(example)s fit both ways, and no value "
                    "settles it; they were read %(order)s (%(example)s is %(date)s). If that "
                    "is wrong, write them YYYY-MM-DD."
                )
                % {
                    "header": reading.headers[key],
                    "example": _shown(example),
                    "order": _("day first") if order == DAY_FIRST else _("month first"),
                    "date": parse_date(example, order=order)[0].isoformat(),
                }
            )


def _settled(cells) -> bool:
    """Does one of `cells` fit only one way (a number above 12 first or second)?"""
    return any(numeric_order(cell) in ((True, False), (False, True)) for cell in cells)


def _read_rows(records, reading: CsvReading, errors, max_applications) -> str:
    """Reads the header then every row into `reading` and `errors`. Returns _BAD_HEADER
    (its errors are in `reading.errors`), _TOO_MANY (more than `max_applications` rows:
    reading stops at the first one too many) or _READ.

    Linear in the size of the file: each row costs its own cells, never the header's
    (only the header's width and unnamed columns are kept from it)."""
    number = 0  # the last row read
    try:
        header = next(records)
        number = 1
        positions = _read_header(header, reading)
        if positions is None:
            return _BAD_HEADER
        _decide_date_orders(reading, positions)
        width = len(header)
        unnamed = frozenset(index for index, cell in enumerate(header) if not cell.strip())
        filled = set()  # unnamed columns with something in them: ignored, so listed
        count = 0
        for number, record in enumerate(records, start=2):
            if not any(cell.strip() for cell in record):
                continue  # an empty line between rows is not an application
            count += 1
            if max_applications is not None and count > max_applications:
                return _TOO_MANY
            if unnamed:
                filled.update(
                    index
                    for index, cell in enumerate(record[:width])
                    if index in unnamed and cell.strip()
                )
            application, problems = _check_row(number, record, width, positions, reading)
            for where, what in problems:
                errors.add(where, what)
            if application is not None:
                reading.rows.append(CsvRow(number, application))
    except csv.Error as error:
        errors.add(
            _where(number + 1),
            _("this is not CSV we can read (%(problem)s)") % {"problem": error},
        )
    else:
        reading.ignored.extend(
            _("column %(letter)s (no name)") % {"letter": _column_name(index)}
            for index in sorted(filled)
        )
    return _READ


# ----------------------------------------------------------------------------------------
# Writing


def _guarded(value) -> str:
    """`value` as a cell no spreadsheet program will run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if _runs_as_formula(text) else text


def _iso(day) -> str:
    return "" if day is None else day.isoformat()


def _details_cells(details: tuple) -> tuple:
    """location, remote, salary, source as the export writes them (and the import reads
    them back): "yes" or "", "50000-65000" (one amount when the two are the same)."""
    location, remote, low, high, source = details
    if low is not None and low == high:
        salary = str(low)
    elif low is None and high is None:
        salary = ""
    else:
        salary = f"{'' if low is None else low}-{'' if high is None else high}"
    return location, "yes" if remote else "", salary, source


def csv_export(*, user, as_of: datetime.date, rules) -> str:
    """All `user`'s applications as CSV text (UTF-8 BOM first, for Excel), one row each,
    in the order they were recorded, with the engine's status as of `as_of`.

    The latest interview (by date) gives the interview date and decision by; the latest
    check-in the last check-in. Every cell that a spreadsheet would read as a formula
    gets a ' in front (see `_runs_as_formula`); the import takes it off.

    Five queries: the four of `selectors.application_rows`, and the notes.
    """
    rows = selectors.application_rows(user=user, as_of=as_of, rules=rules)
    rows.sort(key=lambda row: row.id)
    notes = selectors.application_notes_get(user=user)
    details = selectors.application_details_get(user=user)
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    for row in rows:
        interview = max(
            row.facts.interviews,
            key=lambda interview: (interview.date, interview.decision_by or datetime.date.min),
            default=None,
        )
        check_ins = [
            follow_up.date
            for follow_up in row.facts.follow_ups
            if follow_up.kind == FollowUpKind.CHECK_IN
        ]
        status = row.status
        writer.writerow(
            [
                _guarded(value)
                for value in (
                    row.company,
                    row.role,
                    _iso(row.applied_on),
                    status.code,
                    _iso(status.next_action_date),
                    status.reason,
                    _iso(interview.date if interview else None),
                    _iso(interview.decision_by if interview else None),
                    _iso(max(check_ins, default=None)),
                    row.outcome,
                    row.posting_url,
                    *_details_cells(details[row.id]),
                    notes.get(row.id, ""),
                )
            ]
        )
    return out.getvalue()
