"""hearback/v1 (docs/data-format.md): the validator's every rule, import, export, round trip."""

import copy
import dataclasses
import datetime
import json
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from applications import interchange, selectors, services
from applications import status as engine
from applications.models import Application, Contact, FollowUp, Interview
from applications.timing import Timing, decision_dates
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FollowUpFactory,
    InterviewFactory,
    PreferencesFactory,
    UserFactory,
    full_application,
)
from tests.helpers import facts_of

D = datetime.date
AS_OF = D(2026, 12, 10)


def spec_example():
    """A small complete document: one application with a contact, an interview and a
    thank-you note."""
    return {
        "format": "hearback/v1",
        "applications": [
            {
                "company": "Acme",
                "role": "Backend Engineer",
                "applied_on": "2026-11-02",
                "posting_url": "https://example.com/jobs/1",
                "notes": "",
                "outcome": None,
                "snoozed_until": None,
                "contacts": [
                    {
                        "ref": "dana",
                        "name": "Dana Reyes",
                        "email": "dana@example.com",
                        "phone": "",
                        "title": "Hiring manager",
                    }
                ],
                "interviews": [
                    {
                        "date": "2026-11-20",
                        "format": "video",
                        "contacts": ["dana"],
                        "next_steps": "Team decides after the last candidates",
                        "decision_from": None,
                        "decision_by": "2026-11-27",
                    }
                ],
                "follow_ups": [
                    {
                        "date": "2026-11-20",
                        "kind": "thank_you",
                        "channel": "email",
                        "contact": "dana",
                        "note": "",
                        "new_decision_by": None,
                        "outcome": None,
                    }
                ],
            }
        ],
    }


def errors_of(data):
    document, errors = interchange.validate_document(data)
    assert (document is None) == bool(errors)
    return errors


def with_change(path, value, document=None):
    """The spec example with the value at `path` (keys and indexes) replaced; a value of
    DELETE removes the key."""
    document = copy.deepcopy(document or spec_example())
    *parents, last = path
    target = document
    for step in parents:
        target = target[step]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return document


DELETE = object()
APP = ("applications", 0)
CONTACT = (*APP, "contacts", 0)
INTERVIEW = (*APP, "interviews", 0)
FOLLOW_UP = (*APP, "follow_ups", 0)


def json_path(path):
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


# ----------------------------------------------------------------------------------------
# Validation: the document as a whole


def test_the_spec_example_is_valid_and_becomes_python_values():
    document, errors = interchange.validate_document(spec_example())

    assert errors == []
    (app,) = document.applications
    assert (app.company, app.role, app.applied_on) == ("Acme", "Backend Engineer", D(2026, 11, 2))
    assert (app.outcome, app.snoozed_until) == ("", None)  # the database's "none"
    assert app.contacts[0].name == "Dana Reyes"
    assert app.interviews[0].contacts == (0,)  # dana, by position
    assert app.interviews[0].decision_by == D(2026, 11, 27)
    assert app.follow_ups[0].contact == 0
    assert app.follow_ups[0].outcome == ""


def test_only_format_is_required_at_the_top():
    document, errors = interchange.validate_document({"format": "hearback/v1"})
    assert errors == []
    assert document.applications == ()


def test_an_empty_application_list_is_valid():
    document, errors = interchange.validate_document({"format": "hearback/v1", "applications": []})
    assert errors == [] and document.applications == ()


@pytest.mark.parametrize(
    "value, expected",
    [
        ("hearback/v2", 'format: must be "hearback/v1", not "hearback/v2"'),
        ("HEARBACK/V1", 'format: must be "hearback/v1", not "HEARBACK/V1"'),
        (1, 'format: must be "hearback/v1", not 1'),
        (None, 'format: must be "hearback/v1", not null'),
    ],
)
def test_format_must_be_hearback_v1(value, expected):
    (error,) = errors_of(with_change(("format",), value))
    assert error.startswith(expected)


def test_format_is_required():
    (error,) = errors_of(with_change(("format",), DELETE))
    assert error.startswith("format: is required")


@pytest.mark.parametrize("data", [[], "hearback/v1", 3, None, True])
def test_the_document_must_be_an_object(data):
    (error,) = errors_of(data)
    assert error.startswith("document: must be a JSON object")


@pytest.mark.parametrize(
    "path, expected",
    [
        (("applications",), "applications: must be a list, [...], not an object"),
        ((*APP, "contacts"), "applications[0].contacts: must be a list, [...], not an object"),
        ((*APP, "interviews"), "applications[0].interviews: must be a list, [...], not an object"),
        ((*APP, "follow_ups"), "applications[0].follow_ups: must be a list, [...], not an object"),
        (
            (*INTERVIEW, "contacts"),
            "applications[0].interviews[0].contacts: must be a list, [...], not an object",
        ),
    ],
)
def test_lists_must_be_lists(path, expected):
    # (An unreadable contact list also leaves the refs to it unknown.)
    assert errors_of(with_change(path, {"a": 1}))[0] == expected


@pytest.mark.parametrize(
    "path, expected",
    [
        (APP, "applications[0]: must be an object, {...}, not text"),
        (CONTACT, "applications[0].contacts[0]: must be an object, {...}, not text"),
        (INTERVIEW, "applications[0].interviews[0]: must be an object, {...}, not text"),
        (FOLLOW_UP, "applications[0].follow_ups[0]: must be an object, {...}, not text"),
    ],
)
def test_list_items_must_be_objects(path, expected):
    errors = errors_of(with_change(path, "Acme"))
    assert expected in errors


# ----------------------------------------------------------------------------------------
# Required fields, unknown fields, ignored fields


@pytest.mark.parametrize(
    "path",
    [
        (*APP, "company"),
        (*APP, "role"),
        (*APP, "applied_on"),
        (*CONTACT, "name"),
        (*INTERVIEW, "date"),
        (*FOLLOW_UP, "date"),
        (*FOLLOW_UP, "kind"),
    ],
    ids=json_path,
)
def test_required_fields_missing_or_null_are_reported_with_their_path(path):
    assert errors_of(with_change(path, DELETE)) == [f"{json_path(path)}: is required"]
    assert errors_of(with_change(path, None)) == [
        f"{json_path(path)}: is required and may not be null"
    ]


@pytest.mark.parametrize(
    "path",
    [
        (*APP, "posting_url"),
        (*APP, "notes"),
        (*APP, "outcome"),
        (*APP, "snoozed_until"),
        (*APP, "contacts"),
        (*APP, "interviews"),
        (*APP, "follow_ups"),
        (*CONTACT, "ref"),
        (*CONTACT, "email"),
        (*CONTACT, "phone"),
        (*CONTACT, "title"),
        (*INTERVIEW, "format"),
        (*INTERVIEW, "contacts"),
        (*INTERVIEW, "next_steps"),
        (*INTERVIEW, "decision_from"),
        (*INTERVIEW, "decision_by"),
        (*FOLLOW_UP, "channel"),
        (*FOLLOW_UP, "contact"),
        (*FOLLOW_UP, "note"),
        (*FOLLOW_UP, "new_decision_by"),
        (*FOLLOW_UP, "outcome"),
    ],
    ids=json_path,
)
def test_every_other_field_is_optional_and_may_be_null(path):
    # Dropping a contact's ref (or the contacts) would leave the interview naming an
    # unknown ref.
    document = spec_example()
    if path[-1] in ("ref", "contacts"):
        document = with_change((*INTERVIEW, "contacts"), [], document)
        document = with_change((*FOLLOW_UP, "contact"), None, document)
    assert errors_of(with_change(path, DELETE, document)) == []
    assert errors_of(with_change(path, None, document)) == []


def test_missing_optional_fields_take_their_empty_defaults():
    document, _ = interchange.validate_document(
        {
            "format": "hearback/v1",
            "applications": [
                {
                    "company": "Acme",
                    "role": "Engineer",
                    "applied_on": "2026-11-02",
                    "notes": None,
                    "contacts": [{"name": "Dana"}],
                    "interviews": [{"date": "2026-11-20"}],
                    "follow_ups": [{"date": "2026-11-21", "kind": "check_in"}],
                }
            ],
        }
    )
    (app,) = document.applications
    assert (app.posting_url, app.notes, app.outcome, app.snoozed_until) == ("", "", "", None)
    assert app.contacts[0] == interchange.ValidContact(
        ref=None, name="Dana", email="", phone="", title=""
    )
    assert app.interviews[0] == interchange.ValidInterview(
        date=D(2026, 11, 20),
        format="other",
        contacts=(),
        next_steps="",
        decision_from=None,
        decision_by=None,
    )
    assert app.follow_ups[0] == interchange.ValidFollowUp(
        date=D(2026, 11, 21),
        kind="check_in",
        channel="other",
        contact=None,
        note="",
        new_decision_by=None,
        outcome="",
    )


@pytest.mark.parametrize(
    "parent, key",
    [
        ((), "author"),
        (APP, "salary"),
        (CONTACT, "linkedin"),
        (INTERVIEW, "id"),
        (FOLLOW_UP, "status"),
    ],
)
def test_unknown_fields_are_errors_not_silently_dropped(parent, key):
    (error,) = errors_of(with_change((*parent, key), "x"))
    assert error.startswith(f"{json_path((*parent, key))}: unknown field")


def test_an_unknown_field_close_to_a_real_one_gets_a_suggestion():
    document = with_change((*APP, "compnay"), "Acme")
    assert errors_of(document) == [
        'applications[0].compnay: unknown field; did you mean "company"?'
    ]


def test_an_odd_unknown_key_is_quoted_in_the_path():
    (error,) = errors_of(with_change((*APP, "posting url"), "x"))
    assert error.startswith('applications[0]["posting url"]: unknown field')


def test_a_key_given_twice_is_an_error():
    data, errors = interchange.parse_json(
        '{"format": "hearback/v1", "applications": [{"company": "A", "company": "B", '
        '"role": "R", "applied_on": "2026-11-02"}]}'
    )
    assert errors == []
    assert errors_of(data) == ["applications[0].company: given more than once; keep only one"]


@pytest.mark.parametrize("value", [None, "2020-01-01T00:00:00Z", 17, {"any": ["thing"]}])
def test_exported_at_status_and_id_are_ignored(value):
    document = with_change(("exported_at",), value)
    document = with_change((*APP, "status"), value, document)
    document = with_change((*APP, "id"), value, document)
    assert errors_of(document) == []


# ----------------------------------------------------------------------------------------
# Types, text limits, NUL, blanks


TEXT_FIELDS = [
    ((*APP, "company"), 200),
    ((*APP, "role"), 200),
    ((*APP, "notes"), 10_000),
    ((*CONTACT, "name"), 200),
    ((*CONTACT, "title"), 200),
    ((*CONTACT, "phone"), 50),
    ((*INTERVIEW, "next_steps"), 10_000),
    ((*FOLLOW_UP, "note"), 10_000),
]


@pytest.mark.parametrize("path, limit", TEXT_FIELDS, ids=[json_path(p) for p, _ in TEXT_FIELDS])
def test_text_up_to_its_limit_is_accepted_and_one_more_character_is_not(path, limit):
    assert errors_of(with_change(path, "é" * limit)) == []
    assert errors_of(with_change(path, "é" * (limit + 1))) == [
        f"{json_path(path)}: is {limit + 1} characters long; the most is {limit}"
    ]


def test_a_posting_url_may_be_2000_characters_and_no_more():
    base = "https://example.com/"
    assert errors_of(with_change((*APP, "posting_url"), base + "a" * (2000 - len(base)))) == []
    assert errors_of(with_change((*APP, "posting_url"), base + "a" * (2001 - len(base)))) == [
        "applications[0].posting_url: is 2001 characters long; the most is 2000"
    ]


def test_an_email_may_be_254_characters_and_no_more():
    domain = f"{'b' * 63}.{'c' * 63}.{'d' * 57}.com"  # labels of at most 63 characters
    email = f"{'a' * 64}@{domain}"
    assert len(email) == 254
    assert errors_of(with_change((*CONTACT, "email"), email)) == []
    assert errors_of(with_change((*CONTACT, "email"), "a" + email)) == [
        "applications[0].contacts[0].email: is 255 characters long; the most is 254"
    ]


@pytest.mark.parametrize(
    "value, found",
    [
        (3, "a number"),
        (2.5, "a number"),
        (True, "true/false"),
        (False, "true/false"),
        (["Acme"], "a list"),
        ({"name": "Acme"}, "an object"),
    ],
)
def test_text_must_be_text_and_booleans_are_not_numbers_or_text(value, found):
    assert errors_of(with_change((*APP, "company"), value)) == [
        f"applications[0].company: must be text, not {found}"
    ]


@pytest.mark.parametrize(
    "path", [p for p, _ in TEXT_FIELDS] + [(*APP, "posting_url")], ids=json_path
)
def test_nul_characters_are_refused(path):
    errors = errors_of(with_change(path, "Ac\x00me"))
    assert f"{json_path(path)}: contains a NUL character (\\u0000), which is not allowed" in errors


def test_a_lone_surrogate_is_refused():
    data, _ = interchange.parse_json(json.dumps(spec_example()).replace("Acme", "Ac\\ud800me"))
    assert errors_of(data) == [
        "applications[0].company: contains a \\u escape (a lone surrogate) that is not a real "
        "character"
    ]


@pytest.mark.parametrize(
    "path", [(*APP, "company"), (*APP, "role"), (*CONTACT, "name")], ids=json_path
)
@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_required_text_may_not_be_blank(path, blank):
    assert errors_of(with_change(path, blank)) == [f"{json_path(path)}: may not be blank"]


def test_optional_text_may_be_empty():
    assert errors_of(with_change((*APP, "notes"), "")) == []


@pytest.mark.parametrize(
    "url", ["not a url", "example.com/jobs/1", "javascript:alert(1)", "https://"]
)
def test_posting_urls_are_checked_like_the_forms_check_them(url):
    (error,) = errors_of(with_change((*APP, "posting_url"), url))
    assert error.startswith("applications[0].posting_url: not a web address we can use")


@pytest.mark.parametrize("email", ["dana", "dana@", "@example.com", "dana@example"])
def test_emails_are_checked_like_the_forms_check_them(email):
    assert errors_of(with_change((*CONTACT, "email"), email)) == [
        "applications[0].contacts[0].email: not an email address we can use"
    ]


# ----------------------------------------------------------------------------------------
# Dates


DATE_FIELDS = [
    (*APP, "applied_on"),
    (*APP, "snoozed_until"),
    (*INTERVIEW, "date"),
    (*INTERVIEW, "decision_by"),
    (*FOLLOW_UP, "date"),
]


@pytest.mark.parametrize("path", DATE_FIELDS, ids=json_path)
@pytest.mark.parametrize(
    "value",
    [
        "2026-1-5",
        "2026-01-5",
        "26-11-20",
        "2026/11/20",
        "20261120",
        "2026-11-20T10:00:00",
        "2026-11-20 10:00",
        "2026-W47-5",
        " 2026-11-20",
        "2026-02-30",
        "2026-13-01",
        "٢٠٢٦-١١-٢٠",  # digits, but not ASCII ones
        "",
        20261120,
        True,
        ["2026-11-20"],
    ],
)
def test_dates_must_be_strict_yyyy_mm_dd_strings(path, value):
    errors = errors_of(with_change(path, value))
    assert errors and errors[0].startswith(f"{json_path(path)}: not a date")


def test_the_date_error_reads_as_the_spec_says():
    document = spec_example()
    document["applications"] = [copy.deepcopy(document["applications"][0]) for _ in range(4)]
    document = with_change(("applications", 3, "interviews", 0, "date"), "Nov 20", document)
    (error,) = errors_of(document)
    assert error == (
        "applications[3].interviews[0].date: not a date (write it YYYY-MM-DD, like 2026-11-20), "
        'but "Nov 20"'
    )


@pytest.mark.parametrize("day", ["2024-02-29", "1900-01-01", "2999-12-31"])
def test_real_calendar_days_are_accepted(day):
    document, errors = interchange.validate_document(with_change((*APP, "applied_on"), day))
    assert errors == []
    assert document.applications[0].applied_on == D.fromisoformat(day)


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "3000-01-01", "9999-12-31"])
def test_days_outside_the_dates_hearback_works_with_are_refused(day):
    # Far enough from the calendar's end that the rules can add their days to any date.
    (error,) = errors_of(with_change((*APP, "applied_on"), day))
    assert error == (
        f'applications[0].applied_on: "{day}" is outside the dates Hearback works with '
        "(1900-01-01 to 2999-12-31)"
    )


# ----------------------------------------------------------------------------------------
# Decision dates: the models' check constraints, caught before any write


def interview_with(**fields):
    base = {"date": "2026-11-20", "decision_from": None, "decision_by": None}
    return with_change(INTERVIEW, {**base, **fields})


@pytest.mark.parametrize(
    "fields",
    [
        {"decision_by": "2026-11-27"},
        {"decision_from": "2026-11-25", "decision_by": "2026-11-27"},
        {"decision_from": "2026-11-27", "decision_by": "2026-11-27"},  # a one-day range
        {"decision_from": "2026-11-20", "decision_by": "2026-11-20"},  # decided on the day
    ],
)
def test_decision_dates_in_order_are_accepted(fields):
    assert errors_of(interview_with(**fields)) == []


def test_decision_from_after_decision_by_is_refused():
    assert errors_of(interview_with(decision_from="2026-11-28", decision_by="2026-11-27")) == [
        "applications[0].interviews[0].decision_from: 2026-11-28 is after decision_by "
        "(2026-11-27); a range goes from the earlier date"
    ]


def test_decision_from_needs_decision_by():
    assert errors_of(interview_with(decision_from="2026-11-25")) == [
        "applications[0].interviews[0].decision_from: a range needs its end: give decision_by "
        "too (a single date goes in decision_by)"
    ]


@pytest.mark.parametrize("key", ["decision_by", "decision_from"])
def test_no_decision_date_before_the_interview(key):
    fields = (
        {"decision_by": "2026-11-19"}
        if key == "decision_by"
        else {"decision_from": "2026-11-19", "decision_by": "2026-11-27"}
    )
    assert errors_of(interview_with(**fields)) == [
        f"applications[0].interviews[0].{key}: 2026-11-19 is before the interview "
        "(2026-11-20); they cannot decide before they have met you"
    ]


def response_with(**fields):
    base = {"date": "2026-11-25", "kind": "response"}
    return with_change(FOLLOW_UP, {**base, **fields})


@pytest.mark.parametrize("new_date", ["2026-11-25", "2026-12-01"])
def test_a_response_may_give_a_new_date_on_or_after_its_own(new_date):
    assert errors_of(response_with(new_decision_by=new_date)) == []


def test_a_new_decision_date_before_the_response_is_refused():
    assert errors_of(response_with(new_decision_by="2026-11-24")) == [
        "applications[0].follow_ups[0].new_decision_by: 2026-11-24 is before the response "
        "itself (2026-11-25)"
    ]


@pytest.mark.parametrize("kind", ["thank_you", "check_in"])
def test_response_only_fields_are_refused_on_other_kinds(kind):
    errors = errors_of(response_with(kind=kind, new_decision_by="2026-12-01", outcome="offer"))
    assert errors == [
        f'applications[0].follow_ups[0].new_decision_by: only a response (kind "response") can '
        f'give a new date; this is "{kind}"',
        f'applications[0].follow_ups[0].outcome: only a response (kind "response") can have an '
        f'outcome; this is "{kind}"',
    ]


@pytest.mark.parametrize("kind", ["thank_you", "check_in"])
def test_other_kinds_may_carry_null_response_fields(kind):
    assert errors_of(response_with(kind=kind, new_decision_by=None, outcome=None)) == []


# ----------------------------------------------------------------------------------------
# Enumerations


@pytest.mark.parametrize(
    "path, good, bad",
    [
        (
            (*APP, "outcome"),
            ["offer", "rejected", "withdrawn"],
            ["", "Offer", "next_round", "hired", 1],
        ),
        (
            (*INTERVIEW, "format"),
            ["phone", "video", "onsite", "other"],
            ["", "zoom", "Video", True],
        ),
        ((*FOLLOW_UP, "kind"), ["thank_you", "check_in"], ["", "thank-you", "email", 0]),
        (
            (*FOLLOW_UP, "channel"),
            ["email", "phone", "linkedin", "in_person", "other"],
            ["", "sms", False],
        ),
    ],
    ids=lambda value: json_path(value) if isinstance(value, tuple) else None,
)
def test_enumerations_take_their_values_only(path, good, bad):
    for value in good:
        assert errors_of(with_change(path, value)) == [], value
    for value in bad:
        (error,) = errors_of(with_change(path, value))
        assert error.startswith(f"{json_path(path)}: must be one of "), value


@pytest.mark.parametrize("outcome", ["next_round", "offer", "rejected"])
def test_a_response_outcome_takes_the_response_values(outcome):
    document, errors = interchange.validate_document(response_with(outcome=outcome))
    assert errors == []
    assert document.applications[0].follow_ups[0].outcome == outcome


@pytest.mark.parametrize("outcome", ["withdrawn", "", "Offer"])
def test_a_response_outcome_refuses_other_values(outcome):
    (error,) = errors_of(response_with(outcome=outcome))
    assert error.startswith(
        'applications[0].follow_ups[0].outcome: must be one of "next_round", "offer", '
        '"rejected", "offer_coming", "courtesy" or null'
    )


def test_the_enumeration_error_names_the_allowed_values():
    assert errors_of(with_change((*APP, "outcome"), "hired")) == [
        'applications[0].outcome: must be one of "offer", "rejected", "withdrawn" or null, '
        'not "hired"'
    ]


# ----------------------------------------------------------------------------------------
# Contacts and their refs


def test_refs_are_resolved_to_the_contacts_positions():
    document = with_change(
        (*APP, "contacts"),
        [{"ref": "dana", "name": "Dana Reyes"}, {"ref": "lee", "name": "Lee Park"}],
    )
    document = with_change((*INTERVIEW, "contacts"), ["lee", "dana"], document)
    document = with_change((*FOLLOW_UP, "contact"), "lee", document)
    valid, errors = interchange.validate_document(document)
    assert errors == []
    assert valid.applications[0].interviews[0].contacts == (1, 0)
    assert valid.applications[0].follow_ups[0].contact == 1


def test_refs_must_be_unique_within_an_application():
    document = spec_example()
    document["applications"][0]["contacts"].append({"ref": "dana", "name": "Another Dana"})
    assert errors_of(document) == [
        'applications[0].contacts[1].ref: "dana" is already the ref of contacts[0]; refs must '
        "be unique within an application"
    ]


def test_the_same_ref_may_be_used_in_two_applications():
    document = spec_example()
    document["applications"].append(copy.deepcopy(document["applications"][0]))
    valid, errors = interchange.validate_document(document)
    assert errors == []
    assert [app.interviews[0].contacts for app in valid.applications] == [(0,), (0,)]


def test_a_ref_names_contacts_of_its_own_application_only():
    document = spec_example()
    other = copy.deepcopy(document["applications"][0])
    other["contacts"] = []
    other["interviews"][0]["contacts"] = ["dana"]
    other["follow_ups"][0]["contact"] = "dana"
    document["applications"].append(other)
    assert errors_of(document) == [
        "applications[1].interviews[0].contacts[0]: no contact of this application has the "
        'ref "dana"',
        'applications[1].follow_ups[0].contact: no contact of this application has the ref "dana"',
    ]


@pytest.mark.parametrize("ref", ["", "  ", 7, ["dana"]])
def test_a_ref_must_be_a_non_blank_label(ref):
    document = with_change((*CONTACT, "ref"), ref)
    document = with_change((*INTERVIEW, "contacts"), [], document)
    document = with_change((*FOLLOW_UP, "contact"), None, document)
    (error,) = errors_of(document)
    assert error.startswith("applications[0].contacts[0].ref: must be a label")


def test_an_interview_may_not_list_a_contact_twice():
    assert errors_of(with_change((*INTERVIEW, "contacts"), ["dana", "dana"])) == [
        'applications[0].interviews[0].contacts[1]: "dana" is already listed for this interview'
    ]


@pytest.mark.parametrize(
    "path", [(*INTERVIEW, "contacts", 0), (*FOLLOW_UP, "contact")], ids=json_path
)
def test_a_contact_is_named_by_its_ref_text(path):
    (error,) = errors_of(with_change(path, 0))
    assert error == (
        f"{json_path(path)}: must be the ref of one of this application's contacts, not a number"
    )


# ----------------------------------------------------------------------------------------
# Reporting


def test_every_error_is_reported_at_once_in_file_order():
    document = spec_example()
    document["applications"].append(copy.deepcopy(document["applications"][0]))
    document = with_change((*APP, "company"), "", document)
    document = with_change((*INTERVIEW, "date"), "soon", document)
    document = with_change(("applications", 1, "role"), None, document)
    document = with_change(("applications", 1, "follow_ups", 0, "kind"), "sms", document)
    errors = errors_of(document)
    assert [error.split(":")[0] for error in errors] == [
        "applications[0].company",
        "applications[0].interviews[0].date",
        "applications[1].role",
        "applications[1].follow_ups[0].kind",
    ]


STOPPED = (
    "... and more: checking stopped after the first 100 errors. Fix these and check the file again."
)


def test_a_hundred_errors_are_all_listed():
    document = {"format": "hearback/v1", "applications": [{"company": "A"}] * 50}
    errors = errors_of(document)  # each lacks role and applied_on: 100 errors
    assert len(errors) == interchange.MAX_REPORTED_ERRORS == 100
    assert errors[-1] == "applications[49].applied_on: is required"


def test_checking_stops_after_a_hundred_errors_and_says_so():
    document = {"format": "hearback/v1", "applications": [{"company": "A"}] * 150}
    errors = errors_of(document)  # each lacks role and applied_on: 300 errors
    assert len(errors) == interchange.MAX_REPORTED_ERRORS + 1
    assert errors[0] == "applications[0].role: is required"
    assert errors[99] == "applications[49].applied_on: is required"
    assert errors[-1] == STOPPED


def test_checking_stops_inside_one_application_too():
    bad = {"date": "someday", "kind": "check_in"}
    document = {
        "format": "hearback/v1",
        "applications": [
            {"company": "A", "role": "Dev", "applied_on": "2026-11-02", "follow_ups": [bad] * 5000}
        ],
    }
    errors = errors_of(document)
    assert errors[99].startswith("applications[0].follow_ups[99].date: ")
    assert errors[100:] == [STOPPED]


@pytest.mark.parametrize("count, refused", [(3, False), (4, True)])
def test_an_upload_may_hold_only_so_many_applications(count, refused):
    application = spec_example()["applications"][0]
    document = {"format": "hearback/v1", "applications": [application] * count}
    clean, errors = interchange.validate_document(document, max_applications=3)
    if refused:
        assert clean is None
        assert errors == [
            "applications: this file holds 4 applications; one upload takes at most 3. Split "
            "it into smaller files, or ask whoever runs this Hearback to import it with the "
            "import_applications command."
        ]
    else:
        assert errors == [] and len(clean.applications) == 3


def test_without_a_limit_any_number_of_applications_is_checked():
    document = {"format": "hearback/v1", "applications": [spec_example()["applications"][0]] * 4}
    clean, errors = interchange.validate_document(document)
    assert errors == [] and len(clean.applications) == 4


def test_validation_does_not_touch_the_database():
    # No `db` fixture: any query would fail the test.
    _, errors = interchange.validate_document(spec_example())
    assert errors == []


# ----------------------------------------------------------------------------------------
# parse_json


def test_parse_json_reads_bytes_and_text_alike():
    text = json.dumps(spec_example(), ensure_ascii=False)
    assert interchange.parse_json(text) == (spec_example(), [])
    assert interchange.parse_json(text.encode()) == (spec_example(), [])
    assert interchange.parse_json(b"\xef\xbb\xbf" + text.encode()) == (spec_example(), [])  # BOM


@pytest.mark.parametrize(
    "raw, expected",
    [
        (
            b'{\n  "format": "hearback/v1",\n  "applications": [,]\n}',
            "line 3, column 20: this is not valid JSON (Expecting value)",
        ),
        (b'{"format": "hearback/v1"', "line 1, column 25: this is not valid JSON"),
        (b"company,role\nAcme,Engineer\n", "line 1, column 1: this is not valid JSON"),
        (b"", "line 1, column 1: this is not valid JSON"),
    ],
)
def test_json_syntax_errors_give_line_and_column(raw, expected):
    data, errors = interchange.parse_json(raw)
    assert data is None
    assert len(errors) == 1 and errors[0].startswith(expected)


@pytest.mark.parametrize("raw", [b'{"a": NaN}', b'{"a": Infinity}', b'{"a": -Infinity}'])
def test_json_extensions_are_refused(raw):
    data, errors = interchange.parse_json(raw)
    assert data is None and errors[0].startswith("this is not valid JSON")


def test_text_that_is_not_utf8_is_refused():
    data, errors = interchange.parse_json('{"company": "Café"}'.encode("latin-1"))
    assert data is None
    assert errors == ["byte 17: the file is not UTF-8 text; is it a hearback/v1 JSON file?"]


@pytest.mark.parametrize("raw", [b"[]", b'"hearback/v1"', b"null", b"42"])
def test_the_top_level_must_be_an_object(raw):
    data, errors = interchange.parse_json(raw)
    assert data is None and errors[0].startswith("document: must be a JSON object")


def test_deep_nesting_is_refused_not_crashed_on():
    data, errors = interchange.parse_json(b"[" * 100_000 + b"]" * 100_000)
    assert data is None and errors == ["the JSON is nested too deeply to be a hearback/v1 file"]


def test_a_file_over_the_limit_is_refused_before_parsing(settings):
    settings.HEARBACK_MAX_IMPORT_BYTES = 100
    small = b'{"format": "hearback/v1"}'
    assert interchange.parse_json(small + b" " * (100 - len(small))) == (
        {"format": "hearback/v1"},
        [],
    )
    data, errors = interchange.parse_json(small + b" " * (101 - len(small)))
    assert data is None
    assert errors == ["The file is larger than 100\xa0bytes, the most we accept."]


def test_the_limit_counts_utf8_bytes_of_text(settings):
    settings.HEARBACK_MAX_IMPORT_BYTES = 30
    assert interchange.parse_json('{"format": "' + "é" * 10 + '"}')[0] is None  # 34 bytes


# ----------------------------------------------------------------------------------------
# Import


def spec_import(user):
    document, errors = interchange.validate_document(spec_example())
    assert errors == []
    return services.applications_import(user=user, document=document)


@pytest.mark.django_db
def test_import_saves_the_document_for_the_user(owner):
    result = spec_import(owner)

    assert result == services.ImportResult(applications=1, contacts=1, interviews=1, follow_ups=1)
    app = Application.objects.get(owner=owner)
    assert (app.company, app.role, app.applied_on, app.posting_url, app.outcome) == (
        "Acme",
        "Backend Engineer",
        D(2026, 11, 2),
        "https://example.com/jobs/1",
        "",
    )
    dana = app.contacts.get()
    assert (dana.name, dana.email, dana.title) == (
        "Dana Reyes",
        "dana@example.com",
        "Hiring manager",
    )
    interview = app.interviews.get()
    assert (interview.date, interview.format, interview.decision_by) == (
        D(2026, 11, 20),
        "video",
        D(2026, 11, 27),
    )
    assert list(interview.contacts.all()) == [dana]
    follow_up = app.follow_ups.get()
    assert (follow_up.kind, follow_up.channel, follow_up.contact) == ("thank_you", "email", dana)


@pytest.mark.django_db
def test_import_wires_each_ref_to_its_own_applications_contact(owner):
    document = spec_example()
    first = document["applications"][0]
    first["contacts"].append({"ref": "lee", "name": "Lee Park"})
    first["interviews"].append({"date": "2026-11-25", "contacts": ["lee", "dana"]})
    first["follow_ups"].append({"date": "2026-11-26", "kind": "thank_you", "contact": "lee"})
    second = copy.deepcopy(first)
    second["company"] = "Globex"
    for contact in second["contacts"]:
        contact["name"] += " (Globex)"
    document["applications"].append(second)

    services.applications_import(user=owner, document=interchange.validate_document(document)[0])

    for app in Application.objects.filter(owner=owner).prefetch_related("interviews__contacts"):
        suffix = " (Globex)" if app.company == "Globex" else ""
        people = [
            sorted(contact.name for contact in interview.contacts.all())
            for interview in app.interviews.all()
        ]
        assert people == [[f"Dana Reyes{suffix}"], [f"Dana Reyes{suffix}", f"Lee Park{suffix}"]]
        thanked = [f.contact.name for f in app.follow_ups.select_related("contact")]
        assert thanked == [f"Dana Reyes{suffix}", f"Lee Park{suffix}"]
        assert {c.application_id for c in Contact.objects.filter(follow_ups__application=app)} == {
            app.pk
        }


@pytest.mark.django_db
def test_import_adds_to_the_users_existing_data(owner, stranger):
    mine = full_application(owner, company="Already here")
    theirs = full_application(stranger, company="Stranger Co")

    spec_import(owner)

    assert sorted(Application.objects.filter(owner=owner).values_list("company", flat=True)) == [
        "Acme",
        "Already here",
    ]
    assert mine.interviews.count() == 2 and mine.follow_ups.count() == 3
    assert list(Application.objects.filter(owner=stranger)) == [theirs]


@pytest.mark.django_db
def test_importing_an_empty_list_saves_nothing_and_says_zero(owner):
    document, _ = interchange.validate_document({"format": "hearback/v1", "applications": []})
    assert services.applications_import(user=owner, document=document) == services.ImportResult(
        0, 0, 0, 0
    )
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_import_of_unvalidated_data_validates_it_and_saves_nothing_on_error(owner):
    document = spec_example()
    document["applications"].append({"company": "Good", "role": "Fine", "applied_on": "2026-11-02"})
    document["applications"].append({"company": "Bad", "role": "Fine", "applied_on": "someday"})

    with pytest.raises(interchange.InvalidDocument) as raised:
        services.applications_import(user=owner, document=document)

    assert raised.value.errors[0].startswith("applications[2].applied_on: not a date")
    assert not Application.objects.exists()
    assert not Contact.objects.exists()


@pytest.mark.django_db
def test_import_of_raw_valid_data_validates_and_saves_it(owner):
    assert services.applications_import(user=owner, document=spec_example()).applications == 1
    assert Application.objects.filter(owner=owner).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_failure_mid_import_rolls_everything_back(owner):
    document, _ = interchange.validate_document(spec_example())
    with (
        mock.patch.object(FollowUp.objects, "bulk_create", side_effect=DatabaseError("disk full")),
        pytest.raises(DatabaseError),
    ):
        services.applications_import(user=owner, document=document)

    # The applications, contacts and interviews written before the failure are gone too.
    assert not Application.objects.exists()
    assert not Contact.objects.exists()
    assert not Interview.objects.exists()


def import_many(user, count):
    document = {"format": "hearback/v1", "applications": spec_example()["applications"] * count}
    valid, _ = interchange.validate_document(document)
    return valid


@pytest.mark.django_db
def test_import_takes_the_same_queries_for_3_and_30_applications(owner):
    def queries(count):
        user = UserFactory(username=f"importer{count}")  # each into an empty account
        valid = import_many(user, count)
        with CaptureQueriesContext(connection) as captured:
            services.applications_import(user=user, document=valid)
        assert Application.objects.filter(owner=user).count() == count
        return len(captured)

    # the applications already there (none); then applications, contacts, interviews,
    # the people at each interview, follow-ups: one INSERT each (plus SAVEPOINT/RELEASE
    # around them inside the test's transaction).
    assert queries(3) == queries(30) <= 8


# ----------------------------------------------------------------------------------------
# Export


def test_dumps_writes_the_spec_key_order_with_two_space_indents_and_real_characters():
    scrambled = {
        "applications": [
            {
                "status": {
                    "as_of": "2026-12-10",
                    "status": "waiting",
                    "reason": "r",
                    "next_action_date": None,
                },
                "follow_ups": [{"outcome": None, "date": "2026-11-21", "kind": "check_in"}],
                "role": "Développeur",
                "company": "Zürich AG",
            }
        ],
        "exported_at": "2026-12-10T09:00:00Z",
        "format": "hearback/v1",
    }

    text = interchange.dumps(scrambled)

    assert text.endswith("}\n")
    assert json.loads(text) == scrambled
    assert "Zürich AG" in text and "\\u" not in text
    assert text.splitlines()[:4] == [
        "{",
        '  "format": "hearback/v1",',
        '  "exported_at": "2026-12-10T09:00:00Z",',
        '  "applications": [',
    ]
    app = json.loads(text)["applications"][0]
    assert list(app) == ["company", "role", "follow_ups", "status"]
    assert list(app["follow_ups"][0]) == ["date", "kind", "outcome"]
    assert list(app["status"]) == ["status", "next_action_date", "reason", "as_of"]
    assert interchange.dumps(json.loads(text)) == text  # stable


@pytest.mark.django_db
def test_export_writes_the_format(owner):
    app = ApplicationFactory(
        owner=owner,
        company="Acme",
        role="Backend Engineer",
        applied_on=D(2026, 11, 2),
        posting_url="https://example.com/jobs/1",
    )
    dana = ContactFactory(
        application=app, name="Dana Reyes", email="dana@example.com", title="Hiring manager"
    )
    InterviewFactory(
        application=app,
        date=D(2026, 11, 20),
        contacts=[dana],
        next_steps="Team decides after the last candidates",
        decision_by=D(2026, 11, 27),
    )
    FollowUpFactory(
        application=app, date=D(2026, 11, 20), kind="thank_you", channel="email", contact=dana
    )

    document = interchange.export_document(user=owner, as_of=AS_OF)

    assert list(document) == ["format", "exported_at", "applications"]
    assert document["format"] == "hearback/v1"
    exported_at = datetime.datetime.fromisoformat(document["exported_at"])
    assert exported_at.utcoffset() == datetime.timedelta(0)
    (exported,) = document["applications"]
    status = exported.pop("status")
    # The spec's example, with positional refs.
    expected = spec_example()["applications"][0]
    expected["contacts"][0]["ref"] = "c1"
    expected["interviews"][0]["contacts"] = ["c1"]
    expected["follow_ups"][0]["contact"] = "c1"
    # Added with rules v2 (the words they said about timing): always present on export.
    expected["interviews"][0]["timing"] = None
    # Added with scheduled interviews (when it starts, where): always present on export.
    expected["interviews"][0]["time"] = None
    expected["interviews"][0]["place"] = ""
    # Added with the applications table (the job's details): always present on export.
    expected.update(location="", remote=False, salary_min=None, salary_max=None, source=None)
    assert exported == expected
    assert list(exported) == list(expected)
    assert status == {
        "status": "follow_up_now",
        "next_action_date": "2026-11-30",  # Nov 27 + 2 days is a Sunday: Monday
        "reason": status["reason"],
        "as_of": "2026-12-10",
    }
    assert status["reason"]


@pytest.mark.django_db
def test_the_export_status_is_the_engines_with_the_users_own_rules(owner):
    PreferencesFactory(user=owner, grace_days=10, weekdays_only=False)
    applications = [full_application(owner, applied_on=D(2026, 10, day)) for day in (1, 12, 25)]
    ApplicationFactory(owner=owner, outcome="withdrawn")
    prefs = selectors.preferences_get(user=owner)
    rules = selectors.rules_from(prefs)

    document = interchange.export_document(user=owner, as_of=AS_OF)

    statuses = [app["status"] for app in document["applications"]]
    expected = []
    for app in (
        Application.objects.filter(owner=owner)
        .order_by("id")
        .prefetch_related("interviews__contacts", "follow_ups")
    ):
        status = engine.evaluate(facts_of(app), rules, AS_OF)
        expected.append(
            {
                "status": status.code,
                "next_action_date": status.next_action_date and status.next_action_date.isoformat(),
                "reason": status.reason,
                "as_of": "2026-12-10",
            }
        )
    assert statuses == expected
    assert statuses[-1]["status"] == "withdrawn"
    # grace_days 10 moved the follow-up date: the user's rules were used, not the defaults.
    default = engine.evaluate(facts_of(applications[2]), engine.Rules(), AS_OF)
    assert statuses[2]["next_action_date"] != default.next_action_date.isoformat()


@pytest.mark.django_db
def test_the_export_as_of_defaults_to_the_users_today(owner):
    ApplicationFactory(owner=owner)
    today = selectors.local_today(prefs=selectors.preferences_get(user=owner))
    document = interchange.export_document(user=owner)
    assert document["applications"][0]["status"]["as_of"] == today.isoformat()


@pytest.mark.django_db
def test_export_orders_applications_by_id_and_the_rest_by_date(owner):
    later = ApplicationFactory(owner=owner, company="Zeta")
    earlier = ApplicationFactory(owner=owner, company="Alpha")
    InterviewFactory(application=later, date=D(2026, 11, 25))
    InterviewFactory(application=later, date=D(2026, 11, 20))
    FollowUpFactory(application=later, date=D(2026, 11, 28), kind="check_in")
    FollowUpFactory(application=later, date=D(2026, 11, 26), kind="thank_you")
    lee = ContactFactory(application=later, name="Lee")
    dana = ContactFactory(application=later, name="Dana")
    InterviewFactory(application=later, date=D(2026, 11, 30), contacts=[dana, lee])

    document = interchange.export_document(user=owner, as_of=AS_OF)

    assert [app["company"] for app in document["applications"]] == ["Zeta", "Alpha"]
    assert later.pk < earlier.pk
    zeta = document["applications"][0]
    assert [i["date"] for i in zeta["interviews"]] == ["2026-11-20", "2026-11-25", "2026-11-30"]
    assert [f["date"] for f in zeta["follow_ups"]] == ["2026-11-26", "2026-11-28"]
    assert [(c["ref"], c["name"]) for c in zeta["contacts"]] == [("c1", "Lee"), ("c2", "Dana")]
    assert zeta["interviews"][2]["contacts"] == ["c1", "c2"]


@pytest.mark.django_db
def test_a_contact_linked_across_applications_is_left_out_so_the_file_stays_importable(owner):
    # Only the admin could link another application's contact; refs are per application.
    first = ApplicationFactory(owner=owner)
    second = ApplicationFactory(owner=owner)
    own = ContactFactory(application=second, name="Own")
    elsewhere = ContactFactory(application=first, name="Elsewhere")
    InterviewFactory(application=second, contacts=[own, elsewhere])
    FollowUpFactory(application=second, kind="thank_you", contact=elsewhere)

    document = interchange.export_document(user=owner, as_of=AS_OF)

    exported = document["applications"][1]
    assert exported["contacts"] == [
        {"ref": "c1", "name": "Own", "email": own.email, "phone": "", "title": own.title}
    ]
    assert exported["interviews"][0]["contacts"] == ["c1"]
    assert exported["follow_ups"][0]["contact"] is None
    assert interchange.validate_document(document)[1] == []


@pytest.mark.django_db
def test_export_holds_only_the_users_applications_and_those_asked_for(owner, stranger):
    mine = [full_application(owner, company=f"Mine {n}") for n in range(3)]
    full_application(stranger, company="Stranger Co")

    everything = interchange.export_document(user=owner, as_of=AS_OF)
    chosen = interchange.export_document(user=owner, as_of=AS_OF, ids=[mine[1].pk])
    theirs_by_id = interchange.export_document(
        user=owner, as_of=AS_OF, ids=[Application.objects.get(owner=stranger).pk]
    )

    assert [a["company"] for a in everything["applications"]] == ["Mine 0", "Mine 1", "Mine 2"]
    assert [a["company"] for a in chosen["applications"]] == ["Mine 1"]
    assert len(chosen["applications"][0]["follow_ups"]) == 3
    assert theirs_by_id["applications"] == []
    assert "Stranger" not in interchange.dumps(everything)


@pytest.mark.django_db
def test_export_of_an_account_with_nothing_is_an_empty_list(owner):
    document = interchange.export_document(user=owner, as_of=AS_OF)
    assert document["applications"] == []


@pytest.mark.django_db
def test_export_takes_the_same_queries_for_3_and_30_applications(owner):
    def queries(count):
        user = UserFactory()
        for n in range(count):
            full_application(user, applied_on=D(2026, 11, 1) + datetime.timedelta(days=n))
        selectors.preferences_get(user=user)  # created once, on first use
        with CaptureQueriesContext(connection) as captured:
            interchange.export_document(user=user, as_of=AS_OF)
        return len(captured)

    # application_rows: applications, people at interviews, interviews, follow-ups; then
    # contacts, people at interviews, interviews, follow-ups, applications.
    assert queries(3) == queries(30) == 9


# ----------------------------------------------------------------------------------------
# The round trip


def rich_account(user):
    """Every kind of thing the format can hold, recorded out of date order on purpose."""
    offer = ApplicationFactory(
        owner=user,
        company="Zürich Data AG",
        role="Ingénieure backend · 東京",
        applied_on=D(2026, 10, 1),
        posting_url="https://example.com/jobs/ü?ref=1",
        notes="Line one\nLine two — with “quotes” and emoji 🎉\n",
        outcome="offer",
    )
    dana = ContactFactory(
        application=offer, name="Dana Reyes", email="dana@example.com", phone="+41 44 000 00 00"
    )
    lee = ContactFactory(application=offer, name="李雷", email="", title="")
    sam = ContactFactory(application=offer, name="Sam", email="sam@example.org", title="Recruiter")
    InterviewFactory(
        application=offer,
        date=D(2026, 10, 20),
        format="onsite",
        contacts=[lee, dana],
        decision_from=D(2026, 10, 25),
        decision_by=D(2026, 10, 30),
        next_steps="Range given",
    )
    InterviewFactory(application=offer, date=D(2026, 10, 10), format="phone", contacts=[sam])
    InterviewFactory(
        application=offer, date=D(2026, 10, 20), format="video", decision_by=D(2026, 10, 20)
    )
    InterviewFactory(application=offer, date=D(2026, 10, 15), format="other")
    FollowUpFactory(
        application=offer, date=D(2026, 10, 21), kind="thank_you", channel="email", contact=dana
    )
    FollowUpFactory(
        application=offer, date=D(2026, 10, 21), kind="thank_you", channel="linkedin", contact=lee
    )
    FollowUpFactory(
        application=offer,
        date=D(2026, 11, 3),
        kind="check_in",
        channel="phone",
        note="Left a message",
    )
    FollowUpFactory(
        application=offer,
        date=D(2026, 11, 4),
        kind="response",
        channel="in_person",
        contact=sam,
        new_decision_by=D(2026, 11, 10),
        outcome="next_round",
    )
    FollowUpFactory(
        application=offer, date=D(2026, 11, 12), kind="response", channel="other", outcome="offer"
    )
    FollowUpFactory(
        application=offer, date=D(2026, 11, 5), kind="response", new_decision_by=D(2026, 11, 5)
    )

    snoozed = ApplicationFactory(
        owner=user, company="Acme", applied_on=D(2026, 11, 2), snoozed_until=D(2026, 12, 12)
    )
    InterviewFactory(application=snoozed, date=D(2026, 12, 1), decision_by=D(2026, 12, 5))

    ApplicationFactory(
        owner=user, company="Acme", role="Second role, same company", applied_on=D(2026, 11, 30)
    )
    withdrawn = ApplicationFactory(owner=user, company="Initech", outcome="withdrawn")
    ContactFactory(application=withdrawn, name="Nobody met")
    rejected = ApplicationFactory(owner=user, company="Globex", outcome="rejected")
    FollowUpFactory(application=rejected, date=D(2026, 11, 20), kind="response", outcome="rejected")
    quiet = ApplicationFactory(owner=user, company="Hooli", applied_on=D(2026, 10, 1))
    InterviewFactory(application=quiet, date=D(2026, 11, 10))
    FollowUpFactory(application=quiet, date=D(2026, 11, 17))
    FollowUpFactory(application=quiet, date=D(2026, 11, 25))


def without_exported_at(document):
    return {key: value for key, value in document.items() if key != "exported_at"}


@pytest.mark.django_db
def test_export_import_export_gives_the_same_document(owner):
    rich_account(owner)
    newcomer = UserFactory(username="newcomer")

    first = interchange.export_document(user=owner, as_of=AS_OF)
    text = interchange.dumps(first)
    document, errors = interchange.load_document(text.encode())
    assert errors == []
    result = services.applications_import(user=newcomer, document=document)
    second = interchange.export_document(user=newcomer, as_of=AS_OF)

    assert result == services.ImportResult(applications=6, contacts=4, interviews=6, follow_ups=9)
    assert without_exported_at(second) == without_exported_at(first)
    assert interchange.dumps(without_exported_at(second)) == interchange.dumps(
        without_exported_at(first)
    )
    # The document really is rich: every status and kind came through.
    statuses = {app["status"]["status"] for app in second["applications"]}
    assert statuses == {"offer", "waiting", "withdrawn", "rejected", "likely_closed"}
    kinds = {f["kind"] for app in second["applications"] for f in app["follow_ups"]}
    assert kinds == {"thank_you", "check_in", "response"}
    assert "東京" in text and "🎉" in text
    # New rows for the newcomer; the owner's are untouched.
    assert Application.objects.filter(owner=newcomer).count() == 6
    assert Application.objects.filter(owner=owner).count() == 6
    assert (
        not Contact.objects.filter(application__owner=newcomer)
        .filter(pk__in=Contact.objects.filter(application__owner=owner))
        .exists()
    )


@pytest.mark.django_db
def test_values_at_every_limit_are_written_as_given(owner):
    # What the validator accepts the database must take (PostgreSQL enforces lengths).
    domain = f"{'b' * 63}.{'c' * 63}.{'d' * 57}.com"
    url = "https://example.com/" + "ü" * 1980
    document = {
        "format": "hearback/v1",
        "applications": [
            {
                "company": "é" * 200,
                "role": "r" * 200,
                "applied_on": "1900-01-01",
                "posting_url": url,
                "notes": "ñ" * 10_000,
                "outcome": "withdrawn",
                "snoozed_until": "2999-12-31",
                "contacts": [
                    {
                        "ref": "x" * 300,
                        "name": "n" * 200,
                        "title": "t" * 200,
                        "email": f"{'a' * 64}@{domain}",
                        "phone": "9" * 50,
                    },
                ],
                "interviews": [
                    {
                        "date": "2026-11-20",
                        "contacts": ["x" * 300],
                        "next_steps": "s" * 10_000,
                        "decision_from": "2026-11-20",
                        "decision_by": "2026-11-20",
                    },
                ],
                "follow_ups": [
                    {
                        "date": "2026-11-21",
                        "kind": "response",
                        "contact": "x" * 300,
                        "note": "o" * 10_000,
                        "new_decision_by": "2026-11-21",
                        "outcome": "rejected",
                    },
                ],
            }
        ],
    }
    valid, errors = interchange.validate_document(document)
    assert errors == []

    services.applications_import(user=owner, document=valid)

    app = Application.objects.get(owner=owner)
    assert (app.company, app.posting_url, len(app.notes)) == ("é" * 200, url, 10_000)
    assert (app.applied_on, app.snoozed_until) == (D(1900, 1, 1), D(2999, 12, 31))
    contact = app.contacts.get()
    assert (len(contact.email), contact.phone) == (254, "9" * 50)
    interview = app.interviews.get()
    assert interview.decision_from == interview.decision_by == interview.date
    assert list(interview.contacts.all()) == [contact]
    assert app.follow_ups.get().new_decision_by == D(2026, 11, 21)


# ----------------------------------------------------------------------------------------
# Rules v2, by addition: the words they said about timing, and two response outcomes


@pytest.mark.parametrize("outcome", ["offer_coming", "courtesy"])
def test_the_new_response_outcomes_are_accepted(outcome):
    document, errors = interchange.validate_document(response_with(outcome=outcome))

    assert errors == []
    assert document.applications[0].follow_ups[0].outcome == outcome


def test_an_offer_on_its_way_may_give_the_date_of_the_written_offer():
    document, errors = interchange.validate_document(
        response_with(outcome="offer_coming", new_decision_by="2026-12-01")
    )

    assert errors == []
    assert document.applications[0].follow_ups[0].new_decision_by == D(2026, 12, 1)


def test_a_courtesy_reply_may_not_give_a_new_date():
    assert errors_of(response_with(outcome="courtesy", new_decision_by="2026-12-01")) == [
        'applications[0].follow_ups[0].new_decision_by: a courtesy reply (outcome "courtesy") '
        "brings no news, so no new date; a reply with a new date is an update (outcome null)"
    ]


@pytest.mark.parametrize("outcome", ["offer_coming", "courtesy"])
def test_the_new_outcomes_are_still_responses_only(outcome):
    check_in = {"date": "2026-11-25", "kind": "check_in", "outcome": outcome}
    (error,) = errors_of(with_change(FOLLOW_UP, check_in))

    assert error.startswith("applications[0].follow_ups[0].outcome: only a response")


def test_a_document_from_before_reads_its_interviews_dates_as_they_are():
    # No `timing` anywhere (every file written before rules v2): "" for each interview.
    document, errors = interchange.validate_document(spec_example())

    assert errors == []
    assert document.applications[0].interviews[0].timing == ""
    assert document.applications[0].interviews[0].decision_by == D(2026, 11, 27)


@pytest.mark.parametrize(
    "fields",
    [
        {"timing": None, "decision_by": "2026-11-27"},
        {"timing": "date", "decision_by": "2026-11-27"},
        {"timing": "range", "decision_from": "2026-11-25", "decision_by": "2026-11-27"},
        {"timing": "end_of_today", "decision_by": "2026-11-20"},  # a Friday: its own day
        {"timing": "end_of_week", "decision_by": "2026-11-20"},
        {"timing": "next_week", "decision_from": "2026-11-23", "decision_by": "2026-11-27"},
        {"timing": "about_a_month", "decision_from": "2026-12-11", "decision_by": "2026-12-20"},
        {"timing": "none"},
        {"timing": "not_asked"},
    ],
)
def test_what_they_said_about_timing_is_accepted_with_its_dates(fields):
    document, errors = interchange.validate_document(interview_with(**fields))

    assert errors == []
    interview = document.applications[0].interviews[0]
    assert interview.timing == (fields["timing"] or "")


@pytest.mark.parametrize(
    "fields, error",
    [
        (
            {"timing": "none", "decision_by": "2026-11-27"},
            'interviews[0].decision_by: timing "none" says they gave no date, so there is no '
            "decision date to give; leave it out, or change timing",
        ),
        (
            {"timing": "date", "decision_from": "2026-11-25", "decision_by": "2026-11-27"},
            'interviews[0].decision_from: timing "date" is one day, given in decision_by alone '
            '(two dates are timing "range")',
        ),
        (
            {"timing": "range", "decision_by": "2026-11-27"},
            'interviews[0].decision_from: timing "range" needs both decision_from and decision_by',
        ),
        (
            {"timing": "next_week"},
            'interviews[0].decision_by: timing "next_week" stands for dates: from an interview '
            "on 2026-11-20 it means decision_from 2026-11-23 and decision_by 2026-11-27",
        ),
        (
            {"timing": "end_of_week"},
            'interviews[0].decision_by: timing "end_of_week" stands for dates: from an '
            "interview on 2026-11-20 it means decision_by 2026-11-20",
        ),
        (
            {"timing": "soon", "decision_by": "2026-11-27"},
            'interviews[0].timing: must be one of "date", "range", "end_of_today", '
            '"end_of_week", "next_week", "few_days", "week_or_two", "two_to_three_weeks", '
            '"about_a_month", "none", "not_asked" or null, not "soon"',
        ),
    ],
    ids=["none-with-date", "date-with-two", "range-with-one", "phrase-alone", "friday", "unknown"],
)
def test_timing_and_dates_that_disagree_are_errors_with_their_path(fields, error):
    assert errors_of(interview_with(**fields)) == [f"applications[0].{error}"]


@pytest.mark.django_db
def test_the_words_are_imported_and_always_exported(owner):
    document, _errors = interchange.validate_document(
        with_change(
            (*APP, "interviews"),
            [
                {"date": "2026-11-20", "timing": "next_week",
                 "decision_from": "2026-11-23", "decision_by": "2026-11-27"},
                {"date": "2026-11-10"},
            ],
        )
    )  # fmt: skip
    services.applications_import(user=owner, document=document)

    exported = interchange.export_document(user=owner, as_of=AS_OF)["applications"][0]

    assert [(i["date"], i["timing"]) for i in exported["interviews"]] == [
        ("2026-11-10", None),  # not kept: written, as null
        ("2026-11-20", "next_week"),
    ]
    assert list(exported["interviews"][0]) == list(interchange.INTERVIEW_KEYS)


@pytest.mark.django_db
def test_every_answer_about_timing_round_trips_exactly(owner):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 1))
    for offset, timing in enumerate(["", *Timing.values]):
        day = D(2026, 11, 2) + datetime.timedelta(days=offset)
        later = day + datetime.timedelta(days=3)
        given = {"date": (None, later), "range": (day, later)}
        decision_from, decision_by = given.get(timing) or decision_dates(timing, day)
        InterviewFactory(
            application=application,
            date=day,
            timing=timing,
            decision_from=decision_from,
            decision_by=decision_by,
        )
    newcomer = UserFactory(username="newcomer")

    first = interchange.export_document(user=owner, as_of=AS_OF)
    document, errors = interchange.load_document(interchange.dumps(first).encode())
    assert errors == []
    services.applications_import(user=newcomer, document=document)
    second = interchange.export_document(user=newcomer, as_of=AS_OF)

    assert without_exported_at(second) == without_exported_at(first)
    timings = [i["timing"] for i in second["applications"][0]["interviews"]]
    assert timings == [None, *Timing.values]


@pytest.mark.django_db
def test_the_new_outcomes_round_trip_exactly(owner):
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 11, 1))
    InterviewFactory(application=application, date=D(2026, 11, 20), timing="few_days",
                     decision_from=D(2026, 11, 22), decision_by=D(2026, 11, 25))  # fmt: skip
    FollowUpFactory(application=application, date=D(2026, 11, 23), kind="response",
                    outcome="courtesy")  # fmt: skip
    FollowUpFactory(application=application, date=D(2026, 11, 26), kind="response",
                    outcome="offer_coming", new_decision_by=D(2026, 12, 1))  # fmt: skip
    newcomer = UserFactory(username="newcomer")

    first = interchange.export_document(user=owner, as_of=AS_OF)
    document, errors = interchange.load_document(interchange.dumps(first).encode())
    assert errors == []
    services.applications_import(user=newcomer, document=document)
    second = interchange.export_document(user=newcomer, as_of=AS_OF)

    assert without_exported_at(second) == without_exported_at(first)
    assert [f["outcome"] for f in second["applications"][0]["follow_ups"]] == [
        "courtesy",
        "offer_coming",
    ]
    # The application stays open on an offer on its way.
    assert second["applications"][0]["status"]["status"] not in ("offer", "rejected", "withdrawn")


def test_the_rule_settings_stay_out_of_the_format():
    keys = {
        *interchange.DOCUMENT_KEYS,
        *interchange.APPLICATION_KEYS,
        *interchange.INTERVIEW_KEYS,
        *interchange.FOLLOW_UP_KEYS,
    }

    assert not keys & {f.name for f in dataclasses.fields(engine.Rules)}


# ----------------------------------------------------------------------------------------
# Scheduled interviews, by addition: when an interview starts and where


def test_an_interviews_time_and_place_are_imported_and_exported_exactly(owner):
    document = spec_example()
    document["applications"][0]["interviews"][0].update(
        {"time": "14:30", "place": "https://meet.example/abc-defg"}
    )

    services.applications_import(user=owner, document=document)
    interview = Interview.objects.get()
    exported = interchange.export_document(user=owner)

    assert (interview.time, interview.place) == (
        datetime.time(14, 30),
        "https://meet.example/abc-defg",
    )
    (written,) = exported["applications"][0]["interviews"]
    assert (written["time"], written["place"]) == ("14:30", "https://meet.example/abc-defg")


@pytest.mark.parametrize(
    "value", ["2:30 PM", "24:00", "14:30:00", "1430", 1430, True, ["14:30"], "14:3"]
)
def test_a_time_of_day_that_is_not_hh_mm_is_refused_with_its_path(value):
    document = spec_example()
    document["applications"][0]["interviews"][0]["time"] = value

    errors = errors_of(document)

    assert any(
        message.startswith("applications[0].interviews[0].time: not a time of day")
        for message in errors
    ), errors


def test_a_document_without_time_or_place_still_imports_as_before(owner):
    document = spec_example()
    for interview in document["applications"][0]["interviews"]:
        interview.pop("time", None)
        interview.pop("place", None)

    services.applications_import(user=owner, document=document)

    assert list(Interview.objects.values_list("time", "place")) == [(None, "")]


# ----------------------------------------------------------------------------------------
# The job's details, by addition: location, remote, salary range, source


def test_the_jobs_details_are_imported_and_exported_exactly(owner):
    document = spec_example()
    details = {
        "location": "Lisbon",
        "remote": True,
        "salary_min": 50_000,
        "salary_max": 65_000,
        "source": "referral",
    }
    document["applications"][0].update(details)

    services.applications_import(user=owner, document=document)
    (exported,) = interchange.export_document(user=owner)["applications"]

    assert {key: exported[key] for key in details} == details
    assert Application.objects.filter(**details).count() == 1


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("remote", "yes", "remote: must be true or false"),
        ("salary_min", -1, "salary_min: must be a whole number from 0 to 1,000,000,000"),
        ("salary_max", 2.5, "salary_max: must be a whole number"),
        ("salary_min", True, "salary_min: must be a whole number"),
        ("source", "newspaper", "source: must be one of"),
        ("location", "x" * 201, "location: is 201 characters long"),
    ],
)
def test_a_detail_that_is_not_what_the_format_says_is_refused(field, value, message):
    document = spec_example()
    document["applications"][0][field] = value

    errors = errors_of(document)

    assert any(f"applications[0].{message}" in error for error in errors), errors


def test_a_salary_range_that_ends_before_it_starts_is_refused_on_import():
    document = spec_example()
    document["applications"][0].update(salary_min=90_000, salary_max=60_000)

    assert errors_of(document) == [
        "applications[0].salary_max: 60000 is below salary_min (90000); a range goes from "
        "the lower amount"
    ]


# ----------------------------------------------------------------------------------------
# Importing again changes nothing


def test_importing_the_same_document_again_changes_nothing(owner):
    first = services.applications_import(user=owner, document=spec_example())
    before = interchange.export_document(user=owner, as_of=AS_OF)["applications"]

    again = services.applications_import(user=owner, document=spec_example())

    assert (first.applications, first.already_there) == (1, 0)
    assert (again.applications, again.already_there, again.follow_ups) == (0, 1, 0)
    assert interchange.export_document(user=owner, as_of=AS_OF)["applications"] == before


@pytest.mark.parametrize(
    "change, known",
    [
        ({}, True),
        ({"company": "  ACME ", "posting_url": None}, True),  # case and spaces aside
        ({"posting_url": "https://EXAMPLE.com/jobs/1/", "company": "Renamed"}, True),
        ({"applied_on": "2026-11-03", "posting_url": None}, False),
        ({"role": "Frontend Engineer", "posting_url": None}, False),
    ],
)
def test_an_application_is_known_by_its_posting_or_its_company_role_and_date(owner, change, known):
    services.applications_import(user=owner, document=spec_example())
    document = spec_example()
    document["applications"][0].update(change)

    result = services.applications_import(user=owner, document=document)

    assert (result.applications, result.already_there) == ((0, 1) if known else (1, 0))


def test_another_users_applications_are_not_known(owner, stranger):
    services.applications_import(user=stranger, document=spec_example())

    assert services.applications_import(user=owner, document=spec_example()).applications == 1
