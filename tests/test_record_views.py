"""Recording and reading one application: the form that records an application with its
interview (/applications/new/), a later round (/applications/<pk>/interviews/new/), the
application page with its timeline, editing and deleting.

Dates are relative to the owner's local today, with week-end moves off, so the tests
describe the same situation whatever day they run on.
"""

import html as html_lib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import Application, Contact, FollowUp, Interview
from applications.timing import WORDS, decision_dates
from tests import helpers
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FollowUpFactory,
    InterviewFactory,
    full_application,
)
from tests.helpers import days, messages_of, short

pytestmark = pytest.mark.django_db

NEW = reverse("application_new")


def long_date(day):
    return f"{day:%b} {day.day}, {day.year}"


def counts():
    return (
        Application.objects.count(),
        Interview.objects.count(),
        Contact.objects.count(),
        FollowUp.objects.count(),
    )


def people_data(*people, prefix="people", extra=1):
    """A people formset as the page posts it: a row of name, title and email for each
    person, then `extra` empty rows (the page always shows one to fill in)."""
    rows = [
        {field: person.get(field, "") for field in ("name", "title", "email")}
        for person in [*people, *[{}] * extra]
    ]
    return helpers.people_data(*rows, prefix=prefix)


def new_application_data(today, **overrides):
    data = {
        "application-company": "Acme",
        "application-role": "Backend Engineer",
        "application-applied_on": days(today, -10).isoformat(),
        "application-posting_url": "https://example.com/jobs/1",
        "application-notes": "Referred by Sam",
        "interview-date": days(today, -1).isoformat(),
        "interview-format": "onsite",
        "interview-next_steps": "A take-home, then a panel",
        "interview-timeline": "date",
        "interview-decision_by": days(today, 5).isoformat(),
        "interview-range_from": "",
        "interview-range_to": "",
        **people_data(
            {"name": "Dana Reyes", "title": "Hiring manager", "email": "dana@example.com"},
            {"name": "Lee Chen", "title": "Staff engineer"},
        ),
    }
    data.update(overrides)
    return data


# ----------------------------------------------------------------------------------------
# Record an application with its interview


def test_the_form_asks_for_the_job_the_interview_the_people_and_their_timeline(owner_client, today):
    response = owner_client.get(NEW)

    html = response.content.decode()
    assert response.status_code == 200
    for name in (
        "application-company",
        "application-role",
        "application-posting_url",
        "interview-date",
        "interview-format",
        "interview-next_steps",
        "interview-decision_by",
        "interview-range_from",
        "interview-range_to",
        "people-0-name",
        "people-0-title",
        "people-0-email",
        "people-TOTAL_FORMS",
    ):
        assert f'name="{name}"' in html, name
    # What they said about timing, in their words (rules v2): a date, a range, the seven
    # phrases, "they didn't say", and "not asked yet", in this order.
    assert re.findall(r'name="interview-timeline" value="(\w+)"', html) == [
        "date", "range", "end_of_today", "end_of_week", "next_week", "few_days",
        "week_or_two", "two_to_three_weeks", "about_a_month", "none", "not_asked",
    ]  # fmt: skip
    assert "They didn&#x27;t say" in html
    # Applied today unless said otherwise.
    assert f'name="application-applied_on" value="{today.isoformat()}"' in html


def test_the_form_can_be_prefilled_from_a_job_posting_link(owner_client, today):
    response = owner_client.get(
        NEW, {"url": "https://jobs.example.com/42", "company": "Acme & Co", "role": "SRE"}
    )

    html = response.content.decode()
    assert 'name="application-posting_url" value="https://jobs.example.com/42"' in html
    assert 'name="application-company" value="Acme &amp; Co"' in html
    assert 'name="application-role" value="SRE"' in html


def test_a_prefilled_value_cannot_break_out_of_its_field(owner_client, today):
    html = owner_client.get(NEW, {"company": '"><script>alert(1)</script>'}).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_recording_an_application_with_its_interview_and_people_saves_it_all(
    owner, owner_client, today
):
    response = owner_client.post(NEW, new_application_data(today))

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("application_detail", args=[application.pk])
    assert messages_of(response) == ["Saved Acme."]
    assert (
        application.owner,
        application.company,
        application.role,
        application.applied_on,
        application.posting_url,
        application.notes,
    ) == (
        owner,
        "Acme",
        "Backend Engineer",
        days(today, -10),
        "https://example.com/jobs/1",
        "Referred by Sam",
    )
    interview = application.interviews.get()
    assert (
        interview.date,
        interview.format,
        interview.next_steps,
        interview.decision_from,
        interview.decision_by,
    ) == (days(today, -1), "onsite", "A take-home, then a panel", None, days(today, 5))
    assert sorted(interview.contacts.values_list("name", "title", "email")) == [
        ("Dana Reyes", "Hiring manager", "dana@example.com"),
        ("Lee Chen", "Staff engineer", ""),
    ]


def test_after_recording_the_page_shows_the_status_and_the_people_to_thank(owner_client, today):
    response = owner_client.post(NEW, new_application_data(today), follow=True)

    html = response.content.decode()
    assert "Saved Acme." in html
    assert '<span class="badge badge-waiting">Waiting</span>' in html
    assert (
        f"They said they would decide by {short(days(today, 5), today)}; "
        f"follow up from {short(days(today, 7), today)}."
    ) in html
    assert "Thank-you sent to Dana Reyes" in html
    assert "Thank-you sent to Lee Chen" in html


def test_a_range_of_dates_is_recorded_as_a_range(owner_client, today):
    response = owner_client.post(
        NEW,
        new_application_data(
            today,
            **{
                "interview-timeline": "range",
                "interview-decision_by": "",
                "interview-range_from": days(today, 3).isoformat(),
                "interview-range_to": days(today, 6).isoformat(),
            },
        ),
    )

    assert response.status_code == 302
    interview = Interview.objects.get()
    assert (interview.decision_from, interview.decision_by) == (days(today, 3), days(today, 6))


def test_when_they_didnt_say_it_is_saved_without_a_date_and_a_hint_says_to_ask_next_time(
    owner_client, today
):
    response = owner_client.post(
        NEW,
        new_application_data(today, **{"interview-timeline": "none", "interview-decision_by": ""}),
    )

    assert response.status_code == 302
    interview = Interview.objects.get()
    assert (interview.decision_from, interview.decision_by) == (None, None)
    saved, hint = messages_of(response)
    assert saved == "Saved Acme."
    assert "ask about the next steps and when they expect to decide" in hint


def test_a_hint_is_not_given_when_they_gave_a_date(owner_client, today):
    assert messages_of(owner_client.post(NEW, new_application_data(today))) == ["Saved Acme."]


def test_without_an_interview_date_only_the_application_is_saved(owner_client, today):
    response = owner_client.post(
        NEW,
        new_application_data(
            today,
            **{
                "interview-date": "",
                "interview-timeline": "",
                "interview-decision_by": "",
                **people_data(),
            },
        ),
    )

    assert response.status_code == 302
    assert counts() == (1, 0, 0, 0)
    assert messages_of(response) == ["Saved Acme."]


def test_what_they_said_without_the_interviews_date_saves_nothing_and_asks_for_it(
    owner_client, today
):
    response = owner_client.post(
        NEW,
        new_application_data(today, **{"interview-date": "", "interview-timeline": "week_or_two"}),
    )

    assert response.status_code == 400
    assert counts() == (0, 0, 0, 0)
    html = response.content.decode()
    assert "Enter the interview&#x27;s date." in html
    assert re.search(r'value="week_or_two"[^>]* checked>', html)  # what they chose is kept


def test_an_application_dated_in_the_future_is_not_saved(owner_client, today):
    response = owner_client.post(
        NEW, new_application_data(today, **{"application-applied_on": days(today, 1).isoformat()})
    )

    assert response.status_code == 400
    assert counts() == (0, 0, 0, 0)
    assert "record the application once you have sent it" in response.content.decode()


def test_an_interview_ahead_can_be_recorded_before_it_happens(owner_client, today):
    owner_client.post(
        NEW,
        new_application_data(
            today,
            **{
                "interview-date": days(today, 3).isoformat(),
                "interview-timeline": "none",
                "interview-decision_by": "",
            },
        ),
    )

    application = Application.objects.get()
    html = owner_client.get(reverse("application_detail", args=[application.pk])).content.decode()
    assert f"Your interview is on {short(days(today, 3), today)}." in html


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {
                "interview-timeline": "range",
                "interview-range_from": "+6",
                "interview-range_to": "+3",
                "interview-decision_by": "",
            },
            "The range ends before it starts: {+3} is before {+6}.",
        ),
        (
            {"interview-decision_by": "-2"},
            "They can&#x27;t decide before the interview ({-1}).",
        ),
        (
            {"interview-decision_by": ""},
            "Enter the date they gave, or choose “They didn&#x27;t say”.",
        ),
        (
            {
                "interview-timeline": "range",
                "interview-range_from": "+3",
                "interview-decision_by": "",
            },
            "Enter both ends of the range they gave.",
        ),
        ({"application-company": "  "}, "This field is required."),
        ({"application-applied_on": ""}, "This field is required."),
        (
            {"people-1-name": "", "people-1-title": "Staff engineer"},
            "Add the person&#x27;s name, or clear this row.",
        ),
    ],
    ids=[
        "range-out-of-order",
        "decision-before-interview",
        "date-chosen-but-missing",
        "range-without-end",
        "blank-company",
        "no-applied-date",
        "person-without-name",
    ],
)
def test_impossible_input_is_explained_and_nothing_is_saved(
    owner_client, today, overrides, message
):
    def resolve(value):
        """ "+3" / "-2": that many days from today, as the form posts it."""
        return days(today, int(value)).isoformat() if re.fullmatch(r"[+-]\d+", value) else value

    data = new_application_data(today, **{key: resolve(value) for key, value in overrides.items()})
    expected = re.sub(r"\{([+-]\d+)\}", lambda m: long_date(days(today, int(m[1]))), message)

    response = owner_client.post(NEW, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert expected in html
    assert "Nothing was saved yet" in html
    assert counts() == (0, 0, 0, 0)
    # What was typed is still there to fix.
    assert 'value="Dana Reyes"' in html


def job_details(html):
    """The folded section of the job's details: its opening tag and its fields."""
    return re.search(r'<details class="more-fields"[^>]*>.*?</details>', html, re.S).group()


def test_the_jobs_details_are_folded_away_until_wanted(owner_client, today):
    section = job_details(owner_client.get(NEW).content.decode())

    assert section.startswith('<details class="more-fields">')


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"application-salary_min": "200000", "application-salary_max": "100000"},
            "salary_max",
            "The salary range ends before it starts.",
        ),
        ({"application-salary_min": "-5"}, "salary_min", "greater than or equal to 0"),
        ({"application-location": "x" * 201}, "location", "at most 200 characters"),
    ],
    ids=["salary-out-of-order", "negative-salary", "long-location"],
)
def test_a_problem_in_the_folded_details_opens_them_and_is_shown_by_its_field(
    owner_client, today, overrides, field, message
):
    response = owner_client.post(NEW, new_application_data(today, **overrides))

    assert response.status_code == 400
    section = job_details(response.content.decode())
    assert section.startswith('<details class="more-fields" open>')
    problem = re.search(r'<div class="field has-error">.*?</ul>', section, re.S).group()
    assert f'name="application-{field}"' in problem
    assert message in problem
    assert counts() == (0, 0, 0, 0)


def test_a_problem_outside_the_folded_details_leaves_them_folded(owner_client, today):
    response = owner_client.post(NEW, new_application_data(today, **{"application-company": ""}))

    assert response.status_code == 400
    assert job_details(response.content.decode()).startswith('<details class="more-fields">')


def test_the_salary_range_problem_is_shown_by_the_salary_on_the_edit_form_too(owner, owner_client):
    application = ApplicationFactory(owner=owner, company="Hooli")
    edit = reverse("application_edit", args=[application.pk])

    response = owner_client.post(
        edit,
        {
            "company": "Hooli",
            "role": application.role,
            "applied_on": application.applied_on.isoformat(),
            "salary_min": "200000",
            "salary_max": "100000",
        },
    )

    assert response.status_code == 400
    section = job_details(response.content.decode())
    assert section.startswith('<details class="more-fields" open>')
    problem = re.search(r'<div class="field has-error">.*?</ul>', section, re.S).group()
    assert 'name="salary_max"' in problem
    assert "The salary range ends before it starts." in problem


# ----------------------------------------------------------------------------------------
# A later interview round


def later_round_data(today, **overrides):
    return {
        "interview-date": days(today, -1).isoformat(),
        "interview-format": "video",
        "interview-next_steps": "",
        "interview-timeline": "date",
        "interview-decision_by": days(today, 4).isoformat(),
        "interview-range_from": "",
        "interview-range_to": "",
        **people_data({"name": "Sam Patel", "title": "VP Engineering"}),
        **overrides,
    }


@pytest.fixture
def met_before(owner, today):
    """An application after a first round with Dana and Lee."""
    application = ApplicationFactory(owner=owner, company="Acme", applied_on=days(today, -20))
    dana = ContactFactory(application=application, name="Dana Reyes")
    lee = ContactFactory(application=application, name="Lee Chen")
    InterviewFactory(application=application, date=days(today, -10), contacts=[dana, lee])
    return application, dana, lee


def test_a_later_round_offers_the_people_met_before(owner_client, met_before):
    application, dana, lee = met_before

    html = owner_client.get(reverse("interview_new", args=[application.pk])).content.decode()

    assert "Another interview at Acme" in html
    for person in (dana, lee):
        assert f'name="interview-existing_people" value="{person.pk}"' in html
        assert person.name in html


def test_a_later_round_links_people_met_before_and_adds_new_ones(owner_client, met_before, today):
    application, dana, _ = met_before

    response = owner_client.post(
        reverse("interview_new", args=[application.pk]),
        later_round_data(today, **{"interview-existing_people": [str(dana.pk)]}),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("application_detail", args=[application.pk])
    assert messages_of(response) == ["Interview saved."]
    latest = application.interviews.order_by("date").last()
    assert (latest.date, latest.decision_by) == (days(today, -1), days(today, 4))
    assert sorted(latest.contacts.values_list("name", flat=True)) == ["Dana Reyes", "Sam Patel"]
    assert sorted(application.contacts.values_list("name", flat=True)) == [
        "Dana Reyes",
        "Lee Chen",
        "Sam Patel",
    ]


def test_a_later_round_cannot_link_another_applications_person(
    owner, owner_client, met_before, today
):
    application, dana, _ = met_before
    elsewhere = ContactFactory(application=ApplicationFactory(owner=owner), name="Elsewhere")
    before = counts()

    response = owner_client.post(
        reverse("interview_new", args=[application.pk]),
        later_round_data(today, **{"interview-existing_people": [str(dana.pk), str(elsewhere.pk)]}),
    )

    assert response.status_code == 400
    assert counts() == before
    assert elsewhere.interviews.count() == 0


def test_a_refused_person_choice_is_explained(owner, owner_client, met_before, today):
    application, _, _ = met_before
    elsewhere = ContactFactory(application=ApplicationFactory(owner=owner))

    response = owner_client.post(
        reverse("interview_new", args=[application.pk]),
        later_round_data(today, **{"interview-existing_people": [str(elsewhere.pk)]}),
    )

    assert response.status_code == 400
    assert "is not one of the available choices" in response.content.decode()


def test_a_later_round_of_an_application_without_people_ignores_a_posted_person_id(
    owner, owner_client, today
):
    application = ApplicationFactory(owner=owner, applied_on=days(today, -20))
    elsewhere = ContactFactory(application=ApplicationFactory(owner=owner))

    response = owner_client.post(
        reverse("interview_new", args=[application.pk]),
        later_round_data(today, **{"interview-existing_people": [str(elsewhere.pk)]}),
    )

    assert response.status_code == 302
    (interview,) = application.interviews.all()
    assert list(interview.contacts.values_list("name", flat=True)) == ["Sam Patel"]
    assert elsewhere.interviews.count() == 0


def test_a_later_round_with_an_impossible_timeline_is_explained_and_not_saved(
    owner_client, met_before, today
):
    application, _, _ = met_before
    before = counts()

    response = owner_client.post(
        reverse("interview_new", args=[application.pk]),
        later_round_data(today, **{"interview-decision_by": days(today, -3).isoformat()}),
    )

    assert response.status_code == 400
    assert (
        f"They can&#x27;t decide before the interview ({long_date(days(today, -1))})."
        in response.content.decode()
    )
    assert counts() == before


def test_a_later_round_shows_the_problems_of_the_round_and_of_the_people_at_once(
    owner_client, met_before, today
):
    application, _, _ = met_before
    before = counts()

    response = owner_client.post(
        reverse("interview_new", args=[application.pk]),
        later_round_data(
            today,
            **{"interview-date": "someday"},
            **people_data({"title": "Recruiter"}),  # a title with no name
        ),
    )

    assert response.status_code == 400
    assert response.context["interview_form"].errors["date"]
    assert response.context["people"].errors[0]["name"] == [
        "Add the person's name, or clear this row."
    ]
    assert counts() == before


def test_a_later_round_where_they_didnt_say_gets_the_hint(owner_client, met_before, today):
    application, _, _ = met_before

    response = owner_client.post(
        reverse("interview_new", args=[application.pk]),
        later_round_data(today, **{"interview-timeline": "none", "interview-decision_by": ""}),
    )

    saved, hint = messages_of(response)
    assert saved == "Interview saved."
    assert "ask about the next steps" in hint


# ----------------------------------------------------------------------------------------
# The application page


def detail(client, application):
    response = client.get(reverse("application_detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def story(owner, today):
    """Applied, interviewed with Dana and Lee (they said they'd decide in 3 days), thanked
    Dana, then checked in and heard back with a new date."""
    application = ApplicationFactory(
        owner=owner, company="Acme", role="Data Engineer", applied_on=days(today, -30)
    )
    dana = ContactFactory(application=application, name="Dana Reyes")
    lee = ContactFactory(application=application, name="Lee Chen")
    InterviewFactory(
        application=application,
        date=days(today, -6),
        decision_by=days(today, -3),
        contacts=[dana, lee],
        next_steps="Panel next",
    )
    FollowUpFactory(application=application, date=days(today, -5), kind="thank_you", contact=dana)
    FollowUpFactory(application=application, date=days(today, -1), kind="check_in")
    FollowUpFactory(
        application=application,
        date=days(today, -1),
        kind="response",
        new_decision_by=days(today, 2),
        note="They need one more week",
    )
    return application, dana, lee


TIMELINE_ITEM = re.compile(
    r'<li class="tl-item tl-(?P<kind>\w+)">\s*<time datetime="(?P<date>[\d-]+)">[^<]*</time>\s*'
    r'<span class="tl-title">(?P<title>[^<]*)</span>'
)


def test_the_page_lists_the_whole_timeline_in_date_order(owner_client, story, today):
    application, _, _ = story

    html = detail(owner_client, application)

    listed = [
        (m["date"], m["kind"], html_lib.unescape(m["title"])) for m in TIMELINE_ITEM.finditer(html)
    ]
    assert listed == [
        (days(today, -30).isoformat(), "applied", "Applied"),
        (days(today, -6).isoformat(), "interview", "Interview (video)"),
        (days(today, -5).isoformat(), "thank_you", "Thank-you note sent"),
        (days(today, -3).isoformat(), "decision", "They expect to decide by this date"),
        (days(today, -1).isoformat(), "check_in", "You checked in (other)"),
        (days(today, -1).isoformat(), "response", "They responded"),
        (days(today, 2).isoformat(), "decision", "New date they gave"),
        (days(today, 4).isoformat(), "next", "Next change"),
    ]
    assert "Dana Reyes, Lee Chen" in html  # who was at the interview
    assert "They need one more week" in html


def test_the_page_draws_the_timeline_as_a_labelled_picture(owner_client, story, today):
    application, _, _ = story

    html = detail(owner_client, application)

    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="timeline-title timeline-desc"' in svg
    assert re.search(r'<title id="timeline-title">[^<]+</title>', svg)
    assert (
        f'<desc id="timeline-desc">8 events from {long_date(days(today, -30))} to '
        f"{long_date(days(today, 4))}; today is {long_date(today)}."
    ) in svg
    assert svg.count('<g class="tl-mark') == 8


def test_the_page_shows_the_status_its_reason_and_the_next_date(owner_client, story, today):
    application, _, _ = story

    html = detail(owner_client, application)

    assert '<span class="badge badge-waiting">Waiting</span>' in html
    due = days(today, 4)
    assert f'<time datetime="{due.isoformat()}">{due:%a}, {due:%b} {due.day}' in html
    assert "(in 4 days)</time>" in html
    assert (
        f"On {short(days(today, -1), today)} they said they would get back to you by "
        f"{short(days(today, 2), today)}; follow up from {short(due, today)}."
    ) in html


def test_the_page_offers_a_thank_you_button_for_each_person_still_owed_one(
    owner_client, story, today
):
    application, _, lee = story

    html = detail(owner_client, application)

    assert "Thank-you sent to Lee Chen" in html
    assert "Thank-you sent to Dana Reyes" not in html
    form = re.search(
        rf'<form method="post" action="{reverse("thank_you", args=[application.pk])}"[^>]*>'
        r"(.*?)</form>",
        html,
    )[1]
    assert f'name="contact" value="{lee.pk}"' in form
    assert f'name="date" value="{today.isoformat()}"' in form


def test_an_interview_without_named_people_offers_one_thank_you_button(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, applied_on=days(today, -10))
    InterviewFactory(application=application, date=days(today, -1))

    html = detail(owner_client, application)

    assert ">Thank-you note sent</button>" in html
    assert "No one recorded yet." in html


def test_the_page_offers_every_action_on_an_open_application(owner_client, story):
    application, _, _ = story

    html = detail(owner_client, application)

    for name in ("check_in", "response", "close", "snooze"):
        assert f'action="{reverse(name, args=[application.pk])}"' in html, name
    for name in ("interview_new", "application_edit", "application_delete"):
        assert f'href="{reverse(name, args=[application.pk])}"' in html, name
    assert f'action="{reverse("reopen", args=[application.pk])}"' not in html


def test_the_page_offers_a_thank_you_once_an_interview_has_happened(owner_client, story):
    application, _, _ = story

    html = detail(owner_client, application)

    assert f'action="{reverse("thank_you", args=[application.pk])}" class="card action"' in html
    assert "I sent a thank-you" in html
    assert f'href="{reverse("draft", args=[application.pk, "thank_you"])}"' in html
    assert ">Add another interview round</a>" in html


@pytest.mark.parametrize("interview_in", [None, 4], ids=["no-interview", "interview-ahead"])
def test_before_any_interview_has_happened_no_thank_you_is_offered(
    owner, owner_client, today, interview_in
):
    application = ApplicationFactory(owner=owner, company="Pied Piper", applied_on=days(today, -9))
    if interview_in is not None:
        InterviewFactory(application=application, date=days(today, interview_in))

    html = detail(owner_client, application)

    assert "I sent a thank-you" not in html
    assert f'action="{reverse("thank_you", args=[application.pk])}"' not in html
    assert "Draft a thank-you" not in html
    assert "Draft a check-in" in html  # the other drafts are still offered
    link = f'href="{reverse("interview_new", args=[application.pk])}"'
    if interview_in is None:
        assert f"{link}>Add an interview</a>" in html
        assert "another" not in html.lower()
    else:
        assert f"{link}>Add another interview round</a>" in html


def test_the_interview_form_asks_for_the_first_interview_or_another(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, company="Pied Piper")
    url = reverse("interview_new", args=[application.pk])

    first = owner_client.get(url).content.decode()
    InterviewFactory(application=application, date=days(today, 3))
    then = owner_client.get(url).content.decode()

    assert "<h1>An interview at Pied Piper</h1>" in first
    assert "Another interview" not in first
    assert "<h1>Another interview at Pied Piper</h1>" in then


def test_a_closed_application_offers_to_reopen_it_instead(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, outcome="withdrawn")

    html = detail(owner_client, application)

    assert '<span class="badge badge-withdrawn">Withdrawn</span>' in html
    assert f'action="{reverse("reopen", args=[application.pk])}"' in html
    assert f'action="{reverse("check_in", args=[application.pk])}"' not in html


def test_an_application_closed_by_their_response_links_to_record_a_new_one(
    owner, owner_client, today
):
    application = ApplicationFactory(owner=owner, applied_on=days(today, -20))
    FollowUpFactory(
        application=application, date=days(today, -1), kind="response", outcome="rejected"
    )

    html = detail(owner_client, application)

    assert "record a new response" in html
    assert f'href="{reverse("response", args=[application.pk])}"' in html


def test_a_snoozed_application_says_until_when_and_offers_to_remove_the_snooze(
    owner, owner_client, today
):
    application = ApplicationFactory(owner=owner, snoozed_until=days(today, 3))

    html = detail(owner_client, application)

    until = days(today, 3)
    assert f"Snoozed until {until:%a}, {until:%b} {until.day}." in html
    assert f'action="{reverse("unsnooze", args=[application.pk])}"' in html


def test_an_interview_without_a_decision_date_suggests_asking_for_one(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, applied_on=days(today, -10))
    InterviewFactory(application=application, date=days(today, -1))

    assert "ask when they expect to decide" in detail(owner_client, application)


def test_every_id_on_the_application_page_is_unique(owner_client, story):
    # Four forms share field names; their labels must still point at their own field.
    application, _, _ = story

    ids = re.findall(r'\bid="([^"]+)"', detail(owner_client, application))

    assert "check_in_date" in ids and "response_date" in ids
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []


SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_user_text_is_escaped_on_the_application_page(owner, owner_client, today):
    application = ApplicationFactory(
        owner=owner, company=SCRIPT, role=SCRIPT, notes=SCRIPT, applied_on=days(today, -10)
    )
    person = ContactFactory(application=application, name=SCRIPT, title=SCRIPT)
    InterviewFactory(
        application=application, date=days(today, -2), contacts=[person], next_steps=SCRIPT
    )
    FollowUpFactory(application=application, date=days(today, -1), kind="response", note=SCRIPT)

    html = detail(owner_client, application)

    assert SCRIPT not in html
    assert f"<h1>{ESCAPED} " in html
    assert html.count(ESCAPED) >= 8  # title, heading, role, notes, person, next steps, note...


@pytest.mark.parametrize(
    "name",
    [
        "application_detail",
        "application_edit",
        "application_delete",
        "interview_new",
        "check_in",
        "response",
    ],
)
def test_every_page_of_an_application_escapes_its_company_name(owner, owner_client, today, name):
    application = ApplicationFactory(owner=owner, company=SCRIPT, applied_on=days(today, -3))
    ContactFactory(application=application, name=SCRIPT)  # listed on the later-round form

    response = owner_client.get(reverse(name, args=[application.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert SCRIPT not in html
    assert ESCAPED in html


def test_the_saved_message_escapes_the_company_name(owner_client, today):
    response = owner_client.post(
        NEW, new_application_data(today, **{"application-company": SCRIPT}), follow=True
    )

    html = response.content.decode()
    assert SCRIPT not in html
    assert f"Saved {ESCAPED}." in html


def test_the_application_page_answers_only_get(owner_client, story):
    application, _, _ = story

    assert (
        owner_client.post(reverse("application_detail", args=[application.pk])).status_code == 405
    )


def test_the_application_page_costs_the_same_queries_however_long_its_story(
    owner, owner_client, today
):
    def page_queries(application):
        with CaptureQueriesContext(connection) as captured:
            detail(owner_client, application)
        return len(captured)

    short_story = full_application(owner, applied_on=days(today, -60))
    long_story = full_application(owner, applied_on=days(today, -60))
    for week in range(1, 8):
        person = ContactFactory(application=long_story)
        InterviewFactory(
            application=long_story, date=days(today, -60 + 7 * week), contacts=[person]
        )
        FollowUpFactory(
            application=long_story,
            date=days(today, -59 + 7 * week),
            kind="thank_you",
            contact=person,
        )

    # 1 session, 2 user, 3 the application (owner-scoped), 4 preferences; its status from
    # the one read path (selectors.application_rows): 5 the application's fields, 6 the
    # people at each interview, 7 interviews, 8 follow-ups; what the timeline and the
    # people list show: 9 people, 10 interviews, 11 the people at each, 12 follow-ups
    # with their person; 13 the people the thank-you form offers.
    assert page_queries(short_story) == page_queries(long_story) == 13


# ----------------------------------------------------------------------------------------
# Edit and delete


def test_the_edit_form_shows_the_current_values(owner, owner_client):
    application = ApplicationFactory(
        owner=owner, company="Acme", posting_url="https://example.com/j"
    )

    html = owner_client.get(reverse("application_edit", args=[application.pk])).content.decode()

    assert 'name="company" value="Acme"' in html
    assert 'name="posting_url" value="https://example.com/j"' in html


def test_editing_saves_the_changes_and_says_so(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, company="Acme", outcome="offer")

    response = owner_client.post(
        reverse("application_edit", args=[application.pk]),
        {
            "company": "Acme Corp",
            "role": "Staff Engineer",
            "applied_on": days(today, -3).isoformat(),
            "posting_url": "example.com/jobs/9",
            "notes": "Remote",
        },
    )

    assert response["Location"] == reverse("application_detail", args=[application.pk])
    assert messages_of(response) == ["Changes saved."]
    application.refresh_from_db()
    assert (
        application.company,
        application.role,
        application.applied_on,
        application.posting_url,
        application.notes,
        application.outcome,
    ) == (
        "Acme Corp",
        "Staff Engineer",
        days(today, -3),
        "https://example.com/jobs/9",
        "Remote",
        "offer",
    )


def test_an_invalid_edit_is_explained_and_changes_nothing(owner, owner_client):
    application = ApplicationFactory(owner=owner, company="Acme", role="Engineer")

    response = owner_client.post(
        reverse("application_edit", args=[application.pk]),
        {"company": " ", "role": "Other", "applied_on": "2026-02-30"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in html
    assert "Enter a valid date." in html
    application.refresh_from_db()
    assert (application.company, application.role) == ("Acme", "Engineer")


def test_delete_asks_first_and_deletes_nothing_on_get(owner, owner_client):
    application = full_application(owner, company="Acme")

    response = owner_client.get(reverse("application_delete", args=[application.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Delete Acme?" in html
    assert "It can't be undone." in html
    assert '<form method="post">' in html
    assert counts() == (1, 2, 2, 3)


def test_delete_by_post_removes_the_application_and_everything_under_it(owner, owner_client):
    application = full_application(owner, company="Acme")
    kept = full_application(owner, company="Kept")

    response = owner_client.post(reverse("application_delete", args=[application.pk]))

    assert response["Location"] == reverse("dashboard")
    assert messages_of(response) == ["Deleted Acme and everything recorded with it."]
    assert list(Application.objects.all()) == [kept]
    assert counts() == (1, 2, 2, 3)
    assert owner_client.get(reverse("application_detail", args=[application.pk])).status_code == 404


# ----------------------------------------------------------------------------------------
# Rules v2: what they said about timing, in their words, recorded in one step


def stored_timing(application):
    return application.interviews.values_list("timing", "decision_from", "decision_by").get()


@pytest.mark.parametrize("phrase", list(WORDS))
def test_each_phrase_is_recorded_with_the_dates_it_means_in_one_step(
    owner, owner_client, today, phrase
):
    interview_on = days(today, -1)
    response = owner_client.post(
        NEW,
        new_application_data(today, **{"interview-timeline": phrase, "interview-decision_by": ""}),
    )

    assert response.status_code == 302
    application = Application.objects.get(owner=owner)
    assert stored_timing(application) == (phrase, *decision_dates(phrase, interview_on))


def test_the_date_inputs_of_a_date_or_a_range_are_ignored_for_a_phrase(owner, owner_client, today):
    # Without JavaScript every input stays visible: a date typed, then "next week" picked.
    response = owner_client.post(
        NEW,
        new_application_data(
            today,
            **{
                "interview-timeline": "next_week",
                "interview-decision_by": days(today, 30).isoformat(),
                "interview-range_from": days(today, 40).isoformat(),
                "interview-range_to": "not a date at all",
            },
        ),
    )

    assert response.status_code == 302
    timing, _from, decision_by = stored_timing(Application.objects.get(owner=owner))
    assert timing == "next_week" and decision_by != days(today, 30)


@pytest.mark.parametrize(
    "fields, stored",
    [
        ({"interview-timeline": "none", "interview-decision_by": ""}, ("none", None, None)),
        ({"interview-timeline": "date"}, ("date", None, "by")),
        (
            {
                "interview-timeline": "range",
                "interview-decision_by": "",
                "interview-range_from": "from",
                "interview-range_to": "by",
            },
            ("range", "from", "by"),
        ),
    ],
)
def test_a_date_a_range_and_no_date_keep_their_words_too(
    owner, owner_client, today, fields, stored
):
    dates = {"from": days(today, 2), "by": days(today, 5)}
    fields = {
        key: dates[value].isoformat() if value in dates else value for key, value in fields.items()
    }
    response = owner_client.post(NEW, new_application_data(today, **fields))

    assert response.status_code == 302
    assert stored_timing(Application.objects.get(owner=owner)) == tuple(
        dates.get(value, value) for value in stored
    )


def test_a_decision_on_the_interviews_own_day_is_accepted(owner, owner_client, today):
    interview_on = days(today, -1)
    response = owner_client.post(
        NEW,
        new_application_data(today, **{"interview-decision_by": interview_on.isoformat()}),
    )

    assert response.status_code == 302
    assert stored_timing(Application.objects.get(owner=owner)) == ("date", None, interview_on)


def test_not_asked_yet_is_for_an_interview_still_ahead(owner, owner_client, today):
    response = owner_client.post(
        NEW,
        new_application_data(
            today,
            **{
                "interview-date": days(today, 1).isoformat(),
                "interview-timeline": "not_asked",
                "interview-decision_by": "",
            },
        ),
    )

    assert response.status_code == 302
    assert stored_timing(Application.objects.get(owner=owner)) == ("not_asked", None, None)
    assert any("ask when they expect to decide" in text for text in messages_of(response))


@pytest.mark.parametrize("timing", ["not_asked", ""])
@pytest.mark.parametrize("time", ["23:50", "08:00", ""])
def test_an_interview_today_may_be_recorded_as_not_asked_yet_whatever_its_time(
    owner_client, today, timing, time
):
    """Recorded in the morning for tonight, or before its time today: nothing asked yet.
    Left empty, the answer is "not asked yet", as for an interview on a later day."""
    response = owner_client.post(
        NEW,
        new_application_data(
            today,
            **{
                "interview-date": today.isoformat(),
                "interview-time": time,
                "interview-timeline": timing,
                "interview-decision_by": "",
            },
        ),
    )

    assert response.status_code == 302, html_lib.unescape(response.content.decode())[:3000]
    interview = Interview.objects.get()
    assert (interview.date, interview.timing) == (today, "not_asked")


def test_not_asked_yet_is_refused_for_an_interview_of_a_past_day(owner_client, today):
    before = counts()
    response = owner_client.post(
        NEW,
        new_application_data(
            today,
            **{
                "interview-date": days(today, -1).isoformat(),
                "interview-timeline": "not_asked",
                "interview-decision_by": "",
            },
        ),
    )

    assert response.status_code == 400
    assert "“Not asked yet” is for an interview still ahead." in html_lib.unescape(
        response.content.decode()
    )
    assert counts() == before


def test_the_form_says_what_each_phrase_is_taken_to_mean(owner_client):
    html = html_lib.unescape(owner_client.get(NEW).content.decode())

    assert "What did they say about timing?" in html
    assert 'Next week <span class="hint">(we count Monday to Friday of the week after)' in html
    assert 'In a few days <span class="hint">(we count 2 to 5 days after)' in html
    assert 'Not asked yet <span class="hint">(for an interview still ahead)' in html
    # The date inputs sit under their answers, all visible: one step, no script.
    assert html.index('value="date"') < html.index('name="interview-decision_by"')
    assert html.index('name="interview-decision_by"') < html.index('value="range"')
    assert html.index('value="range"') < html.index('name="interview-range_from"')
    assert html.index('name="interview-range_to"') < html.index('value="end_of_today"')
    assert "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("phrase", ["end_of_today", "two_to_three_weeks", "none"])
def test_a_later_round_records_the_words_too(owner_client, met_before, today, phrase):
    application, _dana, _lee = met_before
    url = reverse("interview_new", args=[application.pk])

    response = owner_client.post(
        url, later_round_data(today, **{"interview-timeline": phrase, "interview-decision_by": ""})
    )

    assert response.status_code == 302
    latest = application.interviews.order_by("-date", "-id").first()
    assert (latest.timing, latest.decision_from, latest.decision_by) == (
        phrase,
        *decision_dates(phrase, days(today, -1)),
    )


def test_a_later_round_refuses_not_asked_for_an_interview_already_held(
    owner_client, met_before, today
):
    application, _dana, _lee = met_before
    before = counts()

    response = owner_client.post(
        reverse("interview_new", args=[application.pk]),
        later_round_data(today, **{"interview-timeline": "not_asked", "interview-decision_by": ""}),
    )

    assert response.status_code == 400
    assert counts() == before
