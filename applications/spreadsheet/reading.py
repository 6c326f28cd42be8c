"""Reading a spreadsheet into hearback/v1 applications (docs/data-format.md, CSV).

`csv_read` reads a file's text three times, each linear in its size:

1. the first row: what each column means, as proposed from its name (`columns.propose`:
   the tracker whose export it is, then the general names) and as the user changed it
   in the preview's mapping step (`Choices`);
2. a survey of every row, reading only a few cells: examples of each column for the
   mapping step, all the values of each date column (day-first or month-first is
   decided per column, `dates.column_order`), and the words of the status column;
3. every row into an application, checked by `interchange.validate_document`, so the
   limits and rules are the JSON import's.

Reading never writes. Problems are gathered per column and kind ("Column “Applied”,
rows 4, 9 and 3 more (“soon”, “?”): not a date"), rows the spreadsheet numbers (the
header is row 1). Rows missing what an application needs are listed, and left out only
when the user says so (`Choices.skip_incomplete`). Saving is
`services.applications_import`: one transaction, all or nothing.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import hashlib
import io
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications import interchange
from applications.models import FollowUpKind, Outcome, Source
from applications.spreadsheet import columns, dates, files
from applications.spreadsheet.columns import IGNORE, NOT_SENT, OPEN
from applications.spreadsheet.writing import unguard

PREVIEW_ROWS = 100  # the preview shows this many rows; all are imported
# A spreadsheet has a dozen columns, a few dozen with the ones we ignore; Excel's and
# LibreOffice's sheets end at 16,384. A first row with more is refused: a million empty
# cells fit in a 1 MB file.
MAX_COLUMNS = 16_384
MAX_MAPPED_COLUMNS = 100  # the mapping step offers a choice for this many columns
MAX_STAGE_WORDS = 50  # ... and for this many different status words
EXAMPLES = 3  # values shown beside each column in the mapping step
MAX_LISTED_INCOMPLETE = 20  # incomplete rows named one by one

# A yes/no cell, as spreadsheets write it.
_YES = frozenset(("yes", "y", "true", "1", "x", "remote", "ja", "oui", "sí", "si"))
_NO = frozenset(("no", "n", "false", "0", "on site", "onsite", "office", "nein", "non"))

# The meaning of the per-row hearback/v1 document's path each validator error is at.
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


@dataclass(frozen=True, slots=True)
class Choices:
    """What the user set in the preview's mapping step; left empty, every proposal."""

    columns: dict[int, str] = field(default_factory=dict)  # column index -> meaning key
    stages: dict[str, str] = field(default_factory=dict)  # status word -> stage meaning
    orders: dict[str, str] = field(default_factory=dict)  # date meaning -> DAY_FIRST...
    skip_incomplete: bool = False


@dataclass(slots=True)
class FileColumn:
    index: int
    header: str  # as the file names it ("" for none)
    proposed: str  # meaning key or IGNORE
    meaning: str  # what it is read as
    examples: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.header or _("column %(letter)s (no name)") % {
            "letter": column_letter(self.index)
        }


@dataclass(slots=True)
class StageWord:
    word: str  # as first written in the file
    count: int
    proposed: str | None  # its meaning from the tables; None when not known (read open)
    meaning: str


@dataclass(slots=True)
class DateQuestion:
    """A date column whose all-number dates fit both ways, and no value settles it."""

    key: str
    header: str
    example: str
    count: int
    order: str  # how it is read now
    as_day_first: datetime.date
    as_month_first: datetime.date


@dataclass(slots=True)
class CsvRow:
    number: int  # the spreadsheet's row number (the header is row 1)
    application: interchange.ValidApplication


@dataclass(slots=True)
class CsvReading:
    """What a spreadsheet holds: its valid rows, or every error (then `rows` means
    nothing); and what the mapping step shows (columns, status words, date questions)
    whenever its first row could be read.

    `text` is the file as read (decoded, CR dropped; a workbook's sheet as CSV): the
    preview page carries it to the confirm button, which reads it again before saving.
    """

    today: datetime.date | None = None  # the user's: no check-in that happened after it
    zone: ZoneInfo | None = None  # the user's: the day of a timestamp with an offset
    day_first: bool = False  # how to read a date column whose dates fit both ways
    choices: Choices = field(default_factory=Choices)
    text: str = ""
    encoding: str = ""  # what an uploaded CSV was read in, when not UTF-8
    sheet: str = ""  # the workbook's sheet it was read from
    sheets: int = 0
    delimiter: str = ","
    tool: object = None  # the tracker (tools.Tool) whose export this is, if known
    columns: list[FileColumn] = field(default_factory=list)
    more_columns: int = 0  # named or filled columns past MAX_MAPPED_COLUMNS: ignored
    positions: dict[str, int] = field(default_factory=dict)  # meaning key -> column index
    headers: dict[str, str] = field(default_factory=dict)  # meaning key -> column name
    stages: list[StageWord] = field(default_factory=list)
    questions: list[DateQuestion] = field(default_factory=list)
    date_orders: dict[str, str | None] = field(default_factory=dict)
    date_notes: list[str] = field(default_factory=list)
    rows: list[CsvRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    never_sent: int = 0  # rows of jobs never applied to (wishlist, saved...): left out
    added_as_applied: int = 0  # rows whose applied date is the day they were added
    incomplete: list[tuple[int, list[str]]] = field(default_factory=list)  # listed ones
    incomplete_count: int = 0
    other_sources: set = field(default_factory=set)  # source words read as "other"
    _stage_meanings: dict[str, str] = field(default_factory=dict)

    @property
    def mapped(self) -> list[FileColumn]:
        return [column for column in self.columns if column.meaning != IGNORE]

    @property
    def ignored(self) -> list[FileColumn]:
        return [column for column in self.columns if column.meaning == IGNORE]

    @property
    def can_map(self) -> bool:
        """Was the first row read, so that the mapping step can be shown?"""
        return bool(self.columns)

    @property
    def unknown_stages(self) -> list[str]:
        """Status words the tables do not know and no one has given a meaning: read as
        still open, which the preview warns of until the user chooses one."""
        return [
            stage.word for stage in self.stages if stage.proposed is None and stage.meaning == OPEN
        ]

    @property
    def encoding_name(self) -> str:
        return files.ENCODING_NAMES.get(self.encoding, self.encoding)

    @property
    def blocked(self) -> bool:
        """Are there incomplete rows the user has not said to leave out?"""
        return bool(self.incomplete_count) and not self.choices.skip_incomplete

    @property
    def signature(self) -> str:
        """A digest of how the file was read (the choices in effect): the confirm button
        saves only a reading the user saw. (Leaving out incomplete rows changes no row
        shown, so it is not part of it.)"""
        settings = (
            [(column.index, column.meaning) for column in self.columns],
            [(stage.word, stage.meaning) for stage in self.stages],
            [(question.key, question.order) for question in self.questions],
        )
        return hashlib.sha256(repr(settings).encode()).hexdigest()[:32]

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


def column_letter(index: int) -> str:
    """A spreadsheet's column letter: 0 -> A, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


# ----------------------------------------------------------------------------------------
# Problems, per column and kind


class _Group:
    __slots__ = ("column", "count", "last", "rows", "values", "what")

    def __init__(self, column, what):
        self.column, self.what = column, what
        self.count, self.rows, self.values = 0, [], []
        self.last = None  # the row last added: rows come in order, each named once


class Problems:
    """What is wrong with a file's rows, gathered by column and kind of problem: one
    message for the twenty bad dates of a column, naming the first rows and values.
    Past interchange.MAX_REPORTED_ERRORS kinds, adding raises TooManyErrors."""

    ROWS, VALUES = 5, 3

    def __init__(self, limit: int = interchange.MAX_REPORTED_ERRORS):
        self.groups: dict[tuple, _Group] = {}
        self.limit = limit
        self.stopped = False

    def __bool__(self):
        return bool(self.groups)

    def add(self, number: int, what: str, *, column: str | None = None, value: str = ""):
        group = self.groups.get((column, what))
        if group is None:
            if len(self.groups) >= self.limit:
                self.stopped = True
                raise interchange.TooManyErrors
            group = self.groups[(column, what)] = _Group(column, what)
        if group.last != number:  # (a salary range's two ends may both be wrong alike)
            group.last = number
            group.count += 1
            if len(group.rows) < self.ROWS:
                group.rows.append(number)
        if value and len(group.values) < self.VALUES and _shown(value) not in group.values:
            group.values.append(_shown(value))

    def as_list(self) -> list[str]:
        messages = [self._message(group) for group in self.groups.values()]
        if self.stopped:
            messages.append(
                _(
                    "... and more: checking stopped after the first %(count)d kinds of "
                    "problem. Fix these and check the file again."
                )
                % {"count": len(messages)}
            )
        return messages

    @staticmethod
    def _message(group: _Group) -> str:
        numbers = [str(number) for number in group.rows]
        more = group.count - len(group.rows)
        if more:
            rows = _("%(rows)s and %(more)d more") % {"rows": ", ".join(numbers), "more": more}
        elif len(numbers) > 1:
            rows = _("%(rows)s and %(last)s") % {
                "rows": ", ".join(numbers[:-1]),
                "last": numbers[-1],
            }
        else:
            rows = numbers[0]
        where = ngettext("row %(rows)s", "rows %(rows)s", group.count) % {"rows": rows}
        if group.column is not None:
            where = _("Column “%(column)s”, %(rows)s") % {"column": group.column, "rows": where}
        else:
            where = where[:1].upper() + where[1:]
        if group.values:
            values = ", ".join(f"“{value}”" for value in group.values)
            if group.count > len(group.values):
                values += ", …"
            where = f"{where} ({values})"
        return f"{where}: {group.what}"


# ----------------------------------------------------------------------------------------
# The whole file


def csv_read(
    raw: bytes | str,
    *,
    max_applications: int | None = None,
    today: datetime.date | None = None,
    zone: ZoneInfo | None = None,
    day_first: bool = False,
    choices: Choices | None = None,
) -> CsvReading:
    """Read a spreadsheet (bytes of a CSV or .xlsx file, or the preview's text); see the
    module docstring. Pure: no database.

    Reading stops after interchange.MAX_REPORTED_ERRORS kinds of problem, or at the row
    past `max_applications` (the upload page's limit). With `today` (the user's), a last
    check-in after it is an error: a check-in is one that happened. `zone` (the user's)
    gives the day of a timestamp with an offset; `day_first` how to read a date column
    whose all-number dates fit both ways (the user's locale), unless `choices` say.
    """
    reading = CsvReading(today=today, zone=zone, day_first=day_first, choices=choices or Choices())
    got = files.file_text(raw, max_rows=max_applications)
    if got.text is None:
        reading.errors.append(got.problem)
        return reading
    reading.text, reading.encoding = got.text, got.encoding
    reading.sheet, reading.sheets = got.sheet, got.sheets
    if not reading.text.strip():
        reading.errors.append(_("The file is empty."))
        return reading
    reading.delimiter = _delimiter(reading.text)
    try:
        header = next(_records(reading))
    except csv.Error as error:
        reading.errors.append(
            _("Row 1: this is not CSV we can read (%(problem)s)") % {"problem": error}
        )
        return reading
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
        return reading
    unnamed = _map_columns(header, reading)
    _survey(reading, len(header), unnamed)
    if reading.errors:
        return reading
    problems = Problems()
    try:
        outcome = _read_rows(reading, problems, len(header), max_applications)
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
    elif problems:
        reading.errors = problems.as_list()
    elif not reading.rows and reading.incomplete_count:
        reading.errors.append(
            _(
                "No row has all of a company, a role and an applied date. Check below "
                "which column holds each of them."
            )
        )
    elif not reading.rows:
        reading.errors.append(_("There are no applications under the first row."))
    return reading


def _records(reading: CsvReading):
    return csv.reader(
        io.StringIO(reading.text, newline=""), delimiter=reading.delimiter, skipinitialspace=True
    )


def _delimiter(text: str) -> str:
    """Comma, semicolon (spreadsheets in decimal-comma locales) or tab, whichever the
    header line uses most; header names themselves hold none of them."""
    header = text.split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


# ----------------------------------------------------------------------------------------
# 1. The first row


def _map_columns(header: list[str], reading: CsvReading) -> set[int]:
    """Each column's meaning: proposed from its name, then as the user chose. Into
    `reading.columns` and `reading.positions`; a meaning set twice, or one an
    application needs and no column has, into `reading.errors`. Returns the columns
    without a name, for the survey to list those that hold something."""
    unnamed = set()
    proposal = columns.propose(header)
    reading.tool = proposal.tool
    chosen = reading.choices.columns
    for index, cell in enumerate(header):
        name = " ".join(cell.split())
        proposed = proposal.meanings.get(index, IGNORE)
        meaning = chosen.get(index, proposed)
        if meaning != IGNORE and meaning not in columns.BY_KEY:
            meaning = proposed
        if not name and meaning == IGNORE and index not in chosen:
            unnamed.add(index)  # listed by the survey when it holds something
            continue
        if len(reading.columns) >= MAX_MAPPED_COLUMNS and meaning == IGNORE:
            reading.more_columns += 1  # past the mapping step's rows: left out, and said
            continue
        reading.columns.append(FileColumn(index, name, proposed, meaning))
    by_meaning: dict[str, list[FileColumn]] = {}
    for column in reading.columns:
        if column.meaning != IGNORE:
            by_meaning.setdefault(column.meaning, []).append(column)
    for key, same in by_meaning.items():
        if len(same) > 1:
            reading.errors.append(
                _(
                    "%(columns)s are all read as “%(meaning)s”. Choose one of them, and set "
                    "the others to something else or to “ignore”."
                )
                % {
                    "columns": _(" and ").join(f"“{column.name}”" for column in same),
                    "meaning": columns.BY_KEY[key].label,
                }
            )
    reading.positions = {key: same[0].index for key, same in by_meaning.items()}
    reading.headers = {key: same[0].name for key, same in by_meaning.items()}
    if "added_on" in reading.headers:  # what a row without an applied date reads
        reading.headers.setdefault("applied_on", reading.headers["added_on"])
    for key in columns.REQUIRED:
        if key in reading.positions or (key == "applied_on" and "added_on" in reading.positions):
            continue
        meaning = columns.BY_KEY[key]
        reading.errors.append(
            _(
                "No column is read as “%(meaning)s”, which every application needs. Choose "
                "the column that holds it below (a first-row name like %(examples)s is "
                "found by itself)."
            )
            % {
                "meaning": meaning.label,
                "examples": _(" or ").join(f"“{alias}”" for alias in meaning.aliases[:3]),
            }
        )
    return unnamed


# ----------------------------------------------------------------------------------------
# 2. The survey


def _survey(reading: CsvReading, width: int, unnamed: set[int]) -> None:
    """One pass over the rows reading only a few cells: examples for the mapping step,
    unnamed columns that hold something, each date column's values (its order), and the
    status words. A row the reader cannot read stops it: the rows pass says where."""
    shown = {column.index: column for column in reading.columns}
    wanting = set(shown)  # columns that still want examples
    filled_unnamed = set()
    date_columns = {
        key: index for key, index in reading.positions.items() if key in columns.DATE_KEYS
    }
    date_values = {key: [] for key in date_columns}
    stage_index = reading.positions.get("stage")
    words: dict[str, StageWord] = {}
    records = _records(reading)
    try:
        next(records)
        for record in records:
            if wanting:
                for index in list(wanting):
                    value = record[index].strip() if index < len(record) else ""
                    if value and value.casefold() not in columns.EMPTY_MARKERS:
                        examples = shown[index].examples
                        examples.append(_shown(unguard(value)))
                        if len(examples) >= EXAMPLES:
                            wanting.discard(index)
            if unnamed and len(filled_unnamed) < MAX_MAPPED_COLUMNS:
                # Each row costs its own cells, never the first row's width.
                filled_unnamed.update(
                    index
                    for index, cell in enumerate(record[:width])
                    if index in unnamed and cell.strip()
                )
            for key, index in date_columns.items():
                if index < len(record) and (value := record[index].strip()):
                    date_values[key].append(unguard(value))
            if stage_index is not None and stage_index < len(record):
                _count_word(record[stage_index], words, reading)
    except csv.Error:
        pass
    for index in sorted(filled_unnamed):
        if len(reading.columns) < MAX_MAPPED_COLUMNS:
            reading.columns.append(FileColumn(index, "", IGNORE, IGNORE))
        else:
            reading.more_columns += 1
    reading.columns.sort(key=lambda column: column.index)
    reading.stages = list(words.values())
    for key, values in date_values.items():
        _decide_order(reading, key, values)


def _count_word(cell: str, words: dict, reading: CsvReading) -> None:
    word = unguard(cell.strip())
    key = columns.stage_key(word)
    if not key or key in columns.EMPTY_MARKERS:
        return
    if key in words:
        words[key].count += 1
    elif len(words) < MAX_STAGE_WORDS:
        proposed = columns.stage_meaning(word, reading.tool)
        words[key] = StageWord(word, 1, proposed, _stage_of(word, reading))


def _stage_of(word: str, reading: CsvReading) -> str:
    """What a status word means for this reading: as the user set it, else as the tables
    say, else still open. Worked out once per word."""
    key = columns.stage_key(word)
    meaning = reading._stage_meanings.get(key)
    if meaning is None:
        meaning = reading._stage_meanings[key] = (
            reading.choices.stages.get(key) or columns.stage_meaning(word, reading.tool) or OPEN
        )
    return meaning


def _decide_order(reading: CsvReading, key: str, values: list[str]) -> None:
    """Day-first or month-first for one date column, from all its values; a column no
    value settles becomes a question of the mapping step, answered by the user's locale
    until they say; a settled one is said in a note."""
    default = dates.DAY_FIRST if reading.day_first else dates.MONTH_FIRST
    found = dates.column_order(values, default)
    header, order = reading.headers[key], found.order
    if found.either and not found.settled:
        order = reading.choices.orders.get(key, order)
        reading.questions.append(
            DateQuestion(
                key,
                header,
                _shown(found.either),
                found.count,
                order,
                dates.parse_date(found.either, order=dates.DAY_FIRST)[0],
                dates.parse_date(found.either, order=dates.MONTH_FIRST)[0],
            )
        )
    elif order is not None and found.settling:  # settled by a value: said how, once
        example = found.settling
        reading.date_notes.append(
            ngettext(
                "Column “%(header)s”: %(count)d date like %(example)s was read %(order)s "
                "(%(example)s is %(date)s).",
                "Column “%(header)s”: %(count)d dates like %(example)s were read %(order)s "
                "(%(example)s is %(date)s).",
                found.count,
            )
            % {
                "header": header,
                "count": found.count,
                "example": _shown(example),
                "order": _("day first") if order == dates.DAY_FIRST else _("month first"),
                "date": dates.parse_date(example, order=order)[0].isoformat(),
            }
        )
    reading.date_orders[key] = order


# ----------------------------------------------------------------------------------------
# 3. The rows

_READ, _TOO_MANY = "read", "too many"


def _read_rows(reading: CsvReading, problems: Problems, width: int, max_applications) -> str:
    """Every row into `reading.rows`, or its problems into `problems`. Returns _TOO_MANY
    (more than `max_applications` rows: reading stops at the first one too many) or
    _READ. Linear in the size of the file: each row costs its own cells."""
    number = 1
    count = 0
    records = _records(reading)
    try:
        next(records)
        for number, record in enumerate(records, start=2):
            if not any(cell.strip() for cell in record):
                continue  # an empty line between rows is not an application
            count += 1
            if max_applications is not None and count > max_applications:
                return _TOO_MANY
            application = _check_row(number, record, width, reading, problems)
            if application is not None:
                reading.rows.append(CsvRow(number, application))
    except csv.Error as error:
        problems.add(
            number + 1, _("this is not CSV we can read (%(problem)s)") % {"problem": error}
        )
    return _READ


def _check_row(number, record, width, reading: CsvReading, problems: Problems):
    """One non-empty row: its clean application, or None (its problems added; or left
    out: never sent, or incomplete)."""
    if any(cell.strip() for cell in record[width:]):
        problems.add(
            number,
            _(
                "more cells than the first row names columns. Is there a %(delimiter)s "
                "inside a cell without double quotes around it?"
            )
            % {"delimiter": {"\t": _("tab")}.get(reading.delimiter, reading.delimiter)},
        )
        return None
    app, own = _row(number, record, reading, problems)
    if app is None:
        return None
    document, invalid = interchange.validate_document(
        {"format": interchange.FORMAT, "applications": [app]}
    )
    headers = reading.headers
    for message in invalid:
        path, _sep, problem = message.partition(": ")
        key = _PATHS.get(path)
        if key is None:  # not expected: every path a row can fill is mapped
            problems.add(number, message)
        elif key not in own and not (key == "applied_on" and "added_on" in own):
            # (a value already reported in our own words is not reported twice)
            problems.add(number, problem, column=headers[key])
    if invalid or own:
        return None
    return document.applications[0]


def _row(number, record, reading: CsvReading, problems: Problems) -> tuple[dict | None, set]:
    """One row as a hearback/v1 application, and the meanings whose cells had problems
    (added to `problems`); None for a job never applied to, or a row missing what every
    application needs (listed in `reading.incomplete`)."""
    positions, headers = reading.positions, reading.headers
    cells = {}
    for key, index in positions.items():
        value = unguard(record[index].strip()) if index < len(record) else ""
        # What spreadsheets and trackers write for "nothing here" is nothing.
        cells[key] = "" if value.casefold() in columns.EMPTY_MARKERS else value
    bad = set()

    def error(key, what, value=""):
        bad.add(key)
        problems.add(number, what, column=headers[key], value=value)

    def date(key):
        # A wrong date goes into the document as it was written: the validator then
        # sees it too, and its own message about it is dropped for this one.
        text = cells.get(key, "")
        day, problem = dates.parse_date(text, order=reading.date_orders.get(key), zone=reading.zone)
        if problem:
            error(key, problem, text)
            return text
        return day.isoformat()

    if _never_sent(cells, reading, error):
        reading.never_sent += 1
        return None, bad
    # A row with no applied date takes the day it was added, when the file says it.
    applied_key = "applied_on" if cells.get("applied_on") else "added_on"
    missing = [
        str(columns.BY_KEY[key].label)
        for key, value in (
            ("company", cells["company"]),
            ("role", cells["role"]),
            ("applied_on", cells.get(applied_key)),
        )
        if not value
    ]
    if missing:
        reading.incomplete_count += 1
        if len(reading.incomplete) < MAX_LISTED_INCOMPLETE:
            reading.incomplete.append((number, missing))
        return None, bad
    app = {"company": cells["company"], "role": cells["role"], "applied_on": date(applied_key)}
    if applied_key == "added_on":
        reading.added_as_applied += 1
    if cells.get("notes"):
        app["notes"] = cells["notes"]
    if url := cells.get("posting_url"):
        # As the forms do: an address typed without a scheme is read as https://.
        app["posting_url"] = url if "://" in url else f"https://{url}"
    _outcome(cells, reading, app, error)
    _interview(cells, app, date, error)
    _job_details(cells, reading, app, error)
    _check_in(cells, reading, app, date, error)
    return app, bad


def _never_sent(cells, reading: CsvReading, error) -> bool:
    """Is this a job the user never applied to: a status saying so (wishlist, saved...),
    or a "no" in an applied? column."""
    if (stage := cells.get("stage")) and _stage_of(stage, reading) == NOT_SENT:
        return True
    if answer := cells.get("was_applied"):
        if answer.casefold() in _NO:
            return True
        if answer.casefold() not in _YES:
            error("was_applied", _("not yes or no"), answer)
    return False


def _outcome(cells, reading: CsvReading, app, error) -> None:
    """The outcome: an outcome column says it; else the status column's word means it."""
    if outcome := cells.get("outcome"):
        if outcome.casefold() in Outcome.values:
            app["outcome"] = outcome.casefold()
        else:
            error(
                "outcome",
                _("not an outcome; leave it empty or write %(choices)s")
                % {"choices": ", ".join(Outcome.values)},
                outcome,
            )
    elif "outcome" in reading.positions:
        return  # an outcome column, when there is one, alone says it
    elif (stage := cells.get("stage")) and (meaning := _stage_of(stage, reading)) != OPEN:
        app["outcome"] = meaning


def _interview(cells, app, date, error) -> None:
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


def _check_in(cells, reading: CsvReading, app, date, error) -> None:
    if not cells.get("last_check_in"):
        return
    checked_in = date("last_check_in")
    today = reading.today
    if today is not None and checked_in > today.isoformat() and checked_in[:1].isdigit():
        # A check-in is one that happened: a date ahead is a plan, not a contact.
        error(
            "last_check_in",
            _(
                "after today: a check-in is one you made. Planned follow-up dates are not "
                "imported; leave the cell empty or give the day you wrote."
            ),
            checked_in,
        )
    else:
        app["follow_ups"] = [{"date": checked_in, "kind": FollowUpKind.CHECK_IN.value}]


# An amount of a salary: "65000", "65,000", "$65k", "65 000 €", "85000.00", "1.5k". Read by
# hand, not by one pattern: a pattern with a loose number inside loose words around it
# backtracks for seconds on a cell of spaces. A cell longer than this is no salary.
MAX_SALARY_CHARS = 100
_DIGITS = frozenset("0123456789")  # int() reads other scripts' digits too; we do not
_MARKS = frozenset(",.' \u00a0\u202f")  # between groups of three digits, or a decimal mark
_BEFORE_AFTER = 4  # a currency's sign or code ("$", "USD", "€") either side
# The whole part of an amount: digits alone, or groups of three after the first with one
# kind of mark between them ("85,000", "85.000", "85 000", "85'000"), or India's lakhs
# ("8,50,000"). Each mark starts a group of fixed length: nothing to backtrack over.
_WHOLE = re.compile(
    r"\d+|\d{1,3}([,.' \u00a0\u202f])\d{3}(?:\1\d{3})*|\d{1,2}(?:,\d{2})+,\d{3}", re.ASCII
)


def _amount(text: str) -> int | None:
    """The amount written in a salary cell, in whole units (a decimal part rounded), or
    None when the cell is not one amount. A "k" after the number is thousands."""
    text = text.strip()
    if len(text) > MAX_SALARY_CHARS:
        return None
    places = [index for index, char in enumerate(text) if char in _DIGITS]
    if not places:
        return None
    before, number, after = (
        text[: places[0]],
        text[places[0] : places[-1] + 1],
        text[places[-1] + 1 :],
    )
    after = after.strip()
    thousands = after[:1] in ("k", "K") and not after[1:2].isalpha()  # "65k", not "65 kr"
    if thousands:
        after = after[1:].strip()
    if len(before.strip()) > _BEFORE_AFTER or len(after) > _BEFORE_AFTER:
        return None
    value = _number(number)
    if value is None:
        return None
    if thousands:
        value *= 1000
    return int(value.to_integral_value(rounding=decimal.ROUND_HALF_UP))


def _number(text: str) -> decimal.Decimal | None:
    """A number of digits and marks: its last dot or comma is a decimal mark unless
    exactly three digits follow it (then it groups thousands: "85.000" is 85000); a
    number whose decimal mark also groups its whole part ("1.234.56") or mixes two
    kinds of group marks is refused, not guessed."""
    if not all(char in _DIGITS or char in _MARKS for char in text):
        return None
    whole, fraction = text, ""
    cut = max(text.rfind("."), text.rfind(","))
    if cut != -1 and len(text) - cut - 1 != 3:
        whole, fraction = text[:cut], text[cut + 1 :]
        if not all(char in _DIGITS for char in fraction) or text[cut] in whole:
            return None
    if not _WHOLE.fullmatch(whole):
        return None
    digits = "".join(char for char in whole if char in _DIGITS)
    return decimal.Decimal(f"{digits}.{fraction or 0}")


def parse_salary(text: str) -> tuple[int | None, int | None] | None:
    """(from, up to) of a salary cell: one amount (both), a range "50,000-65,000" or
    "$120k – $140k", or an open end, "50000-" or "-65000"; None when it is none of these
    (or longer than MAX_SALARY_CHARS)."""
    text = text.strip()
    if len(text) > MAX_SALARY_CHARS:
        return None
    parts = re.split(r"\s*[-–—]\s*", text, maxsplit=1)
    if len(parts) == 1:
        amount = _amount(parts[0])
        return None if amount is None else (amount, amount)
    low = _amount(parts[0]) if parts[0] else None
    high = _amount(parts[1]) if parts[1] else None
    if (parts[0] and low is None) or (parts[1] and high is None) or low is high is None:
        return None
    return low, high


def _job_details(cells, reading: CsvReading, app, error) -> None:
    """Location, remote, salary and source into the row's document, or an error each."""
    if location := cells.get("location"):
        app["location"] = location
    if remote := cells.get("remote"):
        if remote.casefold() in _YES:
            app["remote"] = True
        elif remote.casefold() in _NO:
            app["remote"] = False
        else:
            error("remote", _("not yes or no"), remote)
    if salary := cells.get("salary"):
        amounts = parse_salary(salary)
        if amounts is None:
            error(
                "salary",
                _("not a salary; write one amount or a range, like 50000-65000"),
                salary,
            )
        else:
            app["salary_min"], app["salary_max"] = amounts
    for key, field_name in (("salary_min", "salary_min"), ("salary_max", "salary_max")):
        if text := cells.get(key):
            amount = _amount(text)
            if amount is None:
                error(key, _("not an amount; write a number, like 65000"), text)
            else:
                app[field_name] = amount
    if source := cells.get("source"):
        value = columns.source_of(source)
        if value is None:  # a job site or a word we do not know: where it was found
            value = Source.OTHER.value
            if len(reading.other_sources) < MAX_STAGE_WORDS:
                reading.other_sources.add(source)
        app["source"] = str(value)
    elif reading.tool is not None and reading.tool.source:
        app["source"] = reading.tool.source
