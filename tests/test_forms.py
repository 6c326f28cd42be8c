"""The forms: what people may type, and the plain-words message when it can't be used.

Forms hold no status rule; these tests pin the input rules of the pages (dates in order,
nothing in the future, settings in their ranges) directly on the forms."""

import datetime

import pytest

from applications import services
from applications.forms import (
    AddInterviewForm,
    ApplicationForm,
    BulkActionForm,
    CheckInForm,
    CloseForm,
    InterviewForm,
    PeopleFormSet,
    PreferencesForm,
    ResponseForm,
    SnoozeForm,
    ThankYouForm,
    new_contacts,
)
from applications.models import Preferences
from tests.factories import ApplicationFactory, ContactFactory
from tests.helpers import people_data

D = datetime.date
TODAY = D(2026, 12, 10)


def errors_of(form):
    """Every message of a form, by field ("__all__" for the form itself)."""
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


# ----------------------------------------------------------------------------------------
# An interview and "when will they decide?"


def interview(**fields):
    data = {"date": "2026-12-03", "format": "video", "timeline": "date", **fields}
    return InterviewForm(data)


def test_a_single_decision_date_is_kept_as_decision_by():
    form = interview(decision_by="2026-12-08")

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["decision_from"], form.cleaned_data["decision_by"]) == (
        None,
        D(2026, 12, 8),
    )


def test_a_range_is_kept_as_decision_from_and_decision_by():
    form = interview(timeline="range", range_from="2026-12-08", range_to="2026-12-12")

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["decision_from"], form.cleaned_data["decision_by"]) == (
        D(2026, 12, 8),
        D(2026, 12, 12),
    )


def test_they_didnt_say_keeps_no_date_even_when_dates_were_typed_first():
    form = interview(timeline="none", decision_by="2026-12-08", range_from="2026-12-09")

    assert form.is_valid(), form.errors
    assert (form.cleaned_data["decision_from"], form.cleaned_data["decision_by"]) == (None, None)


def test_a_decision_on_the_day_of_the_interview_is_possible():
    assert interview(decision_by="2026-12-03").is_valid()
    assert interview(timeline="range", range_from="2026-12-03", range_to="2026-12-03").is_valid()


@pytest.mark.parametrize(
    "fields, field, message",
    [
        (
            {"timeline": "date"},
            "decision_by",
            "Enter the date they gave, or choose “They didn't say”.",
        ),
        (
            {"timeline": "range", "range_from": "2026-12-08"},
            "range_from",
            "Enter both ends of the range they gave.",
        ),
        (
            {"timeline": "range", "range_to": "2026-12-08"},
            "range_from",
            "Enter both ends of the range they gave.",
        ),
        (
            {"timeline": "range", "range_from": "2026-12-12", "range_to": "2026-12-08"},
            "range_to",
            "The range ends before it starts: Dec 8, 2026 is before Dec 12, 2026.",
        ),
        (
            {"decision_by": "2026-12-02"},
            "decision_by",
            "They can't decide before the interview (Dec 3, 2026).",
        ),
        (
            {"timeline": "range", "range_from": "2026-12-01", "range_to": "2026-12-08"},
            "range_from",
            "They can't decide before the interview (Dec 3, 2026).",
        ),
        ({"decision_by": "2026-02-30"}, "decision_by", "Enter a valid date."),
        ({"timeline": "maybe", "decision_by": "2026-12-08"}, "timeline", None),
    ],
    ids=[
        "date-chosen-but-missing",
        "range-without-end",
        "range-without-start",
        "range-out-of-order",
        "decision-before-interview",
        "range-starts-before-interview",
        "impossible-date",
        "unknown-timeline-choice",
    ],
)
def test_impossible_timelines_are_refused_with_one_clear_message(fields, field, message):
    errors = errors_of(interview(**fields))

    assert list(errors) == [field]
    assert len(errors[field]) == 1
    if message is not None:
        assert errors[field] == [message]


@pytest.mark.parametrize("timeline", ["", "not_asked"])
def test_without_an_interview_date_the_optional_interview_is_simply_left_out(timeline):
    form = InterviewForm({"date": "", "format": "video", "timeline": timeline}, optional=True)

    assert form.is_valid(), form.errors
    assert not form.has_interview()


@pytest.mark.parametrize("timeline", ["date", "week_or_two", "none"])
def test_what_they_said_without_the_interviews_date_is_asked_for_the_date(timeline):
    form = InterviewForm({"date": "", "format": "video", "timeline": timeline}, optional=True)

    assert errors_of(form) == {
        "date": [
            "Enter the interview's date. If you have not had one yet, choose "
            "“Not asked yet” under timing."
        ]
    }


def test_a_later_round_needs_its_date():
    form = InterviewForm({"date": "", "format": "video", "timeline": "none"})

    assert errors_of(form) == {"date": ["This field is required."]}


def test_text_with_a_nul_character_is_refused_before_the_database_sees_it():
    errors = errors_of(interview(timeline="none", next_steps="call\x00back"))

    assert list(errors) == ["next_steps"]
    assert len(errors["next_steps"]) == 1


def test_the_cleaned_interview_becomes_the_services_new_interview():
    form = interview(
        timeline="range", range_from="2026-12-08", range_to="2026-12-12", next_steps="Panel"
    )
    assert form.is_valid(), form.errors

    new = form.to_new_interview(
        new_contacts=[services.NewContact(name="Dana")], existing_contact_ids=[7]
    )

    assert new == services.NewInterview(
        date=D(2026, 12, 3),
        format="video",
        next_steps="Panel",
        decision_from=D(2026, 12, 8),
        decision_by=D(2026, 12, 12),
        timing="range",  # what they said, kept (rules v2)
        new_contacts=(services.NewContact(name="Dana"),),
        existing_contact_ids=(7,),
    )


# ----------------------------------------------------------------------------------------
# People met


def people(*rows):
    return PeopleFormSet(people_data(*rows), prefix="people")


def test_people_rows_left_empty_are_ignored_and_names_are_trimmed():
    formset = people(
        {"name": "  Dana Reyes ", "title": "Hiring manager", "email": "dana@example.com"},
        {"name": "", "title": "", "email": ""},
        {"name": "Lee Chen"},
    )

    assert formset.is_valid(), formset.errors
    assert new_contacts(formset) == [
        services.NewContact(name="Dana Reyes", title="Hiring manager", email="dana@example.com"),
        services.NewContact(name="Lee Chen"),
    ]


@pytest.mark.parametrize("row", [{"title": "Recruiter"}, {"name": "   ", "email": "x@example.com"}])
def test_a_person_without_a_name_is_refused(row):
    formset = people(row)

    assert not formset.is_valid()
    assert formset.errors[0] == {"name": ["Add the person's name, or clear this row."]}


def test_a_person_with_a_bad_email_is_refused():
    formset = people({"name": "Dana", "email": "dana-at-example"})

    assert not formset.is_valid()
    assert list(formset.errors[0]) == ["email"]


def test_no_more_than_twenty_people_at_once():
    formset = people(*[{"name": f"Person {n}"} for n in range(21)])

    assert not formset.is_valid()
    assert formset.non_form_errors() == ["Please submit at most 20 forms."]


# ----------------------------------------------------------------------------------------
# One-click actions


@pytest.mark.parametrize("form_class", [CheckInForm, ResponseForm])
def test_a_touchpoint_can_be_today_or_earlier_but_not_in_the_future(form_class):
    def form(day):
        return form_class({"date": day, "channel": "email"}, today=TODAY)

    assert form("2026-12-10").is_valid()
    assert form("2026-11-01").is_valid()
    assert errors_of(form("2026-12-11")) == {
        "date": ["That date is in the future; record it once it has happened."]
    }


def test_the_date_of_a_touchpoint_starts_at_today():
    assert CheckInForm(today=TODAY)["date"].value() == TODAY


def test_a_new_decision_date_cannot_come_before_the_response_itself():
    def form(new_date):
        return ResponseForm(
            {"date": "2026-12-10", "channel": "email", "new_decision_by": new_date}, today=TODAY
        )

    assert form("2026-12-10").is_valid()
    assert form("2026-12-20").is_valid()  # their new date may well be in the future
    assert errors_of(form("2026-12-09")) == {
        "new_decision_by": ["The new date can't be before their response (Dec 10, 2026)."]
    }


@pytest.mark.parametrize(
    "outcome, valid",
    [("next_round", True), ("offer", True), ("rejected", True), ("", True), ("withdrawn", False)],
)
def test_a_response_says_next_round_offer_rejected_or_just_an_update(outcome, valid):
    form = ResponseForm({"date": "2026-12-10", "channel": "email", "outcome": outcome}, today=TODAY)

    assert form.is_valid() is valid


def test_closing_needs_one_of_offer_rejected_or_withdrawn():
    assert CloseForm({"outcome": "withdrawn"}).is_valid()
    assert errors_of(CloseForm({})) == {
        "outcome": ["Choose how it ended: offer, rejected or withdrawn."]
    }
    assert errors_of(CloseForm({"outcome": "ghosted"})) == {
        "outcome": ["Select a valid choice. ghosted is not one of the available choices."]
    }


@pytest.mark.parametrize(
    "until, message",
    [
        (TODAY - datetime.timedelta(days=1), "Pick a day after today."),
        (TODAY, "Pick a day after today."),
        (TODAY + datetime.timedelta(days=1), None),
        (TODAY + datetime.timedelta(days=366), None),
        (TODAY + datetime.timedelta(days=367), "Pick a day within a year."),
    ],
)
def test_a_snooze_ends_after_today_and_within_a_year(until, message):
    errors = errors_of(SnoozeForm({"until": until.isoformat()}, today=TODAY))

    assert errors == ({"until": [message]} if message else {})


def test_a_snooze_offers_a_week_by_default():
    assert SnoozeForm(today=TODAY)["until"].value() == D(2026, 12, 17)


def test_bulk_actions_take_only_the_users_own_applications():
    def form(**data):
        return BulkActionForm({"action": "close_rejected", **data}, application_ids=[1, 2, 3])

    valid = form(selected=["1", "3"])
    assert valid.is_valid()
    assert valid.cleaned_data["selected"] == [1, 3]
    assert errors_of(form(selected=["1", "99"])) == {
        "selected": ["One of the selected applications is not yours or no longer exists."]
    }
    assert errors_of(form(selected=["one"])) == {
        "selected": ["One of the selected applications is not yours or no longer exists."]
    }
    assert errors_of(form()) == {"selected": ["Select at least one application first."]}
    assert list(errors_of(form(selected=["1"], action="delete_everything"))) == ["action"]


# ----------------------------------------------------------------------------------------
# Forms bound to the user's own rows


@pytest.mark.django_db
def test_a_thank_you_can_only_name_someone_from_this_application(owner):
    application = ApplicationFactory(owner=owner)
    dana = ContactFactory(application=application)
    elsewhere = ContactFactory(application=ApplicationFactory(owner=owner))

    def form(contact):
        return ThankYouForm(
            {"date": "2026-12-10", "contact": contact}, today=TODAY, application=application
        )

    assert form(dana.pk).is_valid()
    assert form("").is_valid()  # to everyone
    assert list(errors_of(form(elsewhere.pk))) == ["contact"]


@pytest.mark.django_db
def test_a_later_round_offers_only_the_people_of_this_application(owner):
    application = ApplicationFactory(owner=owner)
    dana = ContactFactory(application=application)
    elsewhere = ContactFactory(application=ApplicationFactory(owner=owner))
    data = {"date": "2026-12-03", "format": "video", "timeline": "none"}

    form = AddInterviewForm({**data, "existing_people": [dana.pk]}, application=application)
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["existing_people"]) == [dana]

    refused = AddInterviewForm({**data, "existing_people": [elsewhere.pk]}, application=application)
    assert list(errors_of(refused)) == ["existing_people"]


@pytest.mark.django_db
def test_a_later_round_of_an_application_without_people_asks_only_for_new_ones(owner):
    form = AddInterviewForm(application=ApplicationFactory(owner=owner))

    assert "existing_people" not in form.fields


@pytest.mark.django_db
class TestApplicationForm:
    def data(self, **fields):
        return {
            "company": "Acme",
            "role": "Backend Engineer",
            "applied_on": "2026-12-01",
            "posting_url": "",
            "notes": "",
            **fields,
        }

    def test_company_and_role_are_trimmed(self):
        form = ApplicationForm(today=TODAY, data=self.data(company="  Acme  ", role=" Engineer "))

        assert form.is_valid(), form.errors
        assert (form.cleaned_data["company"], form.cleaned_data["role"]) == ("Acme", "Engineer")

    @pytest.mark.parametrize("field", ["company", "role"])
    def test_a_blank_company_or_role_is_refused(self, field):
        errors = errors_of(ApplicationForm(today=TODAY, data=self.data(**{field: "   "})))

        assert list(errors) == [field]

    def test_a_posting_address_without_its_scheme_is_taken_as_https(self):
        form = ApplicationForm(today=TODAY, data=self.data(posting_url="example.com/jobs/1"))

        assert form.is_valid(), form.errors
        assert form.cleaned_data["posting_url"] == "https://example.com/jobs/1"

    @pytest.mark.parametrize("url", ["javascript:alert(1)", "not a url"])
    def test_a_posting_address_that_is_no_web_page_is_refused(self, url):
        assert list(errors_of(ApplicationForm(today=TODAY, data=self.data(posting_url=url)))) == [
            "posting_url"
        ]

    def test_an_application_dated_in_the_future_is_refused_until_it_is_sent(self):
        assert ApplicationForm(today=TODAY, data=self.data(applied_on="2026-12-10")).is_valid()
        errors = errors_of(ApplicationForm(today=TODAY, data=self.data(applied_on="2026-12-11")))

        assert errors == {
            "applied_on": [
                "That date is in the future; record the application once you have sent it."
            ]
        }

    def test_overlong_and_nul_text_is_refused(self):
        assert list(errors_of(ApplicationForm(today=TODAY, data=self.data(company="x" * 201)))) == [
            "company"
        ]
        assert list(errors_of(ApplicationForm(today=TODAY, data=self.data(notes="a\x00b")))) == [
            "notes"
        ]


@pytest.mark.django_db
class TestPreferencesForm:
    def data(self, **fields):
        return {
            "time_zone": "Europe/Berlin",
            "grace_days": "2",
            "no_date_wait_days": "7",
            "applied_wait_days": "14",
            "check_in_spacing_days": "7",
            "max_check_ins": "2",
            "weekdays_only": "on",
            **fields,
        }

    @pytest.mark.parametrize(
        "field, value",
        [
            ("grace_days", "0"),
            ("grace_days", "90"),
            ("no_date_wait_days", "90"),
            ("applied_wait_days", "0"),
            ("check_in_spacing_days", "90"),
            ("max_check_ins", "1"),
            ("max_check_ins", "5"),
        ],
    )
    def test_each_setting_takes_the_ends_of_its_range(self, owner, field, value):
        form = PreferencesForm(self.data(**{field: value}), instance=Preferences(user=owner))

        assert form.is_valid(), form.errors

    @pytest.mark.parametrize(
        "field, value",
        [
            ("grace_days", "91"),
            ("grace_days", "-1"),
            ("no_date_wait_days", "91"),
            ("applied_wait_days", "-1"),
            ("check_in_spacing_days", "91"),
            ("max_check_ins", "0"),
            ("max_check_ins", "6"),
            ("grace_days", "two"),
            ("time_zone", "Mars/Olympus_Mons"),
            ("time_zone", ""),
        ],
    )
    def test_a_setting_out_of_its_range_is_refused_not_clamped(self, owner, field, value):
        form = PreferencesForm(self.data(**{field: value}), instance=Preferences(user=owner))

        assert list(errors_of(form)) == [field]

    def test_time_zones_are_offered_by_city(self):
        groups = PreferencesForm().fields["time_zone"].choices
        choices = {zone: label for _group, zones in groups for zone, label in zones}

        assert choices["America/New_York"] == "New York — America"
        assert "Pacific/Auckland" in choices
        assert "Factory" not in choices


# ----------------------------------------------------------------------------------------
# Rules v2: what they said about timing, in their words


@pytest.mark.parametrize("phrase", ["end_of_today", "end_of_week", "next_week", "about_a_month"])
def test_a_phrase_needs_no_date_and_leaves_the_dates_to_the_service(phrase):
    form = interview(timeline=phrase)

    assert form.is_valid(), form.errors
    # The service that records the interview works out the dates (one table).
    new = form.to_new_interview()
    assert (new.timing, new.decision_from, new.decision_by) == (phrase, None, None)


def test_the_date_inputs_are_required_only_for_a_date_or_a_range():
    assert list(errors_of(interview(timeline="date"))) == ["decision_by"]
    assert list(errors_of(interview(timeline="range"))) == ["range_from"]
    assert errors_of(interview(timeline="few_days")) == {}
    assert errors_of(interview(timeline="none")) == {}


def test_a_decision_on_the_interviews_own_day_is_a_valid_date():
    assert interview(decision_by="2026-12-03").is_valid()
    assert interview(timeline="end_of_today").is_valid()


@pytest.mark.parametrize(
    "today, valid",
    [(D(2026, 12, 2), True), (D(2026, 12, 3), True), (D(2026, 12, 4), False), (None, False)],
)
def test_not_asked_yet_only_for_an_interview_from_today_on(today, valid):
    form = InterviewForm(
        {"date": "2026-12-03", "format": "video", "timeline": "not_asked"}, today=today
    )

    assert form.is_valid() is valid
    if not valid:
        assert list(form.errors) == ["timeline"]


def test_a_phrase_whose_dates_would_pass_the_calendars_end_is_refused():
    form = interview(date="2999-12-20", timeline="about_a_month")

    assert list(errors_of(form)) == ["timeline"]
    assert interview(date="2999-12-20", timeline="end_of_today").is_valid()


def test_the_response_form_refuses_a_date_with_a_courtesy_reply_only():
    def response(**fields):
        data = {"date": "2026-12-09", "channel": "email", "new_decision_by": "2026-12-15"}
        return ResponseForm({**data, **fields}, today=TODAY)

    assert list(errors_of(response(outcome="courtesy"))) == ["new_decision_by"]
    assert response(outcome="courtesy", new_decision_by="").is_valid()
    for outcome in ("", "offer_coming", "next_round"):
        assert response(outcome=outcome).is_valid(), outcome
