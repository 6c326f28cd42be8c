"""The database itself refuses what the spec forbids, whatever writes to it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from applications.models import (
    Application,
    FollowUp,
    Interview,
    Preferences,
    follow_up_date_problems,
    interview_date_problems,
)
from tests.factories import ApplicationFactory, ContactFactory, FollowUpFactory, InterviewFactory

DAY = datetime.date(2026, 12, 1)


def _refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"company": ""},
        {"role": ""},
        {"outcome": "hired"},
    ],
)
def test_application_refuses_blank_required_text_and_unknown_outcomes(owner, fields):
    _refused(lambda: Application.objects.create(owner=owner, **{"company": "Acme", "role": "Dev", "applied_on": DAY, **fields}))


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["", "offer", "rejected", "withdrawn"])
def test_application_accepts_each_outcome(owner, outcome):
    app = Application.objects.create(owner=owner, company="Acme", role="Dev", applied_on=DAY, outcome=outcome)
    assert Application.objects.get(pk=app.pk).outcome == outcome


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"decision_from": DAY + datetime.timedelta(days=5), "decision_by": DAY + datetime.timedelta(days=4)},
        {"decision_from": DAY + datetime.timedelta(days=2)},
        {"decision_by": DAY - datetime.timedelta(days=1)},
        {"decision_from": DAY - datetime.timedelta(days=1), "decision_by": DAY + datetime.timedelta(days=3)},
        {"format": "carrier pigeon"},
    ],
    ids=["range-out-of-order", "range-without-end", "decision-before-interview", "range-starts-before-interview", "unknown-format"],
)
def test_interview_refuses_impossible_timelines_and_unknown_formats(fields):
    application = ApplicationFactory()
    _refused(lambda: Interview.objects.create(application=application, date=DAY, **fields))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"decision_from": DAY, "decision_by": DAY},
        {"decision_from": DAY + datetime.timedelta(days=1), "decision_by": DAY + datetime.timedelta(days=5)},
        {"decision_by": DAY},
        {},
    ],
)
def test_interview_accepts_a_date_a_range_or_nothing(fields):
    interview = InterviewFactory(date=DAY, **fields)
    assert Interview.objects.filter(pk=interview.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "check_in", "new_decision_by": DAY + datetime.timedelta(days=3)},
        {"kind": "thank_you", "outcome": "offer"},
        {"kind": "check_in", "outcome": "next_round"},
        {"kind": "response", "outcome": "hired"},
        {"kind": "response", "new_decision_by": DAY - datetime.timedelta(days=1)},
        {"kind": "telegram"},
        {"kind": "check_in", "channel": "fax"},
    ],
    ids=["new-date-on-check-in", "outcome-on-thank-you", "outcome-on-check-in", "unknown-response-outcome", "new-date-before-response", "unknown-kind", "unknown-channel"],
)
def test_follow_up_keeps_response_fields_to_responses_and_valid_choices(fields):
    application = ApplicationFactory()
    _refused(lambda: FollowUp.objects.create(application=application, date=DAY, **fields))


@pytest.mark.django_db
def test_a_response_may_carry_a_new_date_and_an_outcome():
    response = FollowUpFactory(kind="response", date=DAY, new_decision_by=DAY + datetime.timedelta(days=7), outcome="next_round")
    assert FollowUp.objects.get(pk=response.pk).new_decision_by == DAY + datetime.timedelta(days=7)


def _saves(model, **fields) -> bool:
    try:
        with transaction.atomic():
            model.objects.create(**fields)
    except IntegrityError:
        return False
    return True


def _broken_in_the_database(model, **fields) -> dict[str, list[str]]:
    """The check constraints the database finds `fields` break (Django's own
    validation evaluates each condition there), with the messages it gives."""
    broken = {}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint):
            try:
                constraint.validate(model, model(**fields))
            except ValidationError as error:
                broken[constraint.name] = error.messages
    return broken


# The day before, of and after the interview, and one more: every condition's edges.
AROUND = [None, DAY - datetime.timedelta(days=1), DAY, DAY + datetime.timedelta(days=1),
          DAY + datetime.timedelta(days=2)]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("decision_from", AROUND)
@pytest.mark.parametrize("decision_by", AROUND)
def test_the_interview_date_rule_in_python_is_the_databases(decision_from, decision_by):
    fields = {"date": DAY, "decision_from": decision_from, "decision_by": decision_by}
    problems = interview_date_problems(**fields)
    fields["application"] = ApplicationFactory()

    assert _saves(Interview, **fields) == (problems == [])
    assert _broken_in_the_database(Interview, **fields) == {
        problem.constraint.name: [problem.message] for problem in problems
    }


@pytest.mark.django_db
@pytest.mark.parametrize("new_decision_by", AROUND)
def test_the_new_date_rule_in_python_is_the_databases(new_decision_by):
    fields = {"date": DAY, "new_decision_by": new_decision_by}
    problems = follow_up_date_problems(**fields)
    fields.update(application=ApplicationFactory(), kind="response")

    assert _saves(FollowUp, **fields) == (problems == [])
    assert _broken_in_the_database(FollowUp, **fields) == {
        problem.constraint.name: [problem.message] for problem in problems
    }


def test_each_date_problem_names_its_field_in_the_constraints_words():
    day_before = DAY - datetime.timedelta(days=1)
    (problem,) = interview_date_problems(date=DAY, decision_from=None, decision_by=day_before)
    assert (problem.field, problem.code) == ("decision_by", "decision_before_interview")
    assert problem.message == (
        "They can't decide before the interview: “decision by” is before its date."
    )


def test_a_date_already_refused_as_unreadable_counts_as_given_and_is_compared_with_nothing():
    problems = interview_date_problems(date=DAY, decision_from="2026-13-45", decision_by=None)
    assert [problem.code for problem in problems] == ["range_without_end"]
    assert interview_date_problems(date="someday", decision_from=DAY, decision_by=DAY) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "setting, low, high",
    [
        ("grace_days", 0, 90),
        ("no_date_wait_days", 0, 90),
        ("applied_wait_days", 0, 90),
        ("check_in_spacing_days", 0, 90),
        ("max_check_ins", 1, 5),
    ],
)
def test_rule_settings_are_bounded_in_the_database(owner, setting, low, high):
    prefs = Preferences.objects.create(user=owner)
    for value in (low, high):
        Preferences.objects.filter(pk=prefs.pk).update(**{setting: value})
        prefs.refresh_from_db()
        assert getattr(prefs, setting) == value
    _refused(lambda: Preferences.objects.filter(pk=prefs.pk).update(**{setting: high + 1}))
    if low > 0:
        _refused(lambda: Preferences.objects.filter(pk=prefs.pk).update(**{setting: low - 1}))


@pytest.mark.django_db
def test_deleting_an_application_removes_everything_recorded_under_it():
    application = ApplicationFactory()
    contact = ContactFactory(application=application)
    InterviewFactory(application=application, contacts=[contact])
    FollowUpFactory(application=application, contact=contact)
    application.delete()
    assert not Interview.objects.exists()
    assert not FollowUp.objects.exists()
