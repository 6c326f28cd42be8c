"""A user's applications as a hearback/v1 document (docs/data-format.md), and as text.

Export, import into an empty account, and export again give the same document, apart
from `exported_at`: everything comes in a fixed order, and a contact's ref depends only
on its place among its application's contacts.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.utils import timezone

from applications import selectors
from applications.interchange.validate import (
    APPLICATION,
    CONTACT,
    DOCUMENT,
    FOLLOW_UP,
    FORMAT,
    INTERVIEW,
)
from applications.models import Application, Contact, FollowUp, Interview

# The format's key order (the validator's tables), which `dumps` writes. `id`, `status`
# and `exported_at` are read-only extras of the export: import ignores them.
DOCUMENT_KEYS = DOCUMENT.keys
APPLICATION_KEYS = APPLICATION.keys
CONTACT_KEYS = CONTACT.keys
INTERVIEW_KEYS = INTERVIEW.keys
FOLLOW_UP_KEYS = FOLLOW_UP.keys
STATUS_KEYS = ("status", "next_action_date", "reason", "as_of")


def export_document(*, user, as_of: datetime.date | None = None, ids=None) -> dict:
    """`user`'s applications (or those with `ids`) as a hearback/v1 document.

    Applications come in id order (the order they were recorded, which import keeps),
    contacts in id order with positional refs "c1", "c2", ... per application, interviews
    and follow-ups by (date, id). The optional `id` is left out so that an export
    imported into an empty account exports identically. Each application's `status` is
    the engine's, as of `as_of` (default: the user's local today).

    Each application and its status come from `selectors.application_rows` (its four
    queries), what is recorded under it from five more: notes, contacts, the people at
    each interview, interviews and follow-ups. (Plus one for the preferences unless
    already read for this user.)
    """
    prefs = selectors.preferences_get(user=user)
    if as_of is None:
        as_of = selectors.local_today(prefs=prefs)
    rows = selectors.application_rows(
        user=user, as_of=as_of, rules=selectors.rules_from(prefs), ids=ids
    )
    rows.sort(key=lambda row: row.id)
    exported = []
    if rows:
        records = _records(user=user, ids=ids)
        exported = [_application(row, records, as_of) for row in rows]
    return {"format": FORMAT, "exported_at": _now(), "applications": exported}


def _application(row: selectors.ApplicationRow, records: _Records, as_of) -> dict:
    status = row.status
    return {
        "company": row.company,
        "role": row.role,
        "applied_on": row.applied_on.isoformat(),
        "posting_url": row.posting_url,
        "notes": records.notes[row.id],
        "outcome": row.outcome or None,
        "snoozed_until": _iso(row.snoozed_until),
        "contacts": records.contacts.get(row.id, []),
        "interviews": records.interviews.get(row.id, []),
        "follow_ups": records.follow_ups.get(row.id, []),
        **records.details[row.id],
        "status": {
            "status": status.code,
            "next_action_date": _iso(status.next_action_date),
            "reason": status.reason,
            "as_of": as_of.isoformat(),
        },
    }


def _iso(day):
    return None if day is None else day.isoformat()


def _now() -> str:
    return timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(slots=True)
class _Records:
    """What is recorded under the exported applications, in the document's shape, by
    application id."""

    notes: dict[int, str]
    details: dict[int, dict]  # location, remote, salary_min, salary_max, source
    contacts: dict[int, list[dict]]
    interviews: dict[int, list[dict]]
    follow_ups: dict[int, list[dict]]


def _records(*, user, ids) -> _Records:
    applications = Application.objects.owned_by(user)
    scope = {"application__owner": user}  # the rows under those applications
    if ids is not None:
        applications = applications.filter(pk__in=ids)
        scope["application_id__in"] = ids
    contacts, refs = _contacts(scope)
    notes, details = {}, {}
    for pk, note, location, remote, low, high, source in applications.values_list(
        "id", "notes", "location", "remote", "salary_min", "salary_max", "source"
    ):
        notes[pk] = note
        details[pk] = {
            "location": location,
            "remote": remote,
            "salary_min": low,
            "salary_max": high,
            "source": source or None,
        }
    return _Records(
        notes=notes,
        details=details,
        contacts=contacts,
        interviews=_interviews(scope, refs, people_met=_people_met(scope)),
        follow_ups=_follow_ups(scope, refs),
    )


def _contacts(scope) -> tuple[dict[int, list[dict]], dict[int, tuple[int, str]]]:
    """The contacts by application id, and each contact's (application id, ref)."""
    contacts = {}
    refs = {}
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
    return contacts, refs


def _ref_of(refs, contact_id, app_id) -> str | None:
    """The ref of a contact in application `app_id`. A contact of another application
    (only the admin could link one) has no ref there: it is left out, which keeps the
    document importable."""
    owner_app, ref = refs.get(contact_id, (None, None))
    return ref if owner_app == app_id else None


def _people_met(scope) -> dict[int, list[int]]:
    """Interview id -> the ids of the people met, in id order (their refs' order)."""
    people = {}
    for interview_id, contact_id in (
        Interview.contacts.through.objects.filter(
            **{f"interview__{key}": value for key, value in scope.items()}
        )
        .order_by("contact_id")
        .values_list("interview_id", "contact_id")
    ):
        people.setdefault(interview_id, []).append(contact_id)
    return people


def _interviews(scope, refs, *, people_met) -> dict[int, list[dict]]:
    interviews = {}
    for (
        interview_id, app_id, day, format, next_steps, decision_from, decision_by, timing,
        time, place,
    ) in (
        Interview.objects.filter(**scope)
        .order_by("application_id", "date", "id")
        .values_list(
            "id", "application_id", "date", "format", "next_steps",
            "decision_from", "decision_by", "timing", "time", "place",
        )
    ):  # fmt: skip
        met = (_ref_of(refs, contact, app_id) for contact in people_met.get(interview_id, ()))
        interviews.setdefault(app_id, []).append(
            {
                "date": day.isoformat(),
                "format": format,
                "contacts": [ref for ref in met if ref is not None],
                "next_steps": next_steps,
                "decision_from": _iso(decision_from),
                "decision_by": _iso(decision_by),
                "timing": timing or None,
                "time": time.strftime("%H:%M") if time is not None else None,
                "place": place,
            }
        )
    return interviews


def _follow_ups(scope, refs) -> dict[int, list[dict]]:
    follow_ups = {}
    for app_id, day, kind, channel, contact_id, note, new_decision_by, outcome in (
        FollowUp.objects.filter(**scope)
        .order_by("application_id", "date", "id")
        .values_list(
            "application_id", "date", "kind", "channel", "contact_id", "note",
            "new_decision_by", "outcome",
        )
    ):  # fmt: skip
        follow_ups.setdefault(app_id, []).append(
            {
                "date": day.isoformat(),
                "kind": kind,
                "channel": channel,
                "contact": _ref_of(refs, contact_id, app_id),
                "note": note,
                "new_decision_by": _iso(new_decision_by),
                "outcome": outcome or None,
            }
        )
    return follow_ups


# ----------------------------------------------------------------------------------------
# As text


def _ordered(obj, keys):
    """`obj` with `keys` first, in that order, then any other key as it came."""
    if not isinstance(obj, dict):
        return obj
    ordered = {key: obj[key] for key in keys if key in obj}
    ordered.update((key, value) for key, value in obj.items() if key not in ordered)
    return ordered


def _ordered_list(value, keys):
    return [_ordered(item, keys) for item in value] if isinstance(value, list) else value


def _ordered_application(app):
    app = _ordered(app, APPLICATION_KEYS)
    if not isinstance(app, dict):
        return app
    for key, keys in (
        ("contacts", CONTACT_KEYS),
        ("interviews", INTERVIEW_KEYS),
        ("follow_ups", FOLLOW_UP_KEYS),
    ):
        if key in app:
            app[key] = _ordered_list(app[key], keys)
    if "status" in app:
        app["status"] = _ordered(app["status"], STATUS_KEYS)
    return app


def dumps(document: dict) -> str:
    """`document` as stable text: the format's key order, 2-space indents, UTF-8
    characters as they are (not \\u escapes), one trailing newline."""
    document = _ordered(document, DOCUMENT_KEYS)
    applications = document.get("applications")
    if isinstance(applications, list):
        document["applications"] = [_ordered_application(app) for app in applications]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
