"""Undo: every one-click action says what it did, with an Undo button that puts back
exactly what was there before, and nothing else."""

import re
import time

import pytest
from django.urls import reverse

from applications import services
from applications.models import Application, FollowUp
from applications.views.actions import UNDO_SESSION_KEY, UNDO_WITHIN_SECONDS
from tests.factories import ApplicationFactory, ContactFactory, FollowUpFactory, InterviewFactory
from tests.helpers import days, messages_of

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("dashboard")
UNDO = reverse("undo")


def url(name, application):
    return reverse(name, args=[application.pk])


UNDO_KEY = re.compile(r'<input type="hidden" name="action" value="([^"]*)">')


def undo_key(html):
    """The key of the action the page's Undo button takes back ("" without one)."""
    button = UNDO_KEY.search(html)
    return button.group(1) if button else ""


def undo(client, next_url=DASHBOARD, page=None):
    """Undo, as from the page after the action (`page`, a response already shown, or
    the dashboard), whose button names the action."""
    html = (page or client.get(DASHBOARD)).content.decode()
    return client.post(UNDO, {"next": next_url, "action": undo_key(html)})


@pytest.fixture
def due(owner, today):
    """An application whose follow-up fell due three days ago."""
    application = ApplicationFactory(owner=owner, company="Acme", applied_on=days(today, -30))
    InterviewFactory(application=application, date=days(today, -10), decision_by=days(today, -5))
    return application


def state(application):
    application.refresh_from_db()
    return application.outcome, application.snoozed_until


def test_the_message_after_an_action_carries_an_undo_button(due, owner_client, today):
    response = owner_client.post(
        url("check_in", due),
        {"date": today.isoformat(), "channel": "email", "next": DASHBOARD},
        follow=True,
    )

    html = response.content.decode()
    message = html[
        html.index('<ul class="messages">') : html.index("</ul>", html.index("messages"))
    ]
    assert f"Check-in with {due.company} recorded." in message
    assert re.search(
        rf'<form method="post" action="{UNDO}" class="inline undo">'
        r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">'
        rf'<input type="hidden" name="next" value="{DASHBOARD}">'
        r'<input type="hidden" name="action" value="[\w-]{16}">'
        r'<button type="submit" class="small secondary">Undo</button></form>',
        message,
    )


def test_undoing_a_check_in_removes_it_and_the_follow_up_is_due_again(due, owner_client, today):
    earlier = FollowUpFactory(application=due, date=days(today, -20), kind="thank_you")
    owner_client.post(url("check_in", due), {"date": today.isoformat(), "channel": "email"})
    assert due.follow_ups.filter(kind="check_in").count() == 1

    response = undo(owner_client)

    assert response["Location"] == DASHBOARD
    assert messages_of(response) == ["Undone: it is back as it was."]
    assert list(due.follow_ups.all()) == [earlier]
    html = owner_client.get(DASHBOARD).content.decode()
    assert '<li class="row status-follow_up_now">' in html


def test_undoing_a_thank_you_marked_sent_owes_it_again(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, company="Acme", applied_on=days(today, -5))
    lee = ContactFactory(application=application, name="Lee Chen")
    InterviewFactory(application=application, date=days(today, -1), contacts=[lee])
    owner_client.post(
        url("thank_you", application), {"date": today.isoformat(), "contact": str(lee.pk)}
    )
    assert application.follow_ups.count() == 1

    undo(owner_client)

    assert application.follow_ups.count() == 0
    assert (
        "Send a thank-you note to Lee Chen at Acme" in owner_client.get(DASHBOARD).content.decode()
    )


def test_undoing_a_response_removes_it(due, owner_client, today):
    owner_client.post(
        url("response", due),
        {"date": today.isoformat(), "channel": "email", "outcome": "rejected"},
    )
    assert due.follow_ups.filter(kind="response").exists()

    undo(owner_client)

    assert not due.follow_ups.exists()


@pytest.mark.parametrize("earlier_snooze", [None, 2])
def test_undoing_a_snooze_puts_back_the_snooze_there_was(due, owner_client, today, earlier_snooze):
    before = None if earlier_snooze is None else days(today, earlier_snooze)
    Application.objects.filter(pk=due.pk).update(snoozed_until=before)
    owner_client.post(url("snooze", due), {"week": "1"})
    assert state(due) == ("", days(today, 7))

    undo(owner_client)

    assert state(due) == ("", before)


def test_undoing_a_close_reopens_it_with_its_snooze(due, owner_client, today):
    Application.objects.filter(pk=due.pk).update(snoozed_until=days(today, 3))
    response = owner_client.post(url("close", due), {"outcome": "rejected", "next": DASHBOARD})
    assert messages_of(response) == [
        "Closed Acme as rejected. It's in your closed applications now."
    ]
    assert state(due) == ("rejected", None)

    undo(owner_client)

    assert state(due) == ("", days(today, 3))
    assert f'value="{due.pk}" form="bulk"' in owner_client.get(DASHBOARD).content.decode()


def test_undoing_a_reopen_closes_it_again_the_same_way(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, outcome="withdrawn")
    owner_client.post(url("reopen", application))
    assert state(application) == ("", None)

    undo(owner_client)

    assert state(application) == ("withdrawn", None)


def test_undoing_a_snooze_removed_snoozes_again(due, owner_client, today):
    Application.objects.filter(pk=due.pk).update(snoozed_until=days(today, 4))
    owner_client.post(url("unsnooze", due))

    undo(owner_client)

    assert state(due) == ("", days(today, 4))


def test_undoing_a_bulk_close_puts_back_each_one_as_it_was(owner, owner_client, today):
    first = ApplicationFactory(owner=owner, snoozed_until=days(today, 2))
    second = ApplicationFactory(owner=owner)
    untouched = ApplicationFactory(owner=owner, snoozed_until=days(today, 5))
    owner_client.post(
        reverse("applications_bulk"),
        {"action": "close_offer", "selected": [str(first.pk), str(second.pk)]},
    )
    assert (state(first), state(second)) == (("offer", None), ("offer", None))

    response = undo(owner_client)

    assert messages_of(response) == ["Undone: it is back as it was."]
    assert state(first) == ("", days(today, 2))
    assert state(second) == ("", None)
    assert state(untouched) == ("", days(today, 5))


def test_undo_leaves_alone_what_changed_since(owner, owner_client, today):
    first, second = ApplicationFactory(owner=owner), ApplicationFactory(owner=owner)
    owner_client.post(
        reverse("applications_bulk"),
        {"action": "close_rejected", "selected": [str(first.pk), str(second.pk)]},
    )
    # Then the second was closed another way, from its admin page or another tab.
    Application.objects.filter(pk=second.pk).update(outcome="offer")

    undo(owner_client)

    assert state(first) == ("", None)
    assert state(second) == ("offer", None)


def test_undo_with_everything_changed_since_says_so_and_changes_nothing(due, owner_client, today):
    owner_client.post(url("close", due), {"outcome": "rejected"})
    Application.objects.filter(pk=due.pk).update(outcome="withdrawn")

    response = undo(owner_client)

    assert messages_of(response) == ["Nothing to undo: it has changed since."]
    assert state(due) == ("withdrawn", None)


def test_undo_works_once(due, owner_client, today):
    owner_client.post(url("check_in", due), {"date": today.isoformat(), "channel": "email"})
    earlier = FollowUpFactory(application=due, date=days(today, -20), kind="thank_you")
    button = {"next": DASHBOARD, "action": undo_key(owner_client.get(DASHBOARD).content.decode())}
    owner_client.post(UNDO, button, follow=True)

    response = owner_client.post(UNDO, button)  # the same button, sent again

    assert messages_of(response) == ["There is nothing to undo."]
    assert list(due.follow_ups.all()) == [earlier]


def test_a_second_click_on_the_same_check_in_offers_no_undo_of_the_first(due, owner_client, today):
    data = {"date": today.isoformat(), "channel": "email"}
    owner_client.post(url("check_in", due), data, follow=True)
    response = owner_client.post(url("check_in", due), data, follow=True)

    html = response.content.decode()
    assert "That was already recorded." in html
    assert f'action="{UNDO}"' not in html


def test_undo_goes_stale_after_half_an_hour(due, owner_client, today):
    owner_client.post(url("check_in", due), {"date": today.isoformat(), "channel": "email"})
    session = owner_client.session
    session[UNDO_SESSION_KEY]["at"] = time.time() - UNDO_WITHIN_SECONDS - 1
    session.save()

    response = undo(owner_client)

    assert messages_of(response) == ["There is nothing to undo."]
    assert due.follow_ups.filter(kind="check_in").exists()


def test_undo_never_reaches_another_users_data(owner_client, stranger, today):
    theirs = ApplicationFactory(owner=stranger, outcome="rejected")
    their_follow_up = FollowUpFactory(application=theirs, date=today, kind="check_in")
    session = owner_client.session
    for how in (
        {"follow_ups": {str(their_follow_up.pk): services.follow_up_state(their_follow_up)}},
        {"before": {str(theirs.pk): ["", None]}, "after": {str(theirs.pk): ["rejected", None]}},
    ):
        session[UNDO_SESSION_KEY] = {**how, "at": time.time(), "key": "k"}
        session.save()

        response = owner_client.post(UNDO, {"next": DASHBOARD, "action": "k"})
        owner_client.get(DASHBOARD)  # shows, and so uses up, the message

        assert messages_of(response) == ["Nothing to undo: it has changed since."]
    assert FollowUp.objects.filter(pk=their_follow_up.pk).exists()
    assert state(theirs) == ("rejected", None)


def test_undo_answers_only_post_and_ignores_an_external_next(due, owner_client, today):
    assert owner_client.get(UNDO).status_code == 405

    response = undo(owner_client, "https://evil.example/")

    assert response["Location"] == DASHBOARD


def test_mark_as_sent_on_a_draft_can_be_undone_too(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, company="Acme", applied_on=days(today, -5))
    lee = ContactFactory(application=application, name="Lee Chen")
    InterviewFactory(application=application, date=days(today, -1), contacts=[lee])
    sent = reverse("draft_sent", args=[application.pk, "thank_you"]) + f"?contact={lee.pk}"

    response = owner_client.post(sent, follow=True)
    assert f'action="{UNDO}"' in response.content.decode()
    assert application.follow_ups.count() == 1

    undo(owner_client, page=response)

    assert application.follow_ups.count() == 0


def test_an_undo_left_in_another_tab_does_not_take_back_a_later_action(
    owner, due, owner_client, today
):
    other = ApplicationFactory(owner=owner, company="Northwind", applied_on=days(today, -30))
    # Tab A: a check-in, and the page after it with its Undo.
    owner_client.post(url("check_in", due), {"date": today.isoformat(), "channel": "email"})
    tab_a = owner_client.get(DASHBOARD)
    # Tab B: a snooze of another application.
    tab_b = owner_client.post(
        url("snooze", other), {"until": days(today, 7).isoformat()}, follow=True
    )
    snoozed = state(other)

    response = undo(owner_client, page=tab_a)

    assert messages_of(response) == ["Nothing undone: you have done something else since."]
    assert state(other) == snoozed
    assert due.follow_ups.filter(kind="check_in").exists()
    # The snooze's own Undo still works.
    undo(owner_client, page=tab_b)
    assert state(other) == ("", None)


def test_a_follow_up_corrected_since_is_not_removed_by_its_undo(due, owner_client, today):
    owner_client.post(url("check_in", due), {"date": today.isoformat(), "channel": "email"})
    page = owner_client.get(DASHBOARD)
    (check_in,) = due.follow_ups.all()
    owner_client.post(
        reverse("follow_up_edit", args=[due.pk, check_in.pk]),
        {
            "kind": "response",
            "date": days(today, -1).isoformat(),
            "channel": "phone",
            "outcome": "offer",
            "note": "they answered",
        },
        follow=True,
    )
    corrected = due.follow_ups.get()
    assert (corrected.kind, corrected.outcome) == ("response", "offer")

    response = undo(owner_client, page=page)

    assert messages_of(response) == ["Nothing to undo: it has changed since."]
    assert list(due.follow_ups.all()) == [corrected]


def test_a_thank_you_to_everyone_thanks_each_person_met_and_one_undo_takes_it_back(
    owner, owner_client, today
):
    application = ApplicationFactory(owner=owner, company="Aperture", applied_on=days(today, -9))
    kim = ContactFactory(application=application, name="Kim Ortiz")
    cave = ContactFactory(application=application, name="Cave Johnson")
    recruiter = ContactFactory(application=application, name="Sam Recruiter")
    InterviewFactory(application=application, date=days(today, -6), contacts=[recruiter])
    InterviewFactory(application=application, date=days(today, -1), contacts=[kim, cave])

    response = owner_client.post(
        url("thank_you", application), {"date": today.isoformat(), "contact": ""}, follow=True
    )

    thanked = application.follow_ups.filter(kind="thank_you")
    assert sorted(thanked.values_list("contact__name", flat=True)) == ["Cave Johnson", "Kim Ortiz"]
    html = response.content.decode()
    assert "Thank-you note to Aperture recorded." in html
    assert "Send a thank-you note to" not in owner_client.get(DASHBOARD).content.decode()

    undo(owner_client, page=response)

    assert not thanked.exists()
    dashboard = owner_client.get(DASHBOARD).content.decode()
    assert "Send a thank-you note to Kim Ortiz at Aperture" in dashboard
    assert "Send a thank-you note to Cave Johnson at Aperture" in dashboard
