"""An email address is confirmed before Hearback sends it anything else (issue #10, item
7): a new or changed address gets a link; until its owner opens the link and presses
the button, no digest and no password-reset link goes there. The settings page shows
the state, with a button to send the link again (bounded like reset mail)."""

import datetime
import re
import runpy
import types
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse, reverse_lazy

from applications import digest, selectors, services
from config.log_filters import hide_secrets
from tests.factories import PreferencesFactory, follow_up_due

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct horse battery staple"  # the factories' password
NEW_PASSWORD = "a-fresh-Passphrase-for-2027"
SETTINGS = reverse("preferences")
EMAIL_CHANGE = reverse_lazy("email_change")
RESEND = reverse_lazy("email_confirmation_resend")
PASSWORD_RESET = reverse("password_reset")
# Thursday 2026-12-10, noon in UTC: a day with a follow-up due (tests/factories.py).
NOON = datetime.datetime(2026, 12, 10, 12, 0, tzinfo=datetime.UTC)
LINK = re.compile(r"https?://testserver(/accounts/email/confirm/[^/\s]+/)")


def sign_up(client, email):
    return client.post(
        reverse("signup"),
        {"username": "dana", "email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        follow=True,
    )


def link_in(message):
    return LINK.search(message.body)[1]


def outbox_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def reset_mails_to(client, address):
    """How many password-reset emails asking for one for `address` sends."""
    before = len(mail.outbox)
    client.post(PASSWORD_RESET, {"email": address})
    return len([m for m in mail.outbox[before:] if "Reset your Hearback password" in m.subject])


def digests_to(user):
    """Opt `user` in, with a follow-up due, run the digest: the digests sent to them."""
    prefs = PreferencesFactory(user=user)
    services.preferences_update(preferences=prefs, digest_opt_in=True, time_zone="UTC")
    follow_up_due(user)
    before = len(mail.outbox)
    digest.digests_send(now=NOON)
    return [m for m in mail.outbox[before:] if m.subject.startswith("Hearback: ")]


def confirm(client, link):
    page = client.get(link)
    assert page.status_code == 200
    return client.post(link, follow=True)


def settings_html(client):
    return client.get(SETTINGS).content.decode()


# ----------------------------------------------------------------------------------------
# Signing up with an address


def test_signing_up_with_an_address_sends_a_link_to_confirm_it(client):
    page = sign_up(client, "dana@example.com")

    (message,) = mail.outbox
    assert message.to == ["dana@example.com"]
    assert message.subject == "Confirm your email address for Hearback"
    assert link_in(message)
    assert "dana" not in message.body.replace("dana@example.com", "")  # no username
    html = page.content.decode()
    assert "Welcome to Hearback" in html
    assert "We sent a link to dana@example.com" in html


def test_signing_up_without_an_address_sends_nothing(client):
    sign_up(client, "")

    assert mail.outbox == []
    assert "Your account has no email address" in settings_html(client)


def test_an_address_typed_at_sign_up_gets_no_reset_and_no_digest_unconfirmed(client):
    """Anyone can sign up with someone else's address (or mistype their own)."""
    sign_up(client, "someone-else@example.com")
    dana = User.objects.get(username="dana")

    assert reset_mails_to(Client(), "someone-else@example.com") == 0
    assert digests_to(dana) == []


def test_until_the_link_is_opened_no_digest_and_no_reset_goes_there(client):
    sign_up(client, "dana@example.com")
    dana = User.objects.get(username="dana")

    assert "unverified" in settings_html(client)
    assert reset_mails_to(Client(), "dana@example.com") == 0
    assert digests_to(dana) == []


def test_opening_the_link_and_pressing_the_button_confirms_the_address(client):
    sign_up(client, "dana@example.com")
    link = link_in(mail.outbox[0])
    dana = User.objects.get(username="dana")

    page = client.get(link)
    assert "dana@example.com" in page.content.decode()
    done = client.post(link, follow=True)

    assert done.redirect_chain[-1][0] == SETTINGS
    assert "dana@example.com is confirmed" in done.content.decode()
    assert "unverified" not in settings_html(client)
    assert reset_mails_to(Client(), "dana@example.com") == 1
    assert len(digests_to(dana)) == 1


def test_opening_the_link_alone_confirms_nothing(client):
    """Mail scanners open links: only the button, a POST, confirms."""
    sign_up(client, "dana@example.com")

    for _ in range(3):
        assert Client().get(link_in(mail.outbox[0])).status_code == 200

    assert "unverified" in settings_html(client)
    assert reset_mails_to(Client(), "dana@example.com") == 0


def test_the_link_works_signed_out_and_then_leads_to_sign_in(client):
    sign_up(client, "dana@example.com")
    link = link_in(mail.outbox[0])

    done = confirm(Client(), link)

    assert done.redirect_chain[-1][0] == reverse("login")
    assert "dana@example.com is confirmed" in done.content.decode()
    assert "unverified" not in settings_html(client)


def test_a_used_link_says_so_and_changes_nothing(client):
    sign_up(client, "dana@example.com")
    link = link_in(mail.outbox[0])
    confirm(client, link)

    again = client.get(link)

    assert again.status_code == 200
    assert "already confirmed" in again.content.decode()


def test_a_link_older_than_three_days_does_not_work(client, monkeypatch):
    sign_up(client, "dana@example.com")
    link = link_in(mail.outbox[0])
    later = signing.time.time() + 3 * 24 * 60 * 60 + 60
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: later))

    page = client.get(link)
    posted = client.post(link)

    assert "This link doesn't work" in page.content.decode()
    assert posted.status_code == 400
    assert "unverified" in settings_html(client)


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "a:b:c",
        "eyJ1c2VyIjoxLCJlbWFpbCI6ImFAYi5jIn0:1tAbCd:forged",
        "%00",
        "é" * 40,
        "x" * 3000,
    ],
    ids=["nonsense", "colons", "forged", "nul", "unicode", "long"],
)
def test_a_broken_or_forged_link_says_so_and_never_fails(client, token):
    sign_up(client, "dana@example.com")
    link = f"/accounts/email/confirm/{token}/"

    page = client.get(link)
    posted = client.post(link)

    assert page.status_code == 200
    assert "This link doesn't work" in page.content.decode()
    assert posted.status_code == 400
    assert "unverified" in settings_html(client)


def test_a_link_signed_for_another_purpose_does_not_work(client):
    sign_up(client, "dana@example.com")
    dana = User.objects.get(username="dana")
    token = signing.dumps({"user": dana.pk, "email": "dana@example.com"})  # no salt

    assert client.post(f"/accounts/email/confirm/{token}/").status_code == 400
    assert "unverified" in settings_html(client)


# ----------------------------------------------------------------------------------------
# Changing the address


def change_email(client, email, password=PASSWORD):
    return client.post(EMAIL_CHANGE, {"email": email, "password": password})


@pytest.fixture
def verified_owner(owner):
    owner.email = "owner@example.com"
    owner.save()
    services.account_email_verify(user=owner, email="owner@example.com")
    return owner


def test_the_settings_page_shows_the_address_and_leads_to_changing_it(verified_owner, owner_client):
    html = settings_html(owner_client)

    assert "owner@example.com" in html
    assert "confirmed" in html
    assert f'href="{EMAIL_CHANGE}"' in html
    assert owner_client.get(EMAIL_CHANGE).status_code == 200


def test_a_new_address_is_unverified_until_its_own_link_is_opened(verified_owner, owner_client):
    response = change_email(owner_client, "new@example.com")

    assert response.status_code == 302
    assert response["Location"] == f"{SETTINGS}#email"
    verified_owner.refresh_from_db()
    assert verified_owner.email == "new@example.com"
    (message,) = outbox_to("new@example.com")
    assert "unverified" in settings_html(owner_client)
    assert reset_mails_to(Client(), "new@example.com") == 0
    assert reset_mails_to(Client(), "owner@example.com") == 0  # no longer the account's
    assert digests_to(verified_owner) == []

    confirm(owner_client, link_in(message))

    assert reset_mails_to(Client(), "new@example.com") == 1


def test_a_link_for_an_address_the_account_no_longer_has_does_not_work(owner, owner_client):
    change_email(owner_client, "first@example.com")
    old_link = link_in(outbox_to("first@example.com")[0])
    change_email(owner_client, "second@example.com")

    assert "This link doesn't work" in owner_client.get(old_link).content.decode()
    assert owner_client.post(old_link).status_code == 400
    assert "unverified" in settings_html(owner_client)


def test_changing_the_address_needs_the_password(verified_owner, owner_client):
    response = change_email(owner_client, "new@example.com", password="a-guess")

    assert response.status_code == 400
    assert response.context["form"].errors["password"]
    verified_owner.refresh_from_db()
    assert verified_owner.email == "owner@example.com"
    assert mail.outbox == []


def test_guessing_the_password_there_is_throttled_like_sign_in(
    verified_owner, owner_client, settings
):
    settings.AXES_ENABLED = True
    for _ in range(4):
        assert change_email(owner_client, "new@example.com", "a-guess").status_code == 400

    fifth = change_email(owner_client, "new@example.com", "a-guess")
    right = change_email(owner_client, "new@example.com")

    assert (fifth.status_code, right.status_code) == (429, 429)
    verified_owner.refresh_from_db()
    assert verified_owner.email == "owner@example.com"
    signing_in = Client().post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert signing_in.status_code == 429


def test_an_empty_address_removes_it(verified_owner, owner_client):
    change_email(owner_client, "")

    verified_owner.refresh_from_db()
    assert verified_owner.email == ""
    assert mail.outbox == []
    assert "Your account has no email address" in settings_html(owner_client)


def test_the_same_address_again_changes_nothing_and_sends_nothing(verified_owner, owner_client):
    change_email(owner_client, "owner@example.com")

    assert mail.outbox == []
    assert "unverified" not in settings_html(owner_client)


def test_an_address_changed_in_the_admin_is_unverified_too(verified_owner):
    verified_owner.email = "typo@example.com"  # as the admin's user form saves it
    verified_owner.save()

    assert reset_mails_to(Client(), "typo@example.com") == 0
    assert digests_to(verified_owner) == []


# ----------------------------------------------------------------------------------------
# Sending the link again


def test_the_link_can_be_sent_again_three_times_an_hour_in_all(client):
    sign_up(client, "dana@example.com")  # the first

    answers = [client.post(RESEND, follow=True).content.decode() for _ in range(3)]

    assert len(outbox_to("dana@example.com")) == 3
    assert "We sent a link to dana@example.com" in answers[1]
    assert "sent several links to dana@example.com this hour" in answers[2]
    confirm(client, link_in(mail.outbox[1]))  # any of them works
    assert "unverified" not in settings_html(client)


def test_a_confirmed_address_is_not_sent_another_link(verified_owner, owner_client):
    response = owner_client.post(RESEND, follow=True)

    assert mail.outbox == []
    assert "is confirmed" in response.content.decode()


def test_sending_again_takes_a_post(verified_owner, owner_client):
    assert owner_client.get(RESEND).status_code == 405


def test_a_link_that_cannot_be_sent_is_said_and_the_address_kept(client, settings):
    settings.EMAIL_BACKEND = "tests.test_email_verification.BrokenBackend"

    page = sign_up(client, "dana@example.com")

    assert page.status_code == 200
    assert "could not send" in page.content.decode()
    assert User.objects.get(username="dana").email == "dana@example.com"


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


# ----------------------------------------------------------------------------------------
# The link is a secret: never in a log line


def test_log_lines_never_carry_a_confirmation_link(client):
    sign_up(client, "dana@example.com")
    link = link_in(mail.outbox[0])
    token = link.split("/")[-2]
    line = f'GET {link} 200 "https://mail.example/?u={link}"'
    gunicorn_conf = runpy.run_path(str(Path(settings.BASE_DIR) / "config" / "gunicorn.conf.py"))

    for hide in (hide_secrets, gunicorn_conf["_hide_secrets"]):
        hidden = hide(line)
        assert token not in hidden
        assert "/accounts/email/confirm/[hidden]/" in hidden


# ----------------------------------------------------------------------------------------
# The addresses of accounts from before: verified by the migration


def _migrations():
    """(the email-verification migration, the one before it) of this app, by name."""
    loader = MigrationLoader(connection)
    (name,) = [
        name
        for app, name in loader.disk_migrations
        if app == "applications" and name.endswith("_email_verification")
    ]
    (before,) = [
        dependency
        for dependency in loader.disk_migrations["applications", name].dependencies
        if dependency[0] == "applications"
    ]
    return ("applications", name), before


@pytest.mark.django_db(transaction=True)
def test_addresses_given_before_verification_existed_count_as_verified():
    verification, before = _migrations()
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([before])
    old_user = executor.loader.project_state([before]).apps.get_model("auth", "User")
    with_address = old_user.objects.create(username="dana", email="dana@example.com")
    old_user.objects.create(username="lee", email="")

    try:
        executor = MigrationExecutor(connection)
        executor.migrate([verification])
        verified = executor.loader.project_state([verification]).apps.get_model(
            "applications", "VerifiedEmail"
        )
        rows = list(verified.objects.values_list("user_id", "email"))
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)

    assert rows == [(with_address.pk, "dana@example.com")]
    dana = User.objects.get(username="dana")
    assert selectors.email_address_get(user=dana).verified
