"""Correcting what was recorded, from the application's page: every interview, person
and follow-up can be edited and deleted (deleting asks first); the status and the
timeline follow at once; nobody reaches another user's."""

import re

import pytest
from django.urls import reverse

from applications.models import Contact, FollowUp, Interview
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FollowUpFactory,
    InterviewFactory,
    PreferencesFactory,
)
from tests.helpers import days, messages_of

pytestmark = pytest.mark.django_db


def url(name, application, item=None):
    return reverse(name, args=[application.pk] + ([item.pk] if item is not None else []))


def detail(client, application):
    response = client.get(reverse("application_detail", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode()


def status_badge(html):
    return re.search(r'<span class="badge badge-(\w+)">', html).group(1)


def next_date(html):
    """The date the status card says changes next."""
    line = re.search(r'<p class="status-line">.*?</p>', html).group(0)
    return re.search(r'<time datetime="([\d-]+)">', line).group(1)


@pytest.fixture
def recorded(owner, today):
    """An application with an interview (Dana there, a date given), a thank-you and a
    check-in, as the page lists them. Week-end moves off: the tests name exact dates."""
    PreferencesFactory(user=owner, weekdays_only=False)
    application = ApplicationFactory(owner=owner, company="Acme", applied_on=days(today, -20))
    dana = ContactFactory(application=application, name="Dana Reyes")
    interview = InterviewFactory(
        application=application,
        date=days(today, -10),
        decision_by=days(today, -6),
        next_steps="Panel next",
        contacts=[dana],
    )
    thank_you = FollowUpFactory(
        application=application, date=days(today, -9), kind="thank_you", contact=dana
    )
    check_in = FollowUpFactory(application=application, date=days(today, -3), kind="check_in")
    return application, dana, interview, thank_you, check_in


def test_the_page_offers_to_edit_and_delete_every_interview_person_and_follow_up(
    owner_client, recorded
):
    application, dana, interview, thank_you, check_in = recorded

    html = detail(owner_client, application)

    for name, item in (
        ("interview_edit", interview),
        ("interview_delete", interview),
        ("follow_up_edit", thank_you),
        ("follow_up_delete", thank_you),
        ("follow_up_edit", check_in),
        ("follow_up_delete", check_in),
        ("person_edit", dana),
        ("person_delete", dana),
    ):
        assert f'href="{url(name, application, item)}"' in html, name
    assert f'href="{url("person_new", application)}"' in html
    assert f'href="{url("application_edit", application)}"' in html


# ----------------------------------------------------------------------------------------
# Interviews


def test_an_interviews_form_comes_filled_in_with_what_was_recorded(owner_client, recorded, today):
    application, dana, interview, _thank_you, _check_in = recorded

    html = owner_client.get(url("interview_edit", application, interview)).content.decode()

    assert f'name="interview-date" value="{days(today, -10).isoformat()}"' in html
    assert f'name="interview-decision_by" value="{days(today, -6).isoformat()}"' in html
    assert re.search(r'value="date"[^>]*checked', html)
    assert re.search(rf'name="interview-existing_people" value="{dana.pk}"[^>]*checked', html)
    assert "Panel next" in html


def test_correcting_an_interview_moves_the_status_at_once(owner_client, recorded, today):
    application, dana, interview, _thank_you, _check_in = recorded
    lee = ContactFactory(application=application, name="Lee Park")
    html = detail(owner_client, application)
    # Checked in 3 days ago: wait the week between check-ins.
    assert (status_badge(html), next_date(html)) == ("waiting", days(today, 4).isoformat())

    response = owner_client.post(
        url("interview_edit", application, interview),
        {
            "interview-date": days(today, -4).isoformat(),
            "interview-format": "onsite",
            "interview-next_steps": "",
            "interview-timeline": "range",
            "interview-range_from": days(today, 5).isoformat(),
            "interview-range_to": days(today, 9).isoformat(),
            "interview-existing_people": [str(lee.pk)],
            "people-TOTAL_FORMS": "1",
            "people-INITIAL_FORMS": "0",
            "people-0-name": "Sam Ortiz",
            "people-0-title": "CTO",
            "people-0-email": "",
        },
    )

    assert response["Location"] == reverse("application_detail", args=[application.pk])
    assert messages_of(response) == ["Interview corrected."]
    interview.refresh_from_db()
    assert (interview.date, interview.format, interview.timing) == (
        days(today, -4),
        "onsite",
        "range",
    )
    assert (interview.decision_from, interview.decision_by) == (days(today, 5), days(today, 9))
    assert sorted(interview.contacts.values_list("name", flat=True)) == ["Lee Park", "Sam Ortiz"]
    assert Contact.objects.filter(application=application, name="Dana Reyes").exists()
    html = detail(owner_client, application)
    # They now decide between days 5 and 9: follow up two days after the range ends.
    assert (status_badge(html), next_date(html)) == ("waiting", days(today, 11).isoformat())
    assert "Sam Ortiz" in html


def test_a_wrong_interview_correction_says_why_and_changes_nothing(owner_client, recorded, today):
    application, _dana, interview, _thank_you, _check_in = recorded

    response = owner_client.post(
        url("interview_edit", application, interview),
        {
            "interview-date": days(today, -4).isoformat(),
            "interview-format": "video",
            "interview-timeline": "date",
            "interview-decision_by": days(today, -8).isoformat(),
            "people-TOTAL_FORMS": "0",
            "people-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 400
    assert "can&#x27;t decide before the interview" in response.content.decode()
    interview.refresh_from_db()
    assert interview.date == days(today, -10)


def test_deleting_an_interview_asks_first_then_the_status_follows(owner_client, recorded, today):
    application, dana, interview, _thank_you, _check_in = recorded

    asked = owner_client.get(url("interview_delete", application, interview)).content.decode()
    assert "Delete the interview of" in asked
    assert Interview.objects.filter(pk=interview.pk).exists()

    response = owner_client.post(url("interview_delete", application, interview))

    assert messages_of(response)[0].startswith("Deleted the interview of")
    assert not Interview.objects.filter(pk=interview.pk).exists()
    assert Contact.objects.filter(pk=dana.pk).exists()
    assert "Interview (" not in detail(owner_client, application)


# ----------------------------------------------------------------------------------------
# People


def test_adding_a_recruiter_who_was_at_no_interview(owner_client, recorded):
    application = recorded[0]

    response = owner_client.post(
        url("person_new", application),
        {"name": "Rita Moreno", "title": "Recruiter", "email": "rita@acme.test", "phone": ""},
    )

    assert messages_of(response) == ["Added Rita Moreno."]
    assert Contact.objects.filter(application=application, name="Rita Moreno").exists()
    assert "Rita Moreno</strong>, Recruiter" in detail(owner_client, application)


def test_a_person_needs_a_name_and_a_valid_email(owner_client, recorded):
    application = recorded[0]

    response = owner_client.post(
        url("person_new", application), {"name": "", "title": "", "email": "nope", "phone": ""}
    )

    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"name", "email"}
    assert application.contacts.count() == 1


def test_editing_a_person_and_removing_one_keeps_the_notes_sent_to_them(owner_client, recorded):
    application, dana, _interview, thank_you, _check_in = recorded

    owner_client.post(
        url("person_edit", application, dana),
        {"name": "Dana Reyes-Ortiz", "title": "Hiring manager", "email": "", "phone": ""},
    )
    dana.refresh_from_db()
    assert (dana.name, dana.title) == ("Dana Reyes-Ortiz", "Hiring manager")

    asked = owner_client.get(url("person_delete", application, dana)).content.decode()
    assert "Remove Dana Reyes-Ortiz?" in asked
    owner_client.post(url("person_delete", application, dana))

    assert not Contact.objects.filter(pk=dana.pk).exists()
    thank_you.refresh_from_db()
    assert thank_you.contact is None


# ----------------------------------------------------------------------------------------
# Follow-ups


def test_a_thank_you_can_be_dated_the_day_it_was_really_sent(owner_client, recorded, today):
    application, dana, _interview, thank_you, _check_in = recorded
    html = owner_client.get(url("follow_up_edit", application, thank_you)).content.decode()
    assert f'value="{days(today, -9).isoformat()}"' in html

    response = owner_client.post(
        url("follow_up_edit", application, thank_you),
        {
            "kind": "thank_you",
            "date": days(today, -10).isoformat(),
            "contact": str(dana.pk),
            "channel": "email",
            "outcome": "",
            "new_decision_by": "",
            "note": "Sent from my phone",
        },
    )

    assert messages_of(response) == ["Corrected."]
    thank_you.refresh_from_db()
    assert (thank_you.date, thank_you.note) == (days(today, -10), "Sent from my phone")


def response_section(html):
    """The folded section of a response's own fields: its opening tag and its fields."""
    return re.search(r"<details[^>]*data-open-for=\"response\"[^>]*>.*?</details>", html, re.S)


def test_a_thank_you_shows_what_a_response_says_only_folded_under_its_name(owner_client, recorded):
    application, _dana, _interview, thank_you, _check_in = recorded

    html = owner_client.get(url("follow_up_edit", application, thank_you)).content.decode()

    section = response_section(html).group()
    assert " open" not in section[: section.index(">")]
    assert "<summary>If it was a response: what they said, and any date they gave</summary>" in (
        section
    )
    # What they said and their date are in it, and nowhere else on the page.
    assert 'name="outcome"' in section and 'name="new_decision_by"' in section
    outside = html.replace(section, "")
    assert 'name="outcome"' not in outside and 'name="new_decision_by"' not in outside
    assert "(a response)" not in html
    assert "js/response_fields.js" in html


def test_a_response_shows_what_it_said_open(owner_client, recorded, today):
    application = recorded[0]
    response = FollowUpFactory(
        application=application, date=days(today, -1), kind="response", outcome="next_round"
    )

    html = owner_client.get(url("follow_up_edit", application, response)).content.decode()

    section = response_section(html).group()
    assert section.startswith("<details") and " open>" in section[: section.index(">") + 1]
    chosen = r'<input type="radio" name="outcome" value="next_round"[^>]* checked>'
    assert re.search(chosen, section)


def test_a_refused_correction_opens_what_a_response_says_to_fix_it(owner_client, recorded, today):
    application, _dana, _interview, _thank_you, check_in = recorded

    response = owner_client.post(
        url("follow_up_edit", application, check_in),
        {
            "kind": "check_in",
            "date": days(today, -3).isoformat(),
            "contact": "",
            "channel": "email",
            "outcome": "rejected",
            "new_decision_by": "",
            "note": "",
        },
    )

    assert response.status_code == 400
    section = response_section(response.content.decode()).group()
    assert " open>" in section[: section.index(">") + 1]


def test_a_check_in_that_was_really_their_answer_becomes_a_response(owner_client, recorded, today):
    application, _dana, _interview, _thank_you, check_in = recorded

    owner_client.post(
        url("follow_up_edit", application, check_in),
        {
            "kind": "response",
            "date": days(today, -3).isoformat(),
            "contact": "",
            "channel": "email",
            "outcome": "rejected",
            "new_decision_by": "",
            "note": "",
        },
    )

    check_in.refresh_from_db()
    assert (check_in.kind, check_in.outcome) == ("response", "rejected")
    assert status_badge(detail(owner_client, application)) == "rejected"


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"date": "tomorrow"}, "date", "That date is in the future"),
        ({"outcome": "rejected"}, "kind", "Only a response says what they said"),
        ({"kind": "response", "outcome": "courtesy", "new_decision_by": "later"}, None, None),
    ],
)
def test_a_wrong_follow_up_correction_says_why_and_changes_nothing(
    owner_client, recorded, today, change, field, message
):
    application, _dana, _interview, _thank_you, check_in = recorded
    data = {
        "kind": "check_in",
        "date": days(today, -3).isoformat(),
        "contact": "",
        "channel": "email",
        "outcome": "",
        "new_decision_by": "",
        "note": "",
        **change,
    }
    for name, value in data.items():
        if value == "tomorrow":
            data[name] = days(today, 1).isoformat()
        elif value == "later":
            data[name] = days(today, 5).isoformat()

    response = owner_client.post(url("follow_up_edit", application, check_in), data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    if field is None:
        assert "courtesy reply brings no news" in str(errors["new_decision_by"])
    else:
        assert message in str(errors[field])
    check_in.refresh_from_db()
    assert (check_in.kind, check_in.date, check_in.outcome) == ("check_in", days(today, -3), "")


def test_deleting_a_check_in_asks_first_then_the_follow_up_is_due_again(
    owner_client, recorded, today
):
    application, _dana, _interview, _thank_you, check_in = recorded
    assert status_badge(detail(owner_client, application)) == "waiting"

    asked = owner_client.get(url("follow_up_delete", application, check_in)).content.decode()
    assert "Delete the check-in of" in asked

    owner_client.post(url("follow_up_delete", application, check_in))

    assert not FollowUp.objects.filter(pk=check_in.pk).exists()
    assert status_badge(detail(owner_client, application)) == "follow_up_now"


# ----------------------------------------------------------------------------------------
# Only the owner, only their application's parts


@pytest.mark.parametrize(
    "name, part",
    [
        ("interview_edit", 2),
        ("interview_delete", 2),
        ("person_edit", 1),
        ("person_delete", 1),
        ("follow_up_edit", 4),
        ("follow_up_delete", 4),
    ],
)
def test_nobody_reaches_another_users_parts_nor_another_applications(
    client, owner_client, stranger, recorded, name, part
):
    application, *parts = recorded
    item = parts[part - 1]
    other = ApplicationFactory(owner=application.owner, company="Other")
    before = (Interview.objects.count(), Contact.objects.count(), FollowUp.objects.count())

    client.force_login(stranger)
    for method in ("get", "post"):
        assert getattr(client, method)(url(name, application, item)).status_code == 404
        # The owner, through another of their applications: still not found.
        assert getattr(owner_client, method)(url(name, other, item)).status_code == 404

    assert (Interview.objects.count(), Contact.objects.count(), FollowUp.objects.count()) == before
