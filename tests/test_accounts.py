"""Accounts: sign-up, sign-in, sign-out, password change and reset; and that every other
page needs a signed-in user."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct horse battery staple"  # the factories' password
NEW_PASSWORD = "a-fresh-Passphrase-for-2027"
SIGNUP = reverse("signup")
LOGIN = reverse("login")
LOGOUT = reverse("logout")
UNAVAILABLE = "This username is not available. Please choose another."


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# ----------------------------------------------------------------------------------------
# Sign-up


def test_the_signup_page_asks_for_a_username_a_password_twice_and_an_optional_email(client):
    response = client.get(SIGNUP)

    html = response.content.decode()
    assert response.status_code == 200
    for name in ("username", "email", "password1", "password2"):
        assert f'name="{name}"' in html
    assert re.search(r'<input type="email" name="email"(?![^>]*\brequired\b)[^>]*>', html)


@pytest.mark.parametrize("email", ["dana@example.com", ""])
def test_signing_up_logs_the_new_user_in_and_lands_on_the_dashboard(client, email):
    response = client.post(
        SIGNUP,
        {"username": "dana", "email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    user = User.objects.get(username="dana")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert user.email == email
    assert user.check_password(NEW_PASSWORD)
    assert signed_in_user_id(client) == str(user.pk)
    assert "Welcome to Hearback" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"password2": "something-else-entirely-42"}, "password2"),
        ({"password1": "123", "password2": "123"}, "password2"),  # too short, too common
        ({"username": "owner"}, "username"),  # taken
        ({"email": "not-an-email"}, "email"),
    ],
    ids=["passwords-differ", "weak-password", "username-taken", "bad-email"],
)
def test_a_signup_that_cannot_be_used_is_explained_and_creates_nobody(client, owner, data, field):
    before = User.objects.count()
    posted = {
        "username": "dana",
        "email": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **data,
    }

    response = client.post(SIGNUP, posted)

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert User.objects.count() == before
    assert signed_in_user_id(client) is None


def signup_errors(client, username, password):
    response = client.post(
        SIGNUP, {"username": username, "email": "", "password1": password, "password2": password}
    )
    assert response.status_code == 400
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def test_a_taken_username_changes_nothing_but_the_usernames_own_error(client):
    UserFactory(username="margaretha")

    # The same post, but for one letter of the name, which is taken in the first; each
    # password too like its name (Django judges the password against the name only when
    # the name is free).
    taken = signup_errors(client, "Margaretha", "Margaretha1")
    free = signup_errors(client, "Margarethe", "Margarethe1")

    assert taken.pop("username") == [UNAVAILABLE]
    assert taken == free == {"password2": ["The password is too similar to the username."]}


def test_a_visitor_who_meets_too_many_taken_usernames_is_paused_for_an_hour(client, monkeypatch):
    for n in range(10):
        UserFactory(username=f"taken{n}")
        signup_errors(client, f"taken{n}", NEW_PASSWORD)

    paused = client.post(
        SIGNUP,
        {"username": "dana", "email": "", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    elsewhere = Client(REMOTE_ADDR="198.51.100.20").post(
        SIGNUP,
        {"username": "kim", "email": "", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    html = paused.content.decode()
    assert paused.status_code == 429
    assert "sign-up is paused here for an hour" in html
    assert 'value="dana"' in html  # the form is there, as it was filled in
    assert not User.objects.filter(username="dana").exists()
    assert elsewhere.status_code == 302
    assert User.objects.filter(username="kim").exists()
    an_hour_later = time.time() + 3601
    monkeypatch.setattr(time, "time", lambda: an_hour_later)  # the cache's clock
    assert signup_errors(client, "taken0", NEW_PASSWORD) == {"username": [UNAVAILABLE]}


def test_signup_can_be_switched_off(client, settings):
    settings.HEARBACK_OPEN_SIGNUP = False

    assert client.get(SIGNUP).status_code == 404
    response = client.post(
        SIGNUP, {"username": "dana", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 404
    assert not User.objects.filter(username="dana").exists()


# Rules v2: the country of public holidays, guessed from the time zone and shown


def signup_data(**fields):
    return {
        "username": "dana",
        "email": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **fields,
    }


def test_signup_offers_the_country_guessed_from_the_time_zone_and_says_so(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"

    html = client.get(SIGNUP).content.decode()

    assert '<label for="id_holiday_country">Public holidays:</label>' in html
    assert '<option value="DE" selected>Germany</option>' in html
    # Two choices made for them: the zone, and the country guessed from it.
    assert html.count(" selected>") == 2
    assert "Guessed from your time zone." in html
    assert "Change it if you live elsewhere" in html


def test_signup_with_a_zone_of_no_country_preselects_none_and_asks(client, settings):
    settings.TIME_ZONE = "UTC"

    html = client.get(SIGNUP).content.decode()

    assert '<option value="" selected>None: weekends only</option>' in html
    assert "Choose your country to count its public holidays as days off" in html


@pytest.mark.parametrize("chosen", ["DE", "FR", ""])
def test_the_new_account_keeps_the_country_the_user_left_or_chose(client, settings, chosen):
    settings.TIME_ZONE = "Europe/Berlin"

    response = client.post(SIGNUP, signup_data(holiday_country=chosen))

    assert response.status_code == 302
    user = User.objects.get(username="dana")
    assert (user.preferences.holiday_country, user.preferences.holiday_subdivision) == (
        chosen,
        "",
    )


def test_signup_refuses_a_country_the_holidays_library_does_not_know(client):
    response = client.post(SIGNUP, signup_data(holiday_country="XX"))

    assert response.status_code == 400
    assert response.context["form"].errors["holiday_country"]
    assert not User.objects.filter(username="dana").exists()


# ----------------------------------------------------------------------------------------
# Sign-in and sign-out


def test_signing_in_lands_on_the_dashboard(client, owner):
    response = client.post(LOGIN, {"username": "owner", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    assert signed_in_user_id(client) == str(owner.pk)


def test_signing_in_goes_back_to_the_page_asked_for_but_never_off_site(client, owner):
    asked = client.post(LOGIN, {"username": "owner", "password": PASSWORD, "next": "/settings/"})
    client.logout()
    off_site = client.post(
        LOGIN, {"username": "owner", "password": PASSWORD, "next": "https://evil.example/"}
    )

    assert asked["Location"] == "/settings/"
    assert off_site["Location"] == reverse("dashboard")


def test_a_wrong_password_is_refused(client, owner):
    response = client.post(LOGIN, {"username": "owner", "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_the_login_page_links_to_signup_and_password_reset(client):
    html = client.get(LOGIN).content.decode()

    assert f'href="{SIGNUP}"' in html
    assert f'href="{reverse("password_reset")}"' in html


def test_logging_out_takes_a_post_a_get_does_not_log_out(owner_client, owner):
    assert owner_client.get(LOGOUT).status_code == 405
    assert signed_in_user_id(owner_client) == str(owner.pk)

    response = owner_client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert signed_in_user_id(owner_client) is None
    assert owner_client.get(reverse("dashboard")).status_code == 302


def test_logging_out_without_the_csrf_token_is_refused(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    assert client.post(LOGOUT).status_code == 403
    assert signed_in_user_id(client) == str(owner.pk)


def test_every_page_offers_log_out_as_a_form_with_its_csrf_token(owner_client):
    html = owner_client.get(reverse("dashboard")).content.decode()

    form = re.search(rf'<form method="post" action="{LOGOUT}"[^>]*>(.*?)</form>', html, re.DOTALL)
    assert form is not None
    assert 'name="csrfmiddlewaretoken"' in form[1]


# ----------------------------------------------------------------------------------------
# Password change and reset


def test_changing_the_password_keeps_the_user_signed_in(owner_client, owner):
    response = owner_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response["Location"] == reverse("password_change_done")
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert owner_client.get(reverse("dashboard")).status_code == 200


def test_changing_the_password_needs_the_old_one(owner_client, owner):
    response = owner_client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_a_password_reset_email_leads_to_a_new_password(client):
    user = UserFactory(username="dana", email="dana@example.com")

    response = client.post(reverse("password_reset"), {"email": "dana@example.com"})

    assert response["Location"] == reverse("password_reset_done")
    (email,) = mail.outbox
    assert email.to == ["dana@example.com"]
    assert email.subject == "Reset your Hearback password"
    assert "dana" in email.body  # the username, in case they forgot it too
    link = re.search(r"https?://testserver(/accounts/reset/\S+)", email.body)[1]

    set_password = client.get(link)  # Django swaps the token for a session, then redirects
    assert set_password.status_code == 302
    form = client.get(set_password["Location"])
    assert 'name="new_password1"' in form.content.decode()
    done = client.post(
        set_password["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    assert done["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.login(username="dana", password=NEW_PASSWORD)
    # The link works once.
    client.logout()
    assert (
        "This link has expired or was already used"
        in client.get(link, follow=True).content.decode()
    )


def test_a_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    UserFactory(username="dana", email="dana@example.com")

    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


# ----------------------------------------------------------------------------------------
# Every other page needs a signed-in user


PUBLIC = {
    "login",
    "signup",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # The link that confirms an email address: it names its account (a wrong one says so).
    "email_confirm",
}
# Answers a script with a JSON 401 instead of a sign-in page (tests/test_api.py).
JSON_API = {"api_applications"}
# Reached by calendar apps with no session: a wrong secret answers 404, never a sign-in page.
SECRET_URL = {"calendar_feed"}
SAMPLE_ARGUMENTS = {
    "pk": 1,
    "uidb64": "MQ",
    "token": "set-password",
    "kind": "thank_you",
    "interview_pk": 1,
    "contact_pk": 1,
    "follow_up_pk": 1,
}


def _our_url_names(resolver=None):
    """Every named URL pattern of ours (the admin has its own sign-in)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name != "admin":
                yield from _our_url_names(entry)
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry.name, tuple(sorted(entry.pattern.regex.groupindex))


URL_NAMES = sorted(set(_our_url_names()))


def test_the_walk_sees_the_pages_and_the_account_pages():
    names = {name for name, _ in URL_NAMES}
    assert {"dashboard", "application_detail", "preferences", "password_change"} <= names
    assert names >= PUBLIC


@pytest.mark.parametrize("name, parameters", URL_NAMES, ids=[name for name, _ in URL_NAMES])
def test_anonymous_visitors_are_sent_to_sign_in_except_on_the_public_pages(
    client, name, parameters
):
    target = reverse(name, kwargs={p: SAMPLE_ARGUMENTS[p] for p in parameters})

    response = client.get(target)

    if name in PUBLIC:
        assert response.status_code == 200
    elif name in JSON_API:
        assert response.status_code == 401
    elif name in SECRET_URL:
        assert response.status_code == 404
    else:
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next={target}"


def test_anonymous_posts_change_nothing_and_go_to_sign_in(client, owner):
    application = ApplicationFactory(owner=owner)

    response = client.post(reverse("close", args=[application.pk]), {"outcome": "rejected"})

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
    application.refresh_from_db()
    assert application.outcome == ""
