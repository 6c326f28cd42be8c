"""The record forms save once however often they are sent: the new-application form
(/applications/new/) and a later round (/applications/<pk>/interviews/new/) each carry a
hidden one-time token; the same page sent twice (a double click, a resubmit after a slow
answer, the back button) records one application or one interview, and the second answer
shows what the first one saved.

The same race through gunicorn on SQLite is in tests/test_concurrency.py, section (c).
"""

import datetime
import re
import threading
import time

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from applications import services
from applications.forms import SUBMISSION_TOKEN
from applications.models import Application, Contact, Interview
from tests.factories import ApplicationFactory, ContactFactory, InterviewFactory, UserFactory
from tests.helpers import days, messages_of
from tests.test_record_views import counts, later_round_data, new_application_data

pytestmark = pytest.mark.django_db

NEW = reverse("application_new")
ALREADY_SAVED = "This form was already saved; here is what it recorded."
HIDDEN_TOKEN = re.compile(r'<input type="hidden" name="submission" value="([^"]*)"')


def token_in(response) -> str:
    """The token of the form on the page (exactly one)."""
    (token,) = HIDDEN_TOKEN.findall(response.content.decode())
    return token


@pytest.fixture
def met_before(owner, today):
    """Acme, after a first round with Dana."""
    application = ApplicationFactory(owner=owner, company="Acme", applied_on=days(today, -20))
    dana = ContactFactory(application=application, name="Dana Reyes")
    InterviewFactory(application=application, date=days(today, -10), contacts=[dana])
    return application


def later_round(application):
    return reverse("interview_new", args=[application.pk])


def send(client, url, data):
    """Post as a browser does: follow the redirect and show the page. Returns where it
    landed (None when the post was refused) and the messages shown there."""
    response = client.post(url, data, follow=True)
    landed = response.redirect_chain[-1][0] if response.redirect_chain else None
    return landed, messages_of(response)


# ----------------------------------------------------------------------------------------
# Every page of the two forms carries a token of its own


def test_each_new_application_page_carries_a_new_token(owner_client, today):
    first, second = token_in(owner_client.get(NEW)), token_in(owner_client.get(NEW))

    assert SUBMISSION_TOKEN.fullmatch(first) and SUBMISSION_TOKEN.fullmatch(second)
    assert first != second


def test_each_later_round_page_carries_a_new_token(owner_client, met_before):
    first = token_in(owner_client.get(later_round(met_before)))
    second = token_in(owner_client.get(later_round(met_before)))

    assert SUBMISSION_TOKEN.fullmatch(first) and SUBMISSION_TOKEN.fullmatch(second)
    assert first != second


# ----------------------------------------------------------------------------------------
# The same page sent twice


def test_a_new_application_sent_twice_is_saved_once(owner_client, today):
    data = new_application_data(today, submission=token_in(owner_client.get(NEW)))

    first = send(owner_client, NEW, data)
    second = send(owner_client, NEW, data)

    page = Application.objects.get().get_absolute_url()
    assert first == (page, ["Saved Acme."])
    assert second == (page, [ALREADY_SAVED])
    # One interview, and Dana and Lee once each.
    assert counts() == (1, 1, 2, 0)
    assert sorted(Interview.objects.get().contacts.values_list("name", flat=True)) == [
        "Dana Reyes",
        "Lee Chen",
    ]


def test_the_second_answer_shows_what_the_first_saved(owner_client, today):
    data = new_application_data(today, submission=token_in(owner_client.get(NEW)))
    owner_client.post(NEW, data)

    # Sent again after going back and changing it: the page says what was kept.
    page = owner_client.post(
        NEW, {**data, "application-company": "Acme Corp"}, follow=True
    ).content.decode()

    assert ALREADY_SAVED in page
    assert "<h1>Acme " in page
    assert "Lee Chen" in page
    assert list(Application.objects.values_list("company", flat=True)) == ["Acme"]


def test_a_later_round_sent_twice_is_saved_once(owner_client, met_before, today):
    url = later_round(met_before)
    data = later_round_data(today, submission=token_in(owner_client.get(url)))
    before = counts()

    first = send(owner_client, url, data)
    second = send(owner_client, url, data)

    assert first == (met_before.get_absolute_url(), ["Interview saved."])
    assert second == (met_before.get_absolute_url(), [ALREADY_SAVED])
    # One more interview, and Sam Patel added once.
    assert counts() == (before[0], before[1] + 1, before[2] + 1, before[3])
    assert sorted(met_before.contacts.values_list("name", flat=True)) == [
        "Dana Reyes",
        "Sam Patel",
    ]


def test_two_pages_of_the_form_record_two_applications(owner_client, today):
    # The same job entered twice on purpose, from two pages: both are kept.
    for _ in range(2):
        data = new_application_data(today, submission=token_in(owner_client.get(NEW)))
        assert send(owner_client, NEW, data)[1] == ["Saved Acme."]

    assert counts() == (2, 2, 4, 0)


def test_two_later_round_pages_record_two_rounds(owner_client, met_before, today):
    url = later_round(met_before)
    for _ in range(2):
        data = later_round_data(today, submission=token_in(owner_client.get(url)))
        assert send(owner_client, url, data)[1] == ["Interview saved."]

    assert met_before.interviews.count() == 3


# ----------------------------------------------------------------------------------------
# Shown again with errors, the page keeps its token


def test_a_page_shown_again_with_errors_keeps_its_token(owner_client, today):
    token = token_in(owner_client.get(NEW))
    data = new_application_data(today, submission=token)

    refused = owner_client.post(NEW, {**data, "application-company": " "})
    fixed = send(owner_client, NEW, data)
    again = send(owner_client, NEW, data)

    assert refused.status_code == 400
    assert token_in(refused) == token
    assert fixed[1] == ["Saved Acme."]
    assert again == (fixed[0], [ALREADY_SAVED])
    assert counts() == (1, 1, 2, 0)


def test_a_later_round_shown_again_with_errors_keeps_its_token(owner_client, met_before, today):
    url = later_round(met_before)
    token = token_in(owner_client.get(url))
    data = later_round_data(today, submission=token)

    refused = owner_client.post(url, {**data, "interview-decision_by": days(today, -3)})

    assert refused.status_code == 400
    assert token_in(refused) == token


# ----------------------------------------------------------------------------------------
# A post without a usable token (a page from before tokens, a hand-made post)


MALFORMED = {
    "missing": None,
    "empty": "",
    "too-long": "a" * 33,
    "space": "abc def",
    "markup": '"><script>alert(1)</script>',
    "nul": "abc\x00",
    "not-ascii": "ünïcode",
}


@pytest.mark.parametrize("token", MALFORMED.values(), ids=MALFORMED.keys())
def test_without_a_usable_token_each_post_saves_as_before(owner_client, today, token):
    data = new_application_data(today)
    if token is not None:
        data["submission"] = token

    answers = [send(owner_client, NEW, data)[1] for _ in range(2)]

    assert answers == [["Saved Acme."], ["Saved Acme."]]
    assert counts() == (2, 2, 4, 0)


@pytest.mark.parametrize("token", MALFORMED.values(), ids=MALFORMED.keys())
def test_without_a_usable_token_a_later_round_saves_as_before(
    owner_client, met_before, today, token
):
    data = later_round_data(today)
    if token is not None:
        data["submission"] = token

    answer = owner_client.post(later_round(met_before), data)

    assert messages_of(answer) == ["Interview saved."]
    assert met_before.interviews.count() == 2


@pytest.mark.parametrize("token", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_page_shown_again_without_a_usable_token_gets_a_new_one(owner_client, today, token):
    data = new_application_data(today, **{"application-company": ""})
    if token is not None:
        data["submission"] = token

    refused = owner_client.post(NEW, data)

    assert refused.status_code == 400
    assert SUBMISSION_TOKEN.fullmatch(token_in(refused))
    assert "<script>alert(1)</script>" not in refused.content.decode()


# ----------------------------------------------------------------------------------------
# Tokens are per person (and a later round's, per application)


def test_someone_elses_identical_token_records_their_own_application(
    owner, owner_client, stranger, today
):
    token = token_in(owner_client.get(NEW))
    owner_client.post(NEW, new_application_data(today, submission=token))
    theirs = Client()
    theirs.force_login(stranger)

    answer = theirs.post(
        NEW, new_application_data(today, submission=token, **{"application-company": "Beta"})
    )

    mine, their_application = (
        Application.objects.get(owner=owner),
        Application.objects.get(owner=stranger),
    )
    assert messages_of(answer) == ["Saved Beta."]
    assert answer["Location"] == their_application.get_absolute_url()
    assert (mine.company, their_application.company) == ("Acme", "Beta")
    assert their_application.interviews.count() == 1


def test_a_later_rounds_token_is_its_applications_own(owner, owner_client, met_before, today):
    other = ApplicationFactory(owner=owner, company="Beta", applied_on=days(today, -20))
    token = token_in(owner_client.get(later_round(met_before)))
    send(owner_client, later_round(met_before), later_round_data(today, submission=token))

    answer = send(owner_client, later_round(other), later_round_data(today, submission=token))

    assert answer == (other.get_absolute_url(), ["Interview saved."])
    assert (met_before.interviews.count(), other.interviews.count()) == (2, 1)


# ----------------------------------------------------------------------------------------
# The services and the database


D = datetime.date
DECISION_BY = D(2026, 11, 27)


def record(user, *, submission, company="Acme", decision_by=DECISION_BY):
    return services.application_record(
        user=user,
        company=company,
        role="Backend Engineer",
        applied_on=D(2026, 11, 2),
        interview=services.NewInterview(
            date=D(2026, 11, 20),
            decision_by=decision_by,
            new_contacts=(services.NewContact(name="Dana Reyes"), services.NewContact(name="Lee")),
        ),
        submission=submission,
    )


def test_recording_the_same_submission_again_writes_nothing(owner):
    first, created = record(owner, submission="tok")
    stored = Application.objects.values().get()

    again, created_again = record(owner, submission="tok", company="Changed")

    assert (created, created_again) == (True, False)
    assert again == first
    assert Application.objects.values().get() == stored  # not even updated_at
    assert counts() == (1, 1, 2, 0)


def test_adding_the_same_round_again_writes_nothing(owner):
    application = ApplicationFactory(owner=owner)
    round_two = services.NewInterview(
        date=D(2026, 11, 27), new_contacts=(services.NewContact(name="Sam"),)
    )

    first, created = services.interview_add(
        application=application, interview=round_two, submission="t"
    )
    touched = Application.objects.get(pk=application.pk).updated_at
    again, created_again = services.interview_add(
        application=application, interview=round_two, submission="t"
    )

    assert (created, created_again) == (True, False)
    assert again == first
    assert Application.objects.get(pk=application.pk).updated_at == touched
    assert (Interview.objects.count(), Contact.objects.count()) == (1, 1)


def test_without_a_submission_every_call_records(owner):
    assert [record(owner, submission="")[1] for _ in range(2)] == [True, True]
    assert counts() == (2, 2, 4, 0)


def test_an_interview_the_database_refuses_is_not_taken_for_a_twin(owner):
    # The insert fails for a reason of its own: the error is the caller's, not a
    # "same submission" answer, and nothing is left half recorded.
    with pytest.raises(IntegrityError):
        record(owner, submission="tok", decision_by=D(2026, 11, 19))

    assert counts() == (0, 0, 0, 0)


def test_the_database_keeps_one_row_per_token_and_owner(owner, stranger):
    mine = ApplicationFactory(owner=owner, submission="tok")
    ApplicationFactory(owner=stranger, submission="tok")
    ApplicationFactory.create_batch(2, owner=owner, submission="")
    InterviewFactory(application=mine, submission="tok")
    InterviewFactory.create_batch(2, application=mine, submission="")

    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationFactory(owner=owner, submission="tok")
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewFactory(application=mine, submission="tok")


@pytest.mark.parametrize(
    "url_name", ["admin:applications_application_change", "admin:applications_interview_change"]
)
def test_the_admin_does_not_offer_the_token_for_editing(client, owner, url_name):
    application = ApplicationFactory(owner=owner, submission="tok")
    interview = InterviewFactory(application=application, submission="tok")
    client.force_login(UserFactory(username="admin", is_staff=True, is_superuser=True))
    target = application if "application_change" in url_name else interview

    page = client.get(reverse(url_name, args=[target.pk])).content.decode()

    assert 'name="submission"' not in page


# ----------------------------------------------------------------------------------------
# Two requests at once, on PostgreSQL (SQLite: tests/test_concurrency.py, through gunicorn)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database; SQLite's test database is one connection",
)


def lost_race(first_call, second_call):
    """Run `first_call` in a transaction held open until `second_call`, in another
    connection, is seen waiting for it (on the unique index), then commit: the second
    must find out from the failed insert that the first won. Returns both results."""
    first_done, commit = threading.Event(), threading.Event()
    results, errors = {}, []

    def first():
        try:
            with transaction.atomic():
                results["first"] = first_call()
                first_done.set()
                commit.wait(timeout=30)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
            first_done.set()
        finally:
            connections.close_all()

    def second():
        try:
            first_done.wait(timeout=30)
            results["second"] = second_call()
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not waiting_for_a_lock():
            time.sleep(0.05)
        assert waiting_for_a_lock(), "the second request never waited for the first"
    finally:
        commit.set()
        for thread in threads:
            thread.join(timeout=30)
    assert errors == []
    return results["first"], results["second"]


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] == 1


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_new_application_posts_record_one(owner):
    first, second = lost_race(
        lambda: record(owner, submission="tok"), lambda: record(owner, submission="tok")
    )

    assert (first[1], second[1]) == (True, False)
    assert second[0].pk == first[0].pk
    assert counts() == (1, 1, 2, 0)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_later_round_posts_record_one(owner):
    application = ApplicationFactory(owner=owner)

    def add():
        return services.interview_add(
            application=application,
            interview=services.NewInterview(
                date=D(2026, 11, 27), new_contacts=(services.NewContact(name="Sam"),)
            ),
            submission="tok",
        )

    first, second = lost_race(add, add)

    assert (first[1], second[1]) == (True, False)
    assert second[0].pk == first[0].pk
    assert (Interview.objects.count(), Contact.objects.count()) == (1, 1)
