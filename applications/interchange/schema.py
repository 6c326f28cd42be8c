"""A small declared schema for JSON objects, and the one walker that checks data by it.

Each kind of object is a table: field name -> kind (text with its limit, a date, one of
some choices, a list of objects...). `Schema.read` walks an object's fields in the
table's order, so the errors come in the file's order, each `<JSON path>: <what is
wrong>` in words a person can act on, and checking stops after MAX_REPORTED_ERRORS.
hearback/v1's tables are in `validate.py`.

Why not JSON Schema or pydantic: the messages and paths people read are ours to word,
and a 10,000-application upload must be checked in a fraction of a second.
"""

from __future__ import annotations

import datetime
import difflib
import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A bad 20 MB file could hold a million errors; nobody reads past the first screenful,
# and checking stops there: a bad file costs as little as its first errors.
MAX_REPORTED_ERRORS = 100

INVALID = object()  # a value that was wrong (and reported): the checks built on it skip it


class TooManyErrors(Exception):
    """Raised by `ErrorList.add` past its limit: checking stops there."""


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


# ----------------------------------------------------------------------------------------
# Words for what was found, and where


def json_type(value) -> str:
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


def shown(value) -> str:
    """A short JSON rendering of a wrong value for a message."""
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 40 else text[:39] + "…"


def key_path(path: str, key) -> str:
    """The JSON path of `key` in the object at `path` ("" for the document)."""
    if isinstance(key, str) and key.isidentifier() and key.isascii():
        return f"{path}.{key}" if path else key
    return f"{path}[{shown(key)}]" if path else shown(key)


def _report_required(obj, key, path, errors):
    errors.add(
        key_path(path, key),
        _("is required and may not be null") if key in obj else _("is required"),
    )


# Strict YYYY-MM-DD: `date.fromisoformat` alone would also take 20261105 and 2026-W45-4.
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


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
# The kinds of field. Each reads `obj[key]` of the object at `path`, reports what is
# wrong to `errors`, and returns the clean value (a default, or INVALID, when wrong).


@dataclass(slots=True)
class Context:
    """What a field may need beyond its own object: the refs declared so far in the
    application being read (ref -> the position of its contact), and the position of the
    object being read in its list."""

    refs: dict[str, int] = field(default_factory=dict)
    position: int = 0


@dataclass(slots=True)
class Text:
    """Text of at most `limit` characters, without NUL or lone surrogates; missing or
    null is "" unless `required` (then it may not be blank either). `validator`, a
    Django validator, checks it further; `invalid` is the message when it fails."""

    limit: int
    required: bool = field(default=False, kw_only=True)
    validator: Callable | None = field(default=None, kw_only=True)
    invalid: str = field(default="", kw_only=True)

    def read(self, obj, key, path, errors, context) -> str:
        value = obj.get(key)
        # The usual case first, in a few C calls: short, plain, and not blank if required.
        if not (
            type(value) is str
            and len(value) <= self.limit
            and value.isascii()
            and "\x00" not in value
            and not (self.required and (not value or value.isspace()))
        ):
            value = self._report(value, obj, key, path, errors)
        if self.validator is not None and value and len(value) <= self.limit:
            try:
                self.validator(value)
            except ValidationError:
                errors.add(key_path(path, key), str(self.invalid))
        return value

    def _report(self, value, obj, key, path, errors) -> str:
        """What is wrong with `value`, reported; the text kept ("" when none)."""
        if value is None:
            if self.required:
                _report_required(obj, key, path, errors)
            return ""
        where = key_path(path, key)
        if type(value) is not str:
            errors.add(where, _("must be text, not %(found)s") % {"found": json_type(value)})
            return ""
        if len(value) > self.limit:
            errors.add(
                where,
                _("is %(length)d characters long; the most is %(limit)d")
                % {"length": len(value), "limit": self.limit},
            )
        if "\x00" in value:
            errors.add(where, _("contains a NUL character (\\u0000), which is not allowed"))
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate such as "\ud800": no database takes it
                errors.add(
                    where,
                    _("contains a \\u escape (a lone surrogate) that is not a real character"),
                )
        if self.required and not value.strip():
            errors.add(where, _("may not be blank"))
        return value


@dataclass(slots=True, kw_only=True)
class Date:
    """A day written YYYY-MM-DD, from `earliest` to `latest`: None when missing or null
    (unless `required`), INVALID when wrong."""

    earliest: datetime.date
    latest: datetime.date
    required: bool = False

    def read(self, obj, key, path, errors, context):
        value = obj.get(key)
        if value is None:
            if self.required:
                _report_required(obj, key, path, errors)
                return INVALID
            return None
        day = parse_date(value)
        if day is None:
            errors.add(
                key_path(path, key),
                _("not a date (write it YYYY-MM-DD, like 2026-11-20), but %(found)s")
                % {"found": shown(value)},
            )
            return INVALID
        if not self.earliest <= day <= self.latest:
            errors.add(
                key_path(path, key),
                _("%(found)s is outside the dates Hearback works with (%(earliest)s to %(latest)s)")
                % {
                    "found": shown(value),
                    "earliest": self.earliest.isoformat(),
                    "latest": self.latest.isoformat(),
                },
            )
            return INVALID
        return day


@dataclass(slots=True, kw_only=True)
class TimeOfDay:
    """A time of day written HH:MM (24-hour, as "14:30"): None when missing or null,
    INVALID when wrong."""

    def read(self, obj, key, path, errors, context):
        value = obj.get(key)
        if value is None:
            return None
        if type(value) is str and re.fullmatch(r"\d{2}:\d{2}", value):
            try:
                return datetime.time.fromisoformat(value)
            except ValueError:
                pass
        errors.add(
            key_path(path, key),
            _("not a time of day (write it HH:MM, like 14:30), but %(found)s")
            % {"found": shown(value)},
        )
        return INVALID


@dataclass(slots=True, kw_only=True)
class Flag:
    """true or false; `default` when missing or null."""

    default: bool = False

    def read(self, obj, key, path, errors, context):
        value = obj.get(key)
        if value is None:
            return self.default
        if type(value) is bool:
            return value
        errors.add(
            key_path(path, key),
            _("must be true or false, not %(found)s") % {"found": shown(value)},
        )
        return self.default


@dataclass(slots=True, kw_only=True)
class Amount:
    """A whole number from 0 to `limit`: None when missing or null, INVALID when wrong."""

    limit: int

    def read(self, obj, key, path, errors, context):
        value = obj.get(key)
        if value is None:
            return None
        if type(value) is int and 0 <= value <= self.limit:
            return value
        errors.add(
            key_path(path, key),
            _("must be a whole number from 0 to %(limit)s, not %(found)s")
            % {"limit": f"{self.limit:,}", "found": shown(value)},
        )
        return INVALID


@dataclass(slots=True)
class Choice:
    """One of `choices` (a TextChoices class); `default` when missing, or null and
    `nullable`."""

    choices: type
    default: str | None = field(kw_only=True)
    nullable: bool = field(default=True, kw_only=True)
    required: bool = field(default=False, kw_only=True)
    values: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        self.values = tuple(self.choices.values)

    def read(self, obj, key, path, errors, context):
        value = obj.get(key)
        if value is None and (key not in obj or self.nullable) and not self.required:
            return self.default
        if value in self.values and type(value) is str:
            return value
        if value is None and self.required:
            _report_required(obj, key, path, errors)
            return self.default
        allowed = ", ".join(f'"{choice}"' for choice in self.values)
        if self.nullable:
            allowed = _("%(values)s or null") % {"values": allowed}
        errors.add(
            key_path(path, key),
            _("must be one of %(allowed)s, not %(found)s")
            % {"allowed": allowed, "found": shown(value)},
        )
        return self.default


@dataclass(slots=True)
class Constant:
    """A required field with one possible value (a document's format identifier):
    `missing` and `wrong` (with %(found)s) say what to do about it."""

    value: str
    missing: str = field(kw_only=True)
    wrong: str = field(kw_only=True)

    def read(self, obj, key, path, errors, context) -> str:
        if key not in obj:
            errors.add(key_path(path, key), str(self.missing))
        elif obj[key] != self.value or type(obj[key]) is not str:
            errors.add(key_path(path, key), self.wrong % {"found": shown(obj[key])})
        return self.value


class Ignored:
    """A read-only field of the export (an id, a status): accepted, and not read."""


def _list(obj, key, path, errors) -> list:
    """The list at `obj[key]`: [] when missing or null, or (reported) not a list."""
    value = obj.get(key)
    if value is None:
        return []
    if type(value) is not list:
        errors.add(
            key_path(path, key),
            _("must be a list, [...], not %(found)s") % {"found": json_type(value)},
        )
        return []
    return value


def _report_too_long(items: list, limit: int | None, what: str, path: str, errors):
    """A list longer than `limit` (None: any length) reported at its own path, naming
    the limit. Its items are still checked: the upload's limits bound how many there are,
    and their refs must resolve for the file's other errors to make sense."""
    if limit is not None and len(items) > limit:
        errors.add(
            path,
            what % {"count": f"{len(items):,}", "limit": f"{limit:,}"},
        )


@dataclass(slots=True)
class Objects:
    """A list of objects, each read by `schema`; the tuple of what it builds. With
    `limit`, a longer list is an error, worded by `too_long` (%(count)s, %(limit)s)."""

    schema: Schema
    limit: int | None = field(default=None, kw_only=True)
    too_long: str = field(default="", kw_only=True)

    def read(self, obj, key, path, errors, context) -> tuple:
        list_path = key_path(path, key)
        items = _list(obj, key, path, errors)
        _report_too_long(items, self.limit, self.too_long, list_path, errors)
        read = []
        for index, item in enumerate(items):
            item_path = f"{list_path}[{index}]"
            if not isinstance(item, dict):
                errors.add(
                    item_path,
                    _("must be an object, {...}, not %(found)s") % {"found": json_type(item)},
                )
                continue
            context.position = len(read)
            read.append(self.schema.read(item, item_path, errors, context))
        return tuple(read)


class Label:
    """The label (a contact's `ref`) that `Ref` and `Refs` fields elsewhere in the same
    application name this object by: text that is not blank, unique in the
    application. None when missing or null (the object then cannot be named)."""

    def read(self, obj, key, path, errors, context) -> str | None:
        ref = obj.get(key)
        if ref is None:
            return None
        if type(ref) is not str or not ref.strip():
            errors.add(
                key_path(path, key),
                _("must be a label (text that is not blank), not %(found)s")
                % {"found": shown(ref)},
            )
            return None
        if ref in context.refs:
            errors.add(
                key_path(path, key),
                _(
                    "%(ref)s is already the ref of contacts[%(other)d]; refs must be unique "
                    "within an application"
                )
                % {"ref": shown(ref), "other": context.refs[ref]},
            )
        else:
            context.refs[ref] = context.position
        return ref


def _resolve(ref, path, context, errors) -> int | None:
    """The position of the contact labelled `ref` in its application, or None (reported)."""
    position = context.refs.get(ref) if type(ref) is str else None
    if position is not None:
        return position
    if type(ref) is not str:
        errors.add(
            path,
            _("must be the ref of one of this application's contacts, not %(found)s")
            % {"found": json_type(ref)},
        )
    else:
        errors.add(
            path, _("no contact of this application has the ref %(ref)s") % {"ref": shown(ref)}
        )
    return None


class Ref:
    """One contact of the application, named by its `Label`: its position, or None."""

    def read(self, obj, key, path, errors, context) -> int | None:
        ref = obj.get(key)
        if ref is None:
            return None
        return _resolve(ref, key_path(path, key), context, errors)


@dataclass(slots=True, kw_only=True)
class Refs:
    """Contacts of the application met at an interview, each named once by its `Label`,
    at most `limit` of them (`too_long` says so, with %(count)s and %(limit)s): the tuple
    of their positions."""

    limit: int
    too_long: str

    def read(self, obj, key, path, errors, context) -> tuple[int, ...]:
        list_path = key_path(path, key)
        items = _list(obj, key, path, errors)
        _report_too_long(items, self.limit, self.too_long, list_path, errors)
        positions = []
        # "Listed once" looked up in a set, not the list: in the list it cost each ref a
        # walk of those before it, 28 s for two interviews of 50,000 refs.
        listed = set()
        for index, ref in enumerate(items):
            position = _resolve(ref, f"{list_path}[{index}]", context, errors)
            if position is None:
                continue
            if position in listed:
                errors.add(
                    f"{list_path}[{index}]",
                    _("%(ref)s is already listed for this interview") % {"ref": shown(ref)},
                )
                continue
            positions.append(position)
            listed.add(position)
        return tuple(positions)


# ----------------------------------------------------------------------------------------
# An object's table, and the walker


class Schema:
    """One kind of object: `fields` maps each field name to its kind, in the format's
    order (the order of the export, and of the errors). `build` makes the clean object
    from the values read, by field name; `rules` then check across fields,
    `rule(values, path, errors)`. `holds_refs`: the contacts' refs inside it are its own
    (an application's)."""

    def __init__(
        self,
        fields: dict,
        *,
        build: Callable,
        rules: tuple[Callable, ...] = (),
        holds_refs: bool = False,
    ):
        self.keys = tuple(fields)
        self.accepted = frozenset(fields)
        read = {key: kind for key, kind in fields.items() if not isinstance(kind, Ignored)}
        self.names = frozenset(read)  # the fields an unknown key may be a typo of
        self.reads = tuple((key, kind.read) for key, kind in read.items())
        self.build = build
        self.rules = rules
        self.holds_refs = holds_refs

    def read(self, obj: dict, path: str, errors: ErrorList, context: Context):
        """`obj` checked field by field, then by the rules: what `build` makes of it
        (of no use when `errors` holds anything)."""
        self._check_keys(obj, path, errors)
        if self.holds_refs:
            context = Context()
        values = {}
        for key, read in self.reads:
            values[key] = read(obj, key, path, errors, context)
        for rule in self.rules:
            rule(values, path, errors)
        return self.build(**values)

    def _check_keys(self, obj, path, errors):
        """Keys given twice (which the JSON reader notes in `duplicate_keys`: JSON keeps
        the last silently), and keys not in the table: both typos, never dropped."""
        for key in getattr(obj, "duplicate_keys", ()):
            errors.add(key_path(path, key), _("given more than once; keep only one"))
        if self.accepted.issuperset(obj):  # the usual case, checked in one C call
            return
        for key in obj:
            if key not in self.accepted:
                errors.add(key_path(path, key), self._unknown(key))

    def _unknown(self, key) -> str:
        text = str(key)
        guess = difflib.get_close_matches(text, self.names, n=1) if len(text) < 100 else None
        if guess:
            return _('unknown field; did you mean "%(field)s"?') % {"field": guess[0]}
        return _("unknown field (the fields here are %(fields)s)") % {
            "fields": ", ".join(sorted(self.names))
        }
