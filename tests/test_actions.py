"""One-click actions on an application: thank-you sent, I checked in, they responded,
close, snooze, unsnooze, reopen, and the bulk form's CSRF. Each is a CSRF-protected POST
that redirects back with a message; the same action sent twice is recorded once.

Dates are relative to the owner's local today, with week-end moves off.
"""

import html as html_lib
import re

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import Application, FollowUp, Preferences
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    full_application,
)
from tests.helpers import days, messages_of, short

pytestmark = pytest.mark.django_db


def url(name, application):
    return reverse(name, args=[application.pk])


def detail_url(application):
    return url("application_detail", application)


@pytest.fixture
def due(owner, today):
    """Follow up now: they said they would decide 5 days ago, so it fell due 3 days ago."""
    application = ApplicationFactory(owner=owner, company="Acme", applied_on=days(today, -30))
    dana = ContactFactory(application=application, name="Dana Reyes")
    InterviewFactory(
        application=application, date=days(today, -10), decision_by=days(today, -5), contacts=[dana]
    )
    return application


@pytest.fixture
def waiting(owner, today):
    """Waiting: they said they would decide in 2 days, so follow up in 4."""
    application = ApplicationFactory(owner=owner, company="Bolt", applied_on=days(today, -20))
    InterviewFactory(application=application, date=days(today, -1), decision_by=days(today, 2))
    return application


# ----------------------------------------------------------------------------------------
# Thank-you sent


def test_a_thank_you_to_a_person_is_recorded_and_said(due, owner_client, today):
    dana = due.contacts.get()

    response = owner_client.post(
        url("thank_you", due), {"date": today.isoformat(), "contact": dana.pk}
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(due)
    assert messages_of(response) == ["Thank-you to Dana Reyes at Acme recorded."]
    assert list(due.follow_ups.values_list("kind", "date", "contact", "channel")) == [
        ("thank_you", today, dana.pk, "email")
    ]


def test_a_thank_you_to_everyone_thanks_each_person_met_at_the_latest_interview(
    due, owner_client, today
):
    response = owner_client.post(url("thank_you", due), {"date": today.isoformat()})

    assert messages_of(response) == ["Thank-you note to Acme recorded."]
    assert list(due.follow_ups.values_list("kind", "contact__name")) == [
        ("thank_you", "Dana Reyes")
    ]


def test_a_thank_you_to_everyone_names_nobody_where_nobody_was_recorded(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, applied_on=days(today, -9))
    InterviewFactory(application=application, date=days(today, -2))

    response = owner_client.post(url("thank_you", application), {"date": today.isoformat()})

    assert messages_of(response) == [f"Thank-you note to {application.company} recorded."]
    assert list(application.follow_ups.values_list("kind", "contact")) == [("thank_you", None)]


def test_a_thank_you_to_someone_from_another_application_is_refused(
    owner, due, owner_client, today
):
    elsewhere = ContactFactory(application=ApplicationFactory(owner=owner))

    response = owner_client.post(
        url("thank_you", due), {"date": today.isoformat(), "contact": elsewhere.pk}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice. That choice is not one of the available choices." in html
    assert FollowUp.objects.count() == 0


def test_a_thank_you_dated_in_the_future_is_explained_next_to_what_was_entered(
    due, owner_client, today
):
    dana = due.contacts.get()
    tomorrow = days(today, 1).isoformat()

    response = owner_client.post(url("thank_you", due), {"date": tomorrow, "contact": dana.pk})

    assert response.status_code == 400
    assert messages_of(response) == []  # no banner: the error stands by the field
    html = response.content.decode()
    form = re.search(r'<form method="post" action="[^"]*/thank-you/".*?</form>', html, re.S)
    assert form is not None
    field = re.search(r'<div class="field has-error">.*?</div>', form.group(), re.S).group()
    assert f'value="{tomorrow}"' in field
    assert "That date is in the future; record it once it has happened." in field
    assert f'<option value="{dana.pk}" selected>Dana Reyes' in form.group()  # not Everyone
    assert FollowUp.objects.count() == 0


# ----------------------------------------------------------------------------------------
# I checked in


def test_the_check_in_page_asks_for_the_date_and_how(due, owner_client, today):
    response = owner_client.get(url("check_in", due))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Check-in with Acme" in html
    assert f'name="date" value="{today.isoformat()}"' in html
    assert 'name="channel"' in html


def test_a_check_in_when_it_is_due_is_recorded(due, owner_client, today):
    response = owner_client.post(
        url("check_in", due), {"date": today.isoformat(), "channel": "phone"}
    )

    assert response["Location"] == detail_url(due)
    assert messages_of(response) == ["Check-in with Acme recorded. Now give them time to answer."]
    assert list(due.follow_ups.values_list("kind", "date", "channel")) == [
        ("check_in", today, "phone")
    ]


def test_an_early_check_in_warns_with_the_reason_and_saves_nothing(waiting, owner_client, today):
    response = owner_client.post(
        url("check_in", waiting),
        {"date": today.isoformat(), "channel": "email", "note": "Quick ping"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "This is early" in html
    assert (
        f"They said they would decide by {short(days(today, 2), today)}; "
        f"follow up from {short(days(today, 4), today)}."
    ) in html
    assert "Save anyway" in html
    # The confirmation carries what was typed, and says it is confirmed.
    assert 'name="confirm_early" value="True"' in html
    assert f'name="date" value="{today.isoformat()}"' in html
    assert "Quick ping</textarea>" in html
    assert FollowUp.objects.count() == 0


def test_an_early_check_in_is_saved_once_confirmed(waiting, owner_client, today):
    response = owner_client.post(
        url("check_in", waiting),
        {"date": today.isoformat(), "channel": "email", "note": "", "confirm_early": "True"},
    )

    assert response["Location"] == detail_url(waiting)
    assert messages_of(response) == ["Check-in with Bolt recorded. Now give them time to answer."]
    assert list(waiting.follow_ups.values_list("kind", "date")) == [("check_in", today)]
    # The timeline marks it early.
    assert 'badge-early">early</span>' in owner_client.get(detail_url(waiting)).content.decode()


def test_a_check_in_dated_back_to_when_it_was_early_warns_with_that_days_dates(
    due, owner_client, today
):
    day = days(today, -5)  # they said they would decide that day: follow up 2 days later

    response = owner_client.post(
        url("check_in", due), {"date": day.isoformat(), "channel": "email"}
    )

    html = response.content.decode()
    assert "This is early" in html
    assert (
        f"They said they would decide by {short(day, day)}; "
        f"follow up from {short(days(today, -3), day)}."
    ) in html
    assert FollowUp.objects.count() == 0


def test_the_early_warning_keeps_where_to_go_back_to(waiting, owner_client, today):
    data = {"date": today.isoformat(), "channel": "email", "next": reverse("dashboard")}

    warning = owner_client.post(url("check_in", waiting), data).content.decode()
    confirmed = owner_client.post(url("check_in", waiting), {**data, "confirm_early": "True"})

    assert f'name="next" value="{reverse("dashboard")}"' in warning
    assert confirmed["Location"] == reverse("dashboard")


def test_the_early_warning_escapes_the_next_it_carries(waiting, owner_client, today):
    html = owner_client.post(
        url("check_in", waiting),
        {"date": today.isoformat(), "channel": "email", "next": '/"><script>alert(1)</script>'},
    ).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert 'name="next" value="/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_a_snooze_does_not_make_a_due_check_in_early(due, owner_client, today):
    due.snoozed_until = days(today, 3)
    due.save()

    response = owner_client.post(
        url("check_in", due), {"date": today.isoformat(), "channel": "email"}
    )

    assert response.status_code == 302
    assert due.follow_ups.filter(kind="check_in").count() == 1


@pytest.mark.parametrize(
    "date, message",
    [
        ("+1", "That date is in the future; record it once it has happened."),
        ("", "This field is required."),
        ("2026-02-30", "Enter a valid date."),
    ],
)
def test_a_check_in_with_an_unusable_date_is_explained_next_to_what_was_entered(
    due, owner_client, today, date, message
):
    posted = days(today, 1).isoformat() if date == "+1" else date

    response = owner_client.post(url("check_in", due), {"date": posted, "channel": "phone"})

    assert response.status_code == 400
    assert messages_of(response) == []  # no banner: the error stands by the field
    html = response.content.decode()
    field = re.search(r'<div class="field has-error">.*?</div>', html, re.S).group()
    assert f'value="{posted}"' in field
    assert message in field
    assert '<option value="phone" selected>' in html  # what was chosen is kept
    assert FollowUp.objects.count() == 0


# ----------------------------------------------------------------------------------------
# They responded


def respond(client, application, today, **fields):
    return client.post(
        url("response", application),
        {
            "date": today.isoformat(),
            "channel": "email",
            "outcome": "",
            "new_decision_by": "",
            "note": "",
            **fields,
        },
    )


def test_the_response_page_asks_what_they_said(due, owner_client):
    html = owner_client.get(url("response", due)).content.decode()

    assert "Acme responded" in html
    for name in ("date", "outcome", "new_decision_by", "channel", "note"):
        assert f'name="{name}"' in html


def test_a_response_with_a_new_date_is_recorded_and_moves_the_follow_up(due, owner_client, today):
    response = respond(owner_client, due, today, new_decision_by=days(today, 5).isoformat())

    assert response["Location"] == detail_url(due)
    assert messages_of(response) == ["Response from Acme recorded."]
    assert list(due.follow_ups.values_list("kind", "date", "new_decision_by", "outcome")) == [
        ("response", today, days(today, 5), "")
    ]
    html = owner_client.get(detail_url(due)).content.decode()
    assert '<span class="badge badge-waiting">Waiting</span>' in html
    assert f"follow up from {short(days(today, 7), today)}" in html


@pytest.mark.parametrize("outcome, label", [("offer", "Offer"), ("rejected", "Rejected")])
def test_a_response_with_an_offer_or_a_rejection_closes_it(
    due, owner_client, today, outcome, label
):
    respond(owner_client, due, today, outcome=outcome)

    html = owner_client.get(detail_url(due)).content.decode()
    assert f'<span class="badge badge-{outcome}">{label}</span>' in html
    assert "Closed by their response" in html
    dashboard = owner_client.get(reverse("dashboard")).content.decode()
    assert "1 closed application" in dashboard
    assert f'value="{due.pk}" form="bulk"' not in dashboard


def test_a_response_moving_to_the_next_round_keeps_it_open(due, owner_client, today):
    respond(owner_client, due, today, outcome="next_round")

    html = owner_client.get(detail_url(due)).content.decode()
    assert '<span class="badge badge-waiting">Waiting</span>' in html
    assert "moved you to the next round" in html


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"date": "+1"}, "That date is in the future; record it once it has happened."),
        ({"new_decision_by": "-1"}, "The new date can&#x27;t be before their response"),
        ({"outcome": "withdrawn"}, "Select a valid choice."),
    ],
    ids=["future-date", "new-date-before-response", "unknown-outcome"],
)
def test_an_impossible_response_is_explained_and_not_saved(
    due, owner_client, today, fields, message
):
    posted = {
        key: days(today, int(value)).isoformat() if value in ("+1", "-1") else value
        for key, value in fields.items()
    }

    response = respond(owner_client, due, today, **posted)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert FollowUp.objects.count() == 0


RESPONSE_KINDS = ["", "next_round", "offer_coming", "offer", "rejected", "courtesy"]


def test_the_response_page_offers_each_kind_of_answer_in_their_words(due, owner_client):
    html = html_lib.unescape(owner_client.get(url("response", due)).content.decode())

    assert "<legend>What did they say?</legend>" in html
    assert re.findall(r'type="radio" name="outcome" value="(\w*)"', html) == RESPONSE_KINDS
    for words in (
        "An update (maybe with a new date)",
        "Next round",
        "An offer is on its way",
        "An offer",
        "A rejection",
        "Just a courtesy reply (no news)",
    ):
        assert f">{words}</label>" in html
    assert "With an offer on its way: when the written offer should arrive." in html


def test_the_application_page_asks_the_same_in_one_step(due, owner_client):
    page = owner_client.get(detail_url(due)).content.decode()
    start = page.index(f'action="{url("response", due)}"')
    html = page[start : page.index("</form>", start)]

    assert re.findall(r'type="radio" name="outcome" value="(\w*)"', html) == RESPONSE_KINDS
    assert 'id="response_new_decision_by"' in html


@pytest.mark.parametrize("outcome", RESPONSE_KINDS)
def test_each_kind_of_response_is_recorded_in_one_step(due, owner_client, today, outcome):
    response = respond(owner_client, due, today, outcome=outcome)

    assert response.status_code == 302
    assert messages_of(response) == ["Response from Acme recorded."]
    assert list(due.follow_ups.values_list("kind", "date", "new_decision_by", "outcome")) == [
        ("response", today, None, outcome)
    ]


@pytest.mark.parametrize("outcome", ["", "offer_coming"])
def test_an_update_or_an_offer_on_its_way_may_bring_a_date(due, owner_client, today, outcome):
    respond(owner_client, due, today, outcome=outcome, new_decision_by=days(today, 6).isoformat())

    assert list(due.follow_ups.values_list("new_decision_by", "outcome")) == [
        (days(today, 6), outcome)
    ]


def test_a_courtesy_reply_with_a_date_is_explained_and_not_saved(due, owner_client, today):
    response = respond(
        owner_client, due, today, outcome="courtesy", new_decision_by=days(today, 6).isoformat()
    )

    assert response.status_code == 400
    assert "A courtesy reply brings no news." in html_lib.unescape(response.content.decode())
    assert FollowUp.objects.count() == 0


# ----------------------------------------------------------------------------------------
# The same action twice


@pytest.mark.parametrize(
    "action, fields, recorded",
    [
        ("thank_you", {"contact": "dana"}, "Thank-you to Dana Reyes at Acme recorded."),
        (
            "check_in",
            {"channel": "email"},
            "Check-in with Acme recorded. Now give them time to answer.",
        ),
        ("response", {"channel": "email", "outcome": "next_round"}, "Response from Acme recorded."),
    ],
)
def test_an_action_sent_twice_is_recorded_once(due, owner_client, today, action, fields, recorded):
    data = {"date": today.isoformat(), **fields}
    if data.get("contact") == "dana":
        data["contact"] = due.contacts.get().pk

    first = owner_client.post(url(action, due), data, follow=True)  # the page shows its message
    second = owner_client.post(url(action, due), data)

    assert due.follow_ups.count() == 1
    assert recorded in first.content.decode()
    assert messages_of(second) == ["That was already recorded."]
    assert second["Location"] == detail_url(due)


def test_a_confirmed_check_in_sent_twice_is_recorded_once(due, owner_client, today):
    data = {"date": today.isoformat(), "channel": "email", "confirm_early": "True"}

    owner_client.post(url("check_in", due), data, follow=True)
    second = owner_client.post(url("check_in", due), data)

    assert due.follow_ups.count() == 1
    assert messages_of(second) == ["That was already recorded."]


# ----------------------------------------------------------------------------------------
# Close, snooze, reopen


def test_closing_records_the_outcome_and_says_where_it_went(due, owner_client, today):
    due.snoozed_until = days(today, 3)
    due.save()

    response = owner_client.post(url("close", due), {"outcome": "rejected"})

    assert response["Location"] == detail_url(due)
    assert messages_of(response) == [
        f"Closed {due.company} as rejected. It's in your closed applications now."
    ]
    due.refresh_from_db()
    assert (due.outcome, due.snoozed_until) == ("rejected", None)


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Choose how it ended: offer, rejected or withdrawn."),
        ({"outcome": ""}, "Choose how it ended: offer, rejected or withdrawn."),
        (
            {"outcome": "ghosted"},
            "Select a valid choice. ghosted is not one of the available choices.",
        ),
    ],
)
def test_closing_without_a_valid_outcome_asks_again_and_changes_nothing(
    due, owner_client, data, message
):
    response = owner_client.post(url("close", due), {**data, "next": "/"})

    assert response.status_code == 400
    html = response.content.decode()
    assert html_lib.escape(message) in html
    assert '<input type="hidden" name="next" value="/">' in html
    assert re.findall(r'type="radio" name="outcome" value="(\w+)"[^>]*>', html)
    assert "checked" not in html
    assert Application.objects.get(pk=due.pk).outcome == ""


def test_the_close_page_asks_how_it_ended_with_nothing_chosen(due, owner_client):
    response = owner_client.get(url("close", due) + "?next=/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Close {due.company}" in html
    assert re.findall(r'type="radio" name="outcome" value="(\w+)"', html) == [
        "offer",
        "rejected",
        "withdrawn",
    ]
    assert "checked" not in html
    assert '<input type="hidden" name="next" value="/">' in html
    assert Application.objects.get(pk=due.pk).outcome == ""


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_the_close_page_keeps_no_external_next(due, owner_client, next_url):
    html = owner_client.get(url("close", due), {"next": next_url}).content.decode()

    assert "evil.example" not in html


def test_reopening_brings_it_back_to_the_dashboard(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, applied_on=today, outcome="withdrawn")

    response = owner_client.post(url("reopen", application))

    assert messages_of(response) == [
        f"Reopened {application.company}: it's back on your dashboard."
    ]
    assert Application.objects.get(pk=application.pk).outcome == ""
    assert (
        f'value="{application.pk}" form="bulk"'
        in owner_client.get(reverse("dashboard")).content.decode()
    )


def test_snoozing_until_a_date_holds_the_reminder(due, owner_client, today):
    until = days(today, 3)

    response = owner_client.post(url("snooze", due), {"until": until.isoformat()})

    assert messages_of(response) == [
        f"Snoozed {due.company} until {until:%a}, {until:%b} {until.day}."
    ]
    assert Application.objects.get(pk=due.pk).snoozed_until == until
    html = owner_client.get(detail_url(due)).content.decode()
    assert '<span class="badge badge-waiting">Waiting</span>' in html


def test_snoozing_for_a_week_needs_no_date(due, owner_client, today):
    owner_client.post(url("snooze", due), {"week": "1"})

    assert Application.objects.get(pk=due.pk).snoozed_until == days(today, 7)


@pytest.mark.parametrize(
    "offset, message",
    [
        (0, "Pick a day after today."),
        (-1, "Pick a day after today."),
        (400, "Pick a day within a year."),
    ],
)
def test_a_snooze_must_end_after_today_and_within_a_year(due, owner_client, today, offset, message):
    response = owner_client.post(url("snooze", due), {"until": days(today, offset).isoformat()})

    assert messages_of(response) == [message]
    assert Application.objects.get(pk=due.pk).snoozed_until is None


def test_unsnoozing_brings_the_reminder_back(due, owner_client, today):
    due.snoozed_until = days(today, 3)
    due.save()

    response = owner_client.post(url("unsnooze", due))

    assert messages_of(response) == ["Removed the snooze from Acme."]
    assert Application.objects.get(pk=due.pk).snoozed_until is None
    html = owner_client.get(detail_url(due)).content.decode()
    assert '<span class="badge badge-follow_up_now">Follow up now</span>' in html


# ----------------------------------------------------------------------------------------
# Where an action goes back to


@pytest.mark.parametrize(
    "next_url, expected",
    [
        ("/", "/"),
        ("/closed/", "/closed/"),
        ("http://testserver/closed/", "http://testserver/closed/"),
        ("https://evil.example/", None),
        ("//evil.example/phish", None),
        ("javascript:alert(1)", None),
        ("https:///evil.example", None),
    ],
)
def test_next_is_honoured_only_for_this_sites_pages(due, owner_client, next_url, expected):
    response = owner_client.post(url("close", due), {"outcome": "withdrawn", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == (expected or detail_url(due))


@pytest.mark.parametrize(
    "action, data",
    [
        ("thank_you", {"date": "today"}),
        ("check_in", {"date": "today", "channel": "email"}),
        ("response", {"date": "today", "channel": "email"}),
        ("snooze", {"week": "1"}),
        ("unsnooze", {}),
        ("reopen", {}),
    ],
)
def test_every_action_ignores_an_external_next(due, owner_client, today, action, data):
    data = {key: today.isoformat() if value == "today" else value for key, value in data.items()}

    response = owner_client.post(url(action, due), {**data, "next": "https://evil.example/"})

    assert response.status_code == 302
    assert response["Location"] == detail_url(due)


@pytest.mark.parametrize("action", ["thank_you", "reopen", "snooze", "unsnooze"])
def test_a_post_only_action_answers_get_with_405(due, owner_client, action):
    response = owner_client.get(url(action, due))

    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_a_browser_opening_an_actions_address_gets_a_page_saying_what_it_is(due, owner_client):
    response = owner_client.get(url("thank_you", due), headers={"Accept": "text/html,*/*"})

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert "This address belongs to a button" in html
    assert f'href="{reverse("dashboard")}"' in html


# ----------------------------------------------------------------------------------------
# CSRF


def _state(owner):
    applications = Application.objects.filter(owner=owner)
    return (
        list(applications.values()),
        list(FollowUp.objects.filter(application__owner=owner).values()),
        list(Preferences.objects.filter(user=owner).values()),
    )


POSTS = [
    ("thank_you", {"date": "today"}),
    ("check_in", {"date": "today", "channel": "email", "confirm_early": "True"}),
    ("response", {"date": "today", "channel": "email", "outcome": "offer"}),
    ("close", {"outcome": "rejected"}),
    ("reopen", {}),
    ("snooze", {"week": "1"}),
    ("unsnooze", {}),
    ("application_delete", {}),
    ("application_edit", {"company": "Changed", "role": "Changed", "applied_on": "today"}),
    (
        "interview_new",
        {"interview-date": "today", "interview-format": "video", "interview-timeline": "none"},
    ),
    ("applications_bulk", {"action": "close_rejected", "selected": "pk"}),
    (
        "application_new",
        {
            "application-company": "New",
            "application-role": "New",
            "application-applied_on": "today",
        },
    ),
    (
        "preferences",
        {
            "time_zone": "Asia/Tokyo",
            "grace_days": "5",
            "no_date_wait_days": "7",
            "applied_wait_days": "14",
            "check_in_spacing_days": "7",
            "max_check_ins": "2",
        },
    ),
]


@pytest.fixture
def csrf_client(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    return client


@pytest.mark.parametrize("name, data", POSTS, ids=[name for name, _ in POSTS])
def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    owner, csrf_client, today, name, data
):
    application = full_application(owner, applied_on=days(today, -30))
    application.snoozed_until = days(today, 2)
    application.save()
    before = _state(owner)
    target = (
        reverse(name, args=[application.pk])
        if name not in ("applications_bulk", "application_new", "preferences")
        else reverse(name)
    )
    data = {
        key: today.isoformat()
        if value == "today"
        else str(application.pk)
        if value == "pk"
        else value
        for key, value in data.items()
    }

    response = csrf_client.post(target, data)

    assert response.status_code == 403
    assert _state(owner) == before


def test_the_same_post_with_the_pages_token_goes_through(owner, csrf_client, today):
    application = full_application(owner, applied_on=days(today, -30))
    csrf_client.get(detail_url(application))  # sets the CSRF cookie, as a browser would
    token = csrf_client.cookies["csrftoken"].value

    response = csrf_client.post(
        url("close", application), {"outcome": "rejected", "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302
    assert Application.objects.get(pk=application.pk).outcome == "rejected"
