"""Password-reset mail is bounded: at most 3 links an hour to one address, and 20 reset
requests an hour from one visitor's address, on any number of workers and hosts
(issue #10, item 7). Beyond, the page answers as always and sends nothing: it never
tells whether an account has that address."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.db.models import F
from django.test import Client
from django.urls import reverse

from applications import services
from applications.models import MailSlot
from tests.factories import UserFactory
from tests.helpers import at_once

pytestmark = pytest.mark.django_db

PASSWORD_RESET = reverse("password_reset")
DONE = reverse("password_reset_done")


def ask_reset(client, email):
    response = client.post(PASSWORD_RESET, {"email": email})
    assert (response.status_code, response["Location"]) == (302, DONE)  # always the same
    return response


def hours_pass(minutes):
    """Every mail sent so far was sent `minutes` earlier."""
    MailSlot.objects.update(taken_at=F("taken_at") - datetime.timedelta(minutes=minutes))


def test_thirty_requests_in_a_row_send_three_mails(client):
    UserFactory(username="dana", email="dana@example.com")

    for _ in range(30):
        ask_reset(client, "dana@example.com")

    assert len(mail.outbox) == 3
    assert {tuple(message.to) for message in mail.outbox} == {("dana@example.com",)}


def test_the_count_keeps_no_address_in_the_clear(client):
    UserFactory(username="dana", email="dana@example.com")

    ask_reset(client, "dana@example.com")

    kept = " ".join(MailSlot.objects.values_list("key", flat=True)).lower()
    assert MailSlot.objects.count() == 2  # the address's slot and the visitor's
    assert "dana" not in kept
    assert "127.0.0.1" not in kept


def test_the_limit_is_the_same_however_the_address_is_written(client):
    UserFactory(username="dana", email="dana@example.com")

    for email in ["dana@example.com", "DANA@example.com", " Dana@Example.COM ", "dana@EXAMPLE.com"]:
        ask_reset(client, email)

    assert len(mail.outbox) == 3


def test_from_many_visitors_one_address_still_gets_three(db):
    UserFactory(username="dana", email="dana@example.com")

    for n in range(10):
        ask_reset(Client(REMOTE_ADDR=f"203.0.113.{n}"), "dana@example.com")

    assert len(mail.outbox) == 3


def test_one_address_at_its_limit_leaves_the_others_alone(client):
    UserFactory(username="dana", email="dana@example.com")
    UserFactory(username="lee", email="lee@example.com")
    for _ in range(5):
        ask_reset(client, "dana@example.com")

    ask_reset(client, "lee@example.com")

    assert [message.to for message in mail.outbox][-1] == ["lee@example.com"]
    assert len(mail.outbox) == 4


@pytest.mark.parametrize("minutes, sent", [(59, 3), (61, 4)])
def test_the_hour_is_a_rolling_one(client, minutes, sent):
    UserFactory(username="dana", email="dana@example.com")
    for _ in range(3):
        ask_reset(client, "dana@example.com")

    hours_pass(minutes)
    ask_reset(client, "dana@example.com")

    assert len(mail.outbox) == sent


def test_unknown_addresses_count_too_and_the_page_never_tells(client):
    """The page looks the same for an address with an account, without one, and beyond
    the limit; and requests for an address with no account use up its hour as well."""
    pages = [client.post(PASSWORD_RESET, {"email": "nobody@example.com"}) for _ in range(4)]
    UserFactory(username="dana", email="nobody@example.com")  # the address gets an account

    ask_reset(client, "nobody@example.com")

    assert {(page.status_code, page["Location"]) for page in pages} == {(302, DONE)}
    assert mail.outbox == []


def test_one_visitor_asks_for_at_most_twenty_an_hour(db):
    for n in range(25):
        UserFactory(username=f"user{n}", email=f"user{n}@example.com")
    visitor = Client(REMOTE_ADDR="203.0.113.9")

    for n in range(25):
        ask_reset(visitor, f"user{n}@example.com")
    ask_reset(Client(REMOTE_ADDR="198.51.100.20"), "user24@example.com")

    assert len(mail.outbox) == 21
    assert mail.outbox[-1].to == ["user24@example.com"]


def test_a_malformed_request_sends_nothing_and_counts_nothing(client):
    UserFactory(username="dana", email="dana@example.com")

    for email in ["not an address", "", "x" * 300 + "@example.com"]:
        assert client.post(PASSWORD_RESET, {"email": email}).status_code == 200
    for _ in range(3):
        ask_reset(client, "dana@example.com")

    assert len(mail.outbox) == 3


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database; SQLite's test database is one connection",
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_on_several_workers_still_send_three():
    results, errors = at_once(
        lambda: services.mail_slot_claim(
            kind="password_reset", address="dana@example.com", ip="203.0.113.9"
        ),
        times=12,
    )

    assert errors == []
    assert sorted(results) == [False] * 9 + [True] * 3
