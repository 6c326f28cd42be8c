"""The CSV export (docs/data-format.md, CSV), and the guard against cells a spreadsheet
program would run as formulas, which the export adds and the import takes off.

The export's columns all read back in through the import: a user can move their search
out and back without losing what the spreadsheet holds.
"""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata

from applications import selectors
from applications.models import FollowUpKind

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


def unguard(cell: str) -> str:
    """A cell as it was before the export defused it (see `_runs_as_formula`)."""
    return cell[1:] if cell[:1] == "'" and _runs_as_formula(cell[1:]) else cell


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
