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
from applications.timing import WORDS, Timing
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
    _refused(
        lambda: Application.objects.create(
            owner=owner, **{"company": "Acme", "role": "Dev", "applied_on": DAY, **fields}
        )
    )


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["", "offer", "rejected", "withdrawn"])
def test_application_accepts_each_outcome(owner, outcome):
    app = Application.objects.create(
        owner=owner, company="Acme", role="Dev", applied_on=DAY, outcome=outcome
    )
    assert Application.objects.get(pk=app.pk).outcome == outcome


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {
            "decision_from": DAY + datetime.timedelta(days=5),
            "decision_by": DAY + datetime.timedelta(days=4),
        },
        {"decision_from": DAY + datetime.timedelta(days=2)},
        {"decision_by": DAY - datetime.timedelta(days=1)},
        {
            "decision_from": DAY - datetime.timedelta(days=1),
            "decision_by": DAY + datetime.timedelta(days=3),
        },
        {"format": "carrier pigeon"},
    ],
    ids=[
        "range-out-of-order",
        "range-without-end",
        "decision-before-interview",
        "range-starts-before-interview",
        "unknown-format",
    ],
)
def test_interview_refuses_impossible_timelines_and_unknown_formats(fields):
    application = ApplicationFactory()
    _refused(lambda: Interview.objects.create(application=application, date=DAY, **fields))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"decision_from": DAY, "decision_by": DAY},
        {
            "decision_from": DAY + datetime.timedelta(days=1),
            "decision_by": DAY + datetime.timedelta(days=5),
        },
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
    ids=[
        "new-date-on-check-in",
        "outcome-on-thank-you",
        "outcome-on-check-in",
        "unknown-response-outcome",
        "new-date-before-response",
        "unknown-kind",
        "unknown-channel",
    ],
)
def test_follow_up_keeps_response_fields_to_responses_and_valid_choices(fields):
    application = ApplicationFactory()
    _refused(lambda: FollowUp.objects.create(application=application, date=DAY, **fields))


@pytest.mark.django_db
def test_a_response_may_carry_a_new_date_and_an_outcome():
    response = FollowUpFactory(
        kind="response",
        date=DAY,
        new_decision_by=DAY + datetime.timedelta(days=7),
        outcome="next_round",
    )
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
        ("applied_gives_up_days", 0, 365),
        ("last_try_after_days", 0, 365),
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


# ----------------------------------------------------------------------------------------
# Rules v2: what they said about timing, the new response outcomes, public holidays

NO_DATES = {"decision_from": None, "decision_by": None}
ONE_DATE = {"decision_from": None, "decision_by": DAY + datetime.timedelta(days=3)}
TWO_DATES = {
    "decision_from": DAY + datetime.timedelta(days=6),
    "decision_by": DAY + datetime.timedelta(days=10),
}
SHAPES = {"no dates": NO_DATES, "one date": ONE_DATE, "two dates": TWO_DATES}


@pytest.mark.django_db
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("timing", ["", *Timing.values])
def test_what_they_said_and_the_dates_agree_in_python_as_in_the_database(timing, shape):
    fields = {"date": DAY, "timing": timing, **SHAPES[shape]}
    problems = interview_date_problems(**fields)
    fields["application"] = ApplicationFactory()

    assert _saves(Interview, **fields) == (problems == [])
    assert _broken_in_the_database(Interview, **fields) == {
        problem.constraint.name: [problem.message] for problem in problems
    }


@pytest.mark.parametrize(
    "timing, allowed",
    [
        ("", {"no dates", "one date", "two dates"}),  # rows from before: dates as they are
        (Timing.DATE, {"one date"}),
        (Timing.RANGE, {"two dates"}),
        (Timing.NONE, {"no dates"}),
        (Timing.NOT_ASKED, {"no dates"}),
        *[(phrase, {"one date", "two dates"}) for phrase in WORDS],
    ],
)
def test_each_answer_about_timing_goes_with_its_dates(timing, allowed):
    fine = {
        shape
        for shape, dates in SHAPES.items()
        if not interview_date_problems(date=DAY, timing=timing, **dates)
    }

    assert fine == allowed


@pytest.mark.django_db
def test_a_decision_on_the_interviews_own_day_is_allowed():
    interview = InterviewFactory(date=DAY, decision_by=DAY, timing=Timing.END_OF_TODAY)

    assert Interview.objects.get(pk=interview.pk).decision_by == DAY
    assert interview_date_problems(date=DAY, decision_from=DAY, decision_by=DAY) == []


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["offer_coming", "courtesy"])
def test_a_response_may_say_an_offer_is_coming_or_be_a_courtesy_reply(outcome):
    response = FollowUpFactory(kind="response", date=DAY, outcome=outcome)

    assert FollowUp.objects.get(pk=response.pk).outcome == outcome


@pytest.mark.django_db
@pytest.mark.parametrize(
    "outcome", ["", "next_round", "offer", "rejected", "offer_coming", "courtesy"]
)
@pytest.mark.parametrize("new_decision_by", [None, DAY + datetime.timedelta(days=7)])
def test_the_new_date_rules_of_each_outcome_in_python_are_the_databases(outcome, new_decision_by):
    fields = {"date": DAY, "new_decision_by": new_decision_by, "outcome": outcome}
    problems = follow_up_date_problems(**fields)
    fields.update(application=ApplicationFactory(), kind="response")

    # Only a courtesy reply refuses a new date: it is no news.
    assert (problems != []) == (outcome == "courtesy" and new_decision_by is not None)
    assert _saves(FollowUp, **fields) == (problems == [])
    assert _broken_in_the_database(FollowUp, **fields) == {
        problem.constraint.name: [problem.message] for problem in problems
    }


@pytest.mark.django_db
def test_a_region_of_public_holidays_needs_its_country_in_the_database(owner):
    prefs = Preferences.objects.create(user=owner, holiday_country="US", holiday_subdivision="CA")

    _refused(lambda: Preferences.objects.filter(pk=prefs.pk).update(holiday_country=""))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "country, subdivision, field",
    [("XX", "", "holiday_country"), ("US", "BY", "holiday_subdivision"), ("", "CA", None)],
)
def test_model_validation_refuses_places_the_holidays_library_does_not_know(
    owner, country, subdivision, field
):
    prefs = Preferences(user=owner, holiday_country=country, holiday_subdivision=subdivision)

    with pytest.raises(ValidationError) as refused:
        prefs.full_clean()

    # A region without its country is the constraint's to say (a message of its own).
    assert list(refused.value.message_dict) == [field or "__all__"]


@pytest.mark.django_db
def test_model_validation_accepts_a_country_and_one_of_its_regions(owner):
    Preferences(user=owner, holiday_country="DE", holiday_subdivision="BY").full_clean()
