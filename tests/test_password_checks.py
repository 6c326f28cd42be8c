"""Every page that asks a signed-in user for their password again (changing it, deleting
the account, changing the email address) counts wrong answers with the sign-in page:
5 wrong ones for a username from one address, on any of them, pause all of them and
sign-in for an hour (issue #10, item 7)."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct horse battery staple"  # the factories' password
NEW_PASSWORD = "a-fresh-Passphrase-for-2027"
LOGIN = reverse("login")
PASSWORD_CHANGE = reverse("password_change")
ACCOUNT_DELETE = reverse("account_delete")


@pytest.fixture
def throttled(settings):
    """django-axes on, as in production (config/settings_test.py turns it off)."""
    settings.AXES_ENABLED = True
    return settings


def change_password(client, old_password):
    return client.post(
        PASSWORD_CHANGE,
        {
            "old_password": old_password,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )


def sign_in(client, password=PASSWORD):
    return client.post(LOGIN, {"username": "owner", "password": password})


def password_is_unchanged(user):
    user.refresh_from_db()
    return user.check_password(PASSWORD)


def test_wrong_old_passwords_lock_the_password_change_page(owner, owner_client, throttled):
    for _ in range(4):
        assert change_password(owner_client, "a-guess").status_code == 200  # the form again

    fifth = change_password(owner_client, "a-guess")
    right = change_password(owner_client, PASSWORD)  # even the right one, from now on

    assert (fifth.status_code, right.status_code) == (429, 429)
    assert "Too many sign-in attempts" in right.content.decode()
    assert password_is_unchanged(owner)


def test_twelve_guesses_at_the_password_change_page_never_get_through(
    owner, owner_client, throttled
):
    answers = [change_password(owner_client, f"guess-{n}").status_code for n in range(12)]

    assert answers == [200] * 4 + [429] * 8
    assert change_password(owner_client, PASSWORD).status_code == 429
    assert password_is_unchanged(owner)


def test_guesses_at_the_password_change_page_lock_sign_in_too(owner, owner_client, throttled):
    for _ in range(5):
        change_password(owner_client, "a-guess")

    assert sign_in(Client()).status_code == 429


def test_guesses_at_sign_in_lock_the_password_change_page_too(owner, owner_client, throttled):
    for _ in range(5):
        sign_in(Client(), "a-guess")

    assert change_password(owner_client, PASSWORD).status_code == 429
    assert password_is_unchanged(owner)


def test_guesses_on_the_delete_page_lock_sign_in_too(owner, owner_client, throttled):
    for _ in range(5):
        owner_client.post(ACCOUNT_DELETE, {"password": "a-guess"})

    assert sign_in(Client()).status_code == 429
    assert User.objects.filter(pk=owner.pk).exists()


def test_guesses_spread_over_the_pages_add_up(owner, owner_client, throttled):
    sign_in(Client(), "guess-1")
    sign_in(Client(), "guess-2")
    change_password(owner_client, "guess-3")
    change_password(owner_client, "guess-4")

    fifth = owner_client.post(ACCOUNT_DELETE, {"password": "guess-5"})

    assert fifth.status_code == 429
    assert User.objects.filter(pk=owner.pk).exists()


def test_the_lockout_is_for_that_address_only(owner, throttled):
    here = Client(REMOTE_ADDR="203.0.113.9")
    here.force_login(owner)
    for _ in range(5):
        change_password(here, "a-guess")

    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    elsewhere.force_login(owner)

    assert change_password(elsewhere, PASSWORD).status_code == 302
    assert not password_is_unchanged(owner)


def test_a_right_old_password_still_changes_it_below_the_limit(owner, owner_client, throttled):
    for _ in range(4):
        change_password(owner_client, "a-guess")

    response = change_password(owner_client, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert not password_is_unchanged(owner)


def test_the_throttles_record_keeps_no_password_typed(owner, owner_client, throttled):
    change_password(owner_client, "my-old-guess")

    (attempt,) = AccessAttempt.objects.all()
    assert attempt.username == "owner"
    assert "my-old-guess" not in attempt.post_data
    assert NEW_PASSWORD not in attempt.post_data


def test_the_admins_password_change_is_the_throttled_one(owner, owner_client):
    owner.is_staff = True
    owner.save()

    response = owner_client.get(reverse("admin:password_change"))

    assert response.status_code in (301, 302)
    assert response["Location"] == PASSWORD_CHANGE
