"""Drafted notes: the words (pure, fixed dates), the mailto link, and the pages.

The page tests are relative to the owner's local today; dates in words are written here
with strftime, independently of the formatter the drafts use.
"""

import datetime
from dataclasses import replace
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.drafts import KINDS, DraftFacts, draft_compose, mailto_url
from applications.models import FollowUp, FollowUpKind
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    FollowUpFactory,
    InterviewFactory,
)
from tests.helpers import days, messages_of

AS_OF = datetime.date(2026, 11, 25)  # a Wednesday
FULL = DraftFacts(
    company="Acme",
    role="Backend Engineer",
    applied_on=datetime.date(2026, 11, 2),
    as_of=AS_OF,
    person="Dana Reyes",
    interview_on=datetime.date(2026, 11, 24),
    decision_by=datetime.date(2026, 11, 27),
)
BARE = DraftFacts(
    company="Acme", role="Backend Engineer", applied_on=datetime.date(2026, 11, 2), as_of=AS_OF
)


def words(day, as_of):
    text = f"{day:%A}, {day:%B} {day.day}"
    return text if day.year == as_of.year else f"{text}, {day.year}"


# ----------------------------------------------------------------------------------------
# The words


@pytest.mark.parametrize("kind", KINDS)
def test_every_draft_greets_by_first_name_and_names_role_company_interview_and_decision(kind):
    draft = draft_compose(kind=kind, facts=FULL)

    assert draft.kind == kind
    assert draft.body.startswith("Hello Dana,\n\n")
    assert "Backend Engineer" in draft.subject
    assert "the Backend Engineer role at Acme" in draft.body
    assert "Tuesday, November 24" in draft.body
    assert "by Friday, November 27" in draft.body
    assert "Monday, November 2" not in draft.body  # the interview, not the application


@pytest.mark.parametrize("kind", KINDS)
def test_without_an_interview_a_draft_is_about_the_application(kind):
    draft = draft_compose(kind=kind, facts=BARE)

    assert draft.body.startswith("Hello,\n\n")  # nobody to name: a neutral greeting
    assert "the Backend Engineer role at Acme" in draft.body
    assert "Monday, November 2" in draft.body
    assert "interview" not in draft.body.lower()
    assert "next steps:" not in draft.body
    assert "“" not in draft.body


@pytest.mark.parametrize("kind", KINDS)
def test_a_draft_leaves_out_what_was_not_recorded(kind):
    facts = replace(FULL, decision_by=None)

    body = draft_compose(kind=kind, facts=facts).body

    assert "Tuesday, November 24" in body
    assert "next steps" not in body
    assert "Friday" not in body
    assert " decision by" not in body


@pytest.mark.parametrize(
    "person, greeted",
    [
        ("Dana Reyes", "Hello Dana,"),
        ("  Dana   Maria Reyes ", "Hello Dana,"),
        ("Dr. Dana Reyes", "Hello Dr. Reyes,"),
        ("ms Lee Park", "Hello ms Park,"),
        ("Dana", "Hello Dana,"),
        ("Dr.", "Hello Dr.,"),
        ("   ", "Hello,"),
    ],
)
def test_the_greeting_takes_the_first_name_or_a_title_with_the_family_name(person, greeted):
    body = draft_compose(kind="thank_you", facts=replace(FULL, person=person)).body

    assert body.startswith(greeted + "\n\n")


def test_a_thank_you_days_after_the_interview_says_it_comes_late():
    on_time = draft_compose(
        kind="thank_you", facts=replace(FULL, as_of=datetime.date(2026, 11, 26))
    )
    late = draft_compose(kind="thank_you", facts=replace(FULL, as_of=datetime.date(2026, 11, 27)))

    assert "Thank you for talking with me on Tuesday, November 24" in on_time.body
    assert "if a little late" not in on_time.body
    assert (
        "I wanted to thank you, if a little late, for talking with me on Tuesday, November 24"
        in late.body
    )


def test_a_second_check_in_says_it_follows_an_earlier_one():
    first = draft_compose(kind="check_in", facts=FULL)
    second = draft_compose(
        kind="check_in",
        facts=replace(FULL, check_ins_before=1, last_check_in_on=datetime.date(2026, 11, 20)),
    )

    assert first.subject == "Checking in: Backend Engineer at Acme"
    assert "again" not in first.body
    assert second.subject == "Following up again: Backend Engineer at Acme"
    assert (
        "I wrote on Friday, November 20 about the Backend Engineer role at Acme, and I "
        "wanted to follow up once more."
    ) in second.body
    assert "You mentioned a decision by Friday, November 27." in second.body
    assert "a short note either way would help me plan" in second.body
    assert second.body != first.body


def test_a_decision_date_alone_is_mentioned_in_the_check_in():
    facts = FULL
    body = draft_compose(kind="check_in", facts=facts).body
    assert "You mentioned a decision by Friday, November 27." in body
    assert "I wanted to check in on where things stand." in body


def test_a_decision_range_is_written_between_its_two_dates():
    facts = replace(FULL, decision_from=datetime.date(2026, 11, 25))
    body = draft_compose(kind="thank_you", facts=facts).body
    assert "a decision between Wednesday, November 25 and Friday, November 27" in body


def test_the_timeline_question_asks_for_a_date_when_they_gave_none():
    facts = replace(FULL, decision_by=None)
    draft = draft_compose(kind="timeline", facts=facts)
    assert draft.subject == "Timeline for the Backend Engineer role at Acme"
    assert "Could you share the timeline you have in mind for a decision?" in draft.body


def test_the_timeline_question_checks_the_date_they_gave():
    body = draft_compose(kind="timeline", facts=FULL).body
    assert "Are you still expecting to decide by Friday, November 27?" in body
    assert "Could you share" not in body


# The QA case: met on Tue, Nov 24, they hoped to decide by Fri, Nov 27; today is Fri, Dec 4.
PASSED = replace(FULL, as_of=datetime.date(2026, 12, 4))


@pytest.mark.parametrize(
    "as_of, ahead",
    [
        (datetime.date(2026, 11, 26), True),  # the day before
        (datetime.date(2026, 11, 27), True),  # the day itself: still today
        (datetime.date(2026, 11, 28), False),  # the day after
    ],
)
def test_a_decision_date_is_written_as_ahead_until_it_has_passed(as_of, ahead):
    facts = replace(FULL, as_of=as_of)

    check_in = draft_compose(kind="check_in", facts=facts).body
    thank_you = draft_compose(kind="thank_you", facts=facts).body
    timeline = draft_compose(kind="timeline", facts=facts).body

    assert ("You mentioned a decision by Friday, November 27." in check_in) is ahead
    assert ("You mentioned a decision by Friday, November 27." in thank_you) is ahead
    assert ("Are you still expecting to decide by Friday, November 27?" in timeline) is ahead
    for body in (check_in, thank_you, timeline):
        assert ("you hoped to decide by Friday, November 27" in body) is not ahead


@pytest.mark.parametrize("kind", KINDS)
def test_a_passed_decision_date_asks_for_an_update_instead(kind):
    body = draft_compose(kind=kind, facts=PASSED).body

    assert (
        "You mentioned you hoped to decide by Friday, November 27; is there any update on "
        "the timeline?"
    ) in body
    assert "a decision by" not in body
    assert "still expecting" not in body


def test_a_passed_decision_date_reads_as_passed_in_each_note():
    thank_you = draft_compose(kind="thank_you", facts=PASSED).body
    check_in = draft_compose(kind="check_in", facts=PASSED).body
    timeline = draft_compose(kind="timeline", facts=PASSED).body
    again = draft_compose(
        kind="check_in",
        facts=replace(PASSED, check_ins_before=1, last_check_in_on=datetime.date(2026, 11, 30)),
    ).body

    assert "the timeline? I look forward to hearing from you." in thank_you
    # It asks once: no second "where things stand" after the question.
    assert "where things stand" not in check_in
    assert "the timeline? Knowing helps me plan the rest of my search." in timeline
    assert "You mentioned you hoped to decide by Friday, November 27.\n" in again
    assert "If a decision has been made, or the timing has changed" in again


def test_a_passed_phrase_is_quoted_as_passed_too():
    facts = replace(
        PASSED,
        timing="next_week",
        decision_from=datetime.date(2026, 11, 30),
        decision_by=datetime.date(2026, 12, 3),
    )

    body = draft_compose(kind="timeline", facts=facts).body

    assert (
        "You mentioned you hoped to decide “next week” (Monday, November 30 to Thursday, "
        "December 3); is there any update on the timeline?"
    ) in body


def test_the_timeline_question_before_any_interview_asks_about_next_steps():
    body = draft_compose(kind="timeline", facts=BARE).body
    assert "Could you share the timeline you have in mind for the next steps?" in body


def test_subjects_say_what_the_note_is():
    assert draft_compose(kind="thank_you", facts=FULL).subject == (
        "Thank you for the interview: Backend Engineer"
    )
    assert draft_compose(kind="thank_you", facts=BARE).subject == (
        "Thank you: Backend Engineer at Acme"
    )
    assert draft_compose(kind="check_in", facts=FULL).subject == (
        "Checking in: Backend Engineer at Acme"
    )


def test_a_date_in_another_year_carries_its_year():
    facts = replace(FULL, as_of=datetime.date(2027, 1, 4))
    body = draft_compose(kind="check_in", facts=facts).body
    assert "Tuesday, November 24, 2026" in body
    assert "Friday, November 27, 2026" in body


def test_the_note_is_signed_with_the_senders_name_when_known():
    signed = replace(FULL, sender="Sam Lee")
    assert draft_compose(kind="thank_you", facts=signed).body.endswith("Best regards,\nSam Lee\n")
    assert draft_compose(kind="thank_you", facts=FULL).body.endswith("Best regards,\n")
    assert draft_compose(kind="check_in", facts=FULL).body.endswith("Thank you for your time,\n")


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        draft_compose(kind="apology", facts=FULL)


# ----------------------------------------------------------------------------------------
# The mailto link


def test_mailto_encodes_address_subject_and_body():
    url = mailto_url(
        email="dana+jobs@example.com",
        subject="Thank you: R&D at Zürich AG?",
        body="Hello Dana,\n\nThanks = 100% #1\n",
    )

    assert url.startswith("mailto:dana%2Bjobs@example.com?subject=")
    assert "subject=Thank%20you%3A%20R%26D%20at%20Z%C3%BCrich%20AG%3F&body=" in url
    assert "Hello%20Dana%2C%0D%0A%0D%0AThanks%20%3D%20100%25%20%231%0D%0A" in url
    # Decoded, it is the draft again, with the line breaks as CRLF (RFC 6068).
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert unquote(parts.path) == "dana+jobs@example.com"
    assert query["subject"] == ["Thank you: R&D at Zürich AG?"]
    assert query["body"] == ["Hello Dana,\r\n\r\nThanks = 100% #1\r\n"]


def test_mailto_without_an_address_still_fills_subject_and_body():
    url = mailto_url(email="", subject="Checking in", body="Hello,")
    assert url == "mailto:?subject=Checking%20in&body=Hello%2C"


# ----------------------------------------------------------------------------------------
# The pages


@pytest.fixture
def interviewed(owner, today):
    """Two people met three days ago, who said they would decide two days from now."""
    application = ApplicationFactory(
        owner=owner, company="Acme", role="Backend Engineer", applied_on=days(today, -20)
    )
    dana = ContactFactory(application=application, name="Dana Reyes", email="dana@acme.test")
    lee = ContactFactory(application=application, name="Lee Park", email="lee@acme.test")
    InterviewFactory(
        application=application,
        date=days(today, -3),
        next_steps="A call with the CTO, then an offer",
        decision_by=days(today, 2),
        contacts=[dana, lee],
    )
    return application


def draft_url(application, kind, contact=None):
    url = reverse("draft", args=[application.pk, kind])
    return f"{url}?contact={contact.pk}" if contact else url


def sent_url(application, kind, contact=None):
    url = reverse("draft_sent", args=[application.pk, kind])
    return f"{url}?contact={contact.pk}" if contact else url


def body_of(response):
    return response.context["draft"].body


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_the_draft_page_fills_in_the_person_role_and_dates(owner_client, interviewed, today, kind):
    response = owner_client.get(draft_url(interviewed, kind))

    assert response.status_code == 200
    body = body_of(response)
    assert body.startswith("Hello Dana,")
    assert "the Backend Engineer role at Acme" in body
    assert words(days(today, -3), today) in body
    assert words(days(today, 2), today) in body
    page = response.content.decode()
    # Works without JavaScript: the text sits in a labelled, read-only text area.
    assert '<label for="draft-body">' in page
    assert '<textarea id="draft-body" rows="16" readonly>' in page
    # The copy button shows only once copy.js runs: no dead button without JavaScript.
    assert (
        '<span hidden><button type="button" class="secondary small" data-copy-target="draft-body"'
    ) in page
    assert "js/copy.js" in page
    assert 'href="mailto:dana@acme.test?subject=' in page
    dana = interviewed.contacts.get(name="Dana Reyes")
    assert f'action="{sent_url(interviewed, kind, dana)}"' in page
    assert "csrfmiddlewaretoken" in page


@pytest.mark.django_db
def test_the_draft_is_about_the_latest_interview_so_far_not_one_ahead(
    owner_client, interviewed, today
):
    InterviewFactory(application=interviewed, date=days(today, -10), next_steps="Older round")
    InterviewFactory(application=interviewed, date=days(today, 4), next_steps="Final round")

    body = body_of(owner_client.get(draft_url(interviewed, "check_in")))

    assert words(days(today, -3), today) in body
    assert "Older round" not in body
    assert "Final round" not in body


@pytest.mark.django_db
def test_a_new_date_from_a_later_response_replaces_the_interviews(owner_client, interviewed, today):
    FollowUpFactory(
        application=interviewed,
        date=days(today, -1),
        kind=FollowUpKind.RESPONSE,
        new_decision_by=days(today, 6),
    )

    body = body_of(owner_client.get(draft_url(interviewed, "check_in")))

    assert f"a decision by {words(days(today, 6), today)}" in body
    assert words(days(today, 2), today) not in body


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["thank_you", "check_in"])
def test_the_draft_page_writes_a_passed_decision_date_as_passed(
    owner_client, interviewed, today, kind
):
    interviewed.interviews.update(decision_by=days(today, -3))

    body = body_of(owner_client.get(draft_url(interviewed, kind)))

    assert (
        f"You mentioned you hoped to decide by {words(days(today, -3), today)}; is there any "
        "update on the timeline?"
    ) in body
    assert "a decision by" not in body


@pytest.mark.django_db
def test_contact_in_the_address_picks_the_person(owner_client, interviewed):
    lee = interviewed.contacts.get(name="Lee Park")

    response = owner_client.get(draft_url(interviewed, "thank_you", lee))

    assert body_of(response).startswith("Hello Lee,")
    assert 'href="mailto:lee@acme.test?subject=' in response.content.decode()


@pytest.mark.django_db
def test_the_thank_you_goes_to_the_first_person_still_owed_one(owner_client, interviewed, today):
    dana = interviewed.contacts.get(name="Dana Reyes")
    FollowUpFactory(
        application=interviewed, date=days(today, -2), kind=FollowUpKind.THANK_YOU, contact=dana
    )

    assert body_of(owner_client.get(draft_url(interviewed, "thank_you"))).startswith("Hello Lee,")


@pytest.mark.django_db
def test_without_people_or_an_interview_the_drafts_still_read_well(owner, owner_client, today):
    application = ApplicationFactory(
        owner=owner, company="Beta", role="Data Analyst", applied_on=days(today, -15)
    )

    response = owner_client.get(draft_url(application, "check_in"))

    body = body_of(response)
    assert body.startswith("Hello,\n")
    assert f"on {words(days(today, -15), today)}" in body
    assert 'href="mailto:?subject=Checking%20in%3A%20Data%20Analyst%20at%20Beta&amp;body=' in (
        response.content.decode()
    )
    assert "No interview recorded yet" in response.content.decode()


@pytest.mark.django_db
def test_the_note_is_signed_with_the_name_given_in_settings(owner, owner_client, interviewed):
    owner.first_name, owner.last_name = "Samuel", "Lee"
    owner.save()
    settings_page = owner_client.get(reverse("preferences")).content.decode()
    assert 'name="signature_name"' in settings_page

    # Without one, the account's name; with one, that.
    assert body_of(owner_client.get(draft_url(interviewed, "thank_you"))).endswith(
        "Best regards,\nSamuel Lee\n"
    )
    owner.preferences.signature_name = "Sam Lee"
    owner.preferences.save()
    response = owner_client.get(draft_url(interviewed, "thank_you"))
    assert body_of(response).endswith("Best regards,\nSam Lee\n")
    assert "The note ends without your name." not in response.content.decode()


@pytest.mark.django_db
def test_an_unsigned_note_asks_once_for_the_name_to_sign_with(owner_client, interviewed):
    response = owner_client.get(draft_url(interviewed, "thank_you"))

    assert body_of(response).endswith("Best regards,\n")
    page = response.content.decode()
    assert "The note ends without your name." in page
    assert f'href="{reverse("preferences")}#signature"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_no_draft_ever_quotes_what_the_user_wrote_for_themselves(
    owner_client, interviewed, today, kind
):
    interviewed.notes = "PRIVATE application note"
    interviewed.save()
    FollowUpFactory(
        application=interviewed,
        date=days(today, -1),
        kind=FollowUpKind.CHECK_IN,
        note="PRIVATE check-in note",
    )

    body = body_of(owner_client.get(draft_url(interviewed, kind)))

    # The interview's next steps were noted by the user ("A call with the CTO...").
    assert "PRIVATE" not in body and "CTO" not in body


@pytest.mark.django_db
def test_a_second_check_in_draft_names_the_first(owner_client, interviewed, today):
    FollowUpFactory(application=interviewed, date=days(today, -1), kind=FollowUpKind.CHECK_IN)

    response = owner_client.get(draft_url(interviewed, "check_in"))

    assert response.context["draft"].subject == "Following up again: Backend Engineer at Acme"
    assert f"I wrote on {words(days(today, -1), today)}" in body_of(response)


@pytest.mark.django_db
def test_an_early_check_in_draft_says_what_the_rules_advise(owner_client, interviewed):
    response = owner_client.get(draft_url(interviewed, "check_in"))
    # They decide in two days: the window opens after that, so it is early.
    assert "It may be early to write:" in response.content.decode()
    assert response.context["early_reason"]

    response = owner_client.get(draft_url(interviewed, "thank_you"))
    assert "It may be early" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("people", [1, 6])
def test_the_draft_page_takes_the_same_queries_however_many_people_and_rounds(
    owner, owner_client, today, people
):
    application = ApplicationFactory(owner=owner, applied_on=days(today, -30))
    contacts = ContactFactory.create_batch(people, application=application)
    for offset in range(people):
        InterviewFactory(application=application, date=days(today, -10 - offset), contacts=contacts)
    owner_client.get(draft_url(application, "thank_you"))

    with CaptureQueriesContext(connection) as queries:
        response = owner_client.get(draft_url(application, "thank_you"))

    assert response.status_code == 200
    # session, user, the application (owner-scoped), preferences; the four of
    # selectors.application_rows; the application's people; the latest interview and
    # the people met there.
    assert len(queries) == 11


@pytest.mark.django_db
def test_mark_as_sent_records_a_thank_you_to_that_person_once(owner_client, interviewed, today):
    lee = interviewed.contacts.get(name="Lee Park")

    first = owner_client.post(sent_url(interviewed, "thank_you", lee))
    second = owner_client.post(sent_url(interviewed, "thank_you", lee))  # a double click

    assert first.status_code == second.status_code == 302
    assert first["Location"] == reverse("application_detail", args=[interviewed.pk])
    assert list(FollowUp.objects.values_list("kind", "date", "contact_id", "channel")) == [
        (FollowUpKind.THANK_YOU, today, lee.pk, "email")
    ]
    assert messages_of(first) == ["Thank-you to Lee Park at Acme recorded."]
    assert messages_of(second)[-1] == "That was already recorded."


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["check_in", "timeline"])
def test_mark_as_sent_records_a_check_in_for_a_check_in_or_a_timeline_question(
    owner_client, interviewed, today, kind
):
    dana = interviewed.contacts.get(name="Dana Reyes")

    first = owner_client.post(sent_url(interviewed, kind, dana))
    owner_client.post(sent_url(interviewed, kind, dana))

    assert list(FollowUp.objects.values_list("kind", "date", "contact_id")) == [
        (FollowUpKind.CHECK_IN, today, dana.pk)
    ]
    assert messages_of(first) == [
        "Check-in with Acme recorded. Now give them time to answer."
        if kind == "check_in"
        else "Your question to Acme about their timeline is recorded as a check-in. Now give "
        "them time to answer."
    ]


@pytest.mark.django_db
def test_a_check_in_already_recorded_today_is_not_recorded_again(owner_client, interviewed, today):
    owner_client.post(
        reverse("check_in", args=[interviewed.pk]),
        {"date": today.isoformat(), "channel": "email", "confirm_early": "on"},
    )
    response = owner_client.post(sent_url(interviewed, "timeline"))

    assert FollowUp.objects.filter(kind=FollowUpKind.CHECK_IN).count() == 1
    assert messages_of(response)[-1] == "That was already recorded."


@pytest.mark.django_db
def test_mark_as_sent_without_a_person_records_a_thank_you_note(owner, owner_client, today):
    application = ApplicationFactory(owner=owner)
    InterviewFactory(application=application, date=days(today, -1))

    response = owner_client.post(sent_url(application, "thank_you"))

    assert list(FollowUp.objects.values_list("kind", "contact_id")) == [
        (FollowUpKind.THANK_YOU, None)
    ]
    assert messages_of(response) == [f"Thank-you note to {application.company} recorded."]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_kind_is_404(owner_client, interviewed, method):
    url = reverse("draft_sent" if method == "post" else "draft", args=[interviewed.pk, "apology"])
    assert getattr(owner_client, method)(url).status_code == 404
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name, method", [("draft", "get"), ("draft_sent", "post")])
def test_a_stranger_gets_404_and_changes_nothing(stranger_client, interviewed, name, method):
    for kind in KINDS:
        url = reverse(name, args=[interviewed.pk, kind])
        assert getattr(stranger_client, method)(url).status_code == 404
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name, method", [("draft", "get"), ("draft_sent", "post")])
def test_another_applications_person_is_404(owner, owner_client, interviewed, name, method):
    elsewhere = ContactFactory(application=ApplicationFactory(owner=owner), name="Kim")
    url = reverse(name, args=[interviewed.pk, "thank_you"])

    assert getattr(owner_client, method)(f"{url}?contact={elsewhere.pk}").status_code == 404
    assert getattr(owner_client, method)(f"{url}?contact=nobody").status_code == 404
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_mark_as_sent_is_a_post(owner_client, interviewed):
    assert owner_client.get(sent_url(interviewed, "check_in")).status_code == 405
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_mark_as_sent_needs_the_csrf_token(owner, interviewed):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(sent_url(interviewed, "check_in")).status_code == 403
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_drafts_need_a_login(client, interviewed):
    for url in (draft_url(interviewed, "thank_you"), sent_url(interviewed, "thank_you")):
        response = client.get(url) if "sent" not in url else client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not FollowUp.objects.exists()


# ----------------------------------------------------------------------------------------
# Rules v2: their words quoted, an offer on its way, and nothing of the user's own notes


def test_a_phrase_they_said_is_quoted_with_the_dates_it_meant():
    # Said on Tue, Nov 24: "by the end of this week" was Friday, Nov 27.
    facts = replace(FULL, timing="end_of_week")

    body = draft_compose(kind="check_in", facts=facts).body

    assert "a decision “by the end of this week” (Friday, November 27)." in body


def test_a_phrase_for_a_span_is_quoted_with_both_ends():
    facts = replace(
        FULL,
        timing="next_week",
        decision_from=datetime.date(2026, 11, 30),
        decision_by=datetime.date(2026, 12, 4),
    )

    body = draft_compose(kind="timeline", facts=facts).body

    assert (
        "Are you still expecting to decide “next week” (Monday, November 30 to Friday, December 4)?"
    ) in body


@pytest.mark.parametrize("timing", ["date", "range", ""])
def test_dates_given_as_dates_read_as_before(timing):
    body = draft_compose(kind="check_in", facts=replace(FULL, timing=timing)).body

    assert f"a decision by {words(datetime.date(2026, 11, 27), AS_OF)}." in body
    assert "“by" not in body


@pytest.mark.parametrize("offer_by", [None, datetime.date(2026, 12, 1)])
def test_a_check_in_after_they_said_an_offer_is_on_its_way_asks_about_it(offer_by):
    facts = replace(
        FULL,
        decision_by=None,
        offer_said_on=datetime.date(2026, 11, 25),
        offer_by=offer_by,
    )

    draft = draft_compose(kind="check_in", facts=facts)

    assert draft.subject == "Checking in: the offer for Backend Engineer at Acme"
    said = "On Wednesday, November 25 you let me know an offer is on its way"
    if offer_by is None:
        assert f"{said}. I wanted to check in" in draft.body
    else:
        assert f"{said}, in writing by Tuesday, December 1." in draft.body
    assert "a decision" not in draft.body


def test_the_timeline_question_after_an_offer_on_its_way_asks_when_it_comes():
    facts = replace(FULL, decision_by=None, offer_said_on=datetime.date(2026, 11, 25))

    body = draft_compose(kind="timeline", facts=facts).body

    assert "Could you share when I can expect the written offer?" in body


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_no_draft_quotes_the_users_own_notes(owner_client, interviewed, today, kind):
    interviewed.notes = "PRIVATE: salary too low, second choice"
    interviewed.save()
    FollowUpFactory(
        application=interviewed,
        date=days(today, -1),
        kind=FollowUpKind.RESPONSE,
        new_decision_by=days(today, 6),
        note="PRIVATE: the recruiter sounded unsure",
    )
    FollowUpFactory(application=interviewed, date=days(today, -1), note="PRIVATE: called twice")

    draft = owner_client.get(draft_url(interviewed, kind)).context["draft"]

    assert "PRIVATE" not in draft.subject + draft.body


@pytest.mark.django_db
def test_the_draft_page_quotes_the_words_said_at_the_interview(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, applied_on=days(today, -20))
    InterviewFactory(
        application=application,
        date=days(today, -3),
        timing="few_days",
        decision_from=days(today, -1),
        decision_by=days(today, 2),
    )

    body = body_of(owner_client.get(draft_url(application, "check_in")))

    assert (
        f"a decision “in a few days” ({words(days(today, -1), today)} to "
        f"{words(days(today, 2), today)})"
    ) in body


@pytest.mark.django_db
def test_the_draft_page_asks_about_an_offer_they_said_is_on_its_way(
    owner_client, interviewed, today
):
    FollowUpFactory(
        application=interviewed,
        date=days(today, -1),
        kind=FollowUpKind.RESPONSE,
        outcome="offer_coming",
        new_decision_by=days(today, 4),
    )
    # A courtesy reply since says nothing new: the offer is still what they said last.
    FollowUpFactory(
        application=interviewed, date=days(today, 0), kind=FollowUpKind.RESPONSE, outcome="courtesy"
    )

    body = body_of(owner_client.get(draft_url(interviewed, "check_in")))

    assert (
        f"On {words(days(today, -1), today)} you let me know an offer is on its way, in "
        f"writing by {words(days(today, 4), today)}."
    ) in body
