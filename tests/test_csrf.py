"""CSRF, with the checks the test client normally skips turned on: every POST to any of
our URLs without the token answers 403 and changes nothing, signed in or not; with the
token the page gave, the same post goes through; a token from another session or a post
from another site's page is refused."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from applications import selectors
from applications.models import Application, FollowUp
from tests.helpers import submissions
from tests.test_hostile_input import POST_VIEWS, _our_patterns, snapshot

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
URLS = sorted(set(_our_patterns()))
BASE = {view.id: view for view in POST_VIEWS}


def csrf_client():
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def url_of(name, parameters, ctx):
    values = {
        "pk": ctx.application.pk,
        "kind": "thank_you",
        "token": selectors.preferences_get(user=ctx.owner).calendar_token,
        "uidb64": "MQ",
        "interview_pk": ctx.application.interviews.order_by("pk").first().pk,
        "contact_pk": ctx.contact.pk,
        "follow_up_pk": ctx.application.follow_ups.order_by("pk").first().pk,
    }
    return reverse(name, kwargs={p: values[p] for p in parameters})


def valid_data(name, ctx):
    """What the view would accept with a token (so a 403 is the token's doing)."""
    view = BASE.get(name) or BASE.get(f"{name}-confirm")
    if view is None:
        return {}
    data = view.base(ctx)
    for field in view.files:
        data[field] = SimpleUploadedFile(f"{field}.bin", data[field].encode())
    return data


def token_from(response):
    match = TOKEN.search(response.content.decode())
    assert match, "the page has no CSRF token field"
    return match.group(1)


def test_the_walk_covers_every_post_view():
    names = {name for name, _parameters in URLS}
    assert {view.name for view in POST_VIEWS} <= names
    assert {"login", "signup", "logout", "applications_bulk", "import_upload"} <= names


@pytest.mark.parametrize("name, parameters", URLS, ids=[name for name, _ in URLS])
def test_a_post_without_the_token_is_403_and_changes_nothing(ctx, name, parameters):
    """Signed in (with the CSRF cookie set, so only the form's token is missing) and not."""
    signed_in = csrf_client()
    signed_in.force_login(ctx.owner)
    signed_in.get(reverse("dashboard"))
    before = snapshot(ctx.owner)
    anonymous = csrf_client()
    anonymous.get(reverse("login"))
    url = url_of(name, parameters, ctx)

    for client in (signed_in, anonymous):
        response = client.post(url, valid_data(name, ctx))

        assert response.status_code == 403
        assert snapshot(ctx.owner) == before


def test_a_made_up_token_is_refused_even_with_the_cookie_set(ctx):
    client = csrf_client()
    client.force_login(ctx.owner)
    client.get(reverse("application_new"))
    cookie = client.cookies["csrftoken"].value
    before = snapshot(ctx.owner)

    response = client.post(
        reverse("applications_bulk"),
        {
            "csrfmiddlewaretoken": "x" * 32,
            "action": "close_rejected",
            "selected": str(ctx.application.pk),
        },
    )

    assert cookie
    assert response.status_code == 403
    assert snapshot(ctx.owner) == before


@pytest.mark.parametrize(
    "page, name",
    [
        ("application_new", "application_new"),
        ("preferences", "preferences"),
        ("import_upload", "import_upload"),
        ("csv_import", "csv_import-confirm"),
        ("password_change", "password_change"),
    ],
)
def test_a_post_with_the_token_from_its_page_goes_through(ctx, page, name):
    client = csrf_client()
    client.force_login(ctx.owner)
    token = token_from(client.get(reverse(page)))
    view = BASE[name]

    response = client.post(
        view.url(ctx, client), {**valid_data(name, ctx), "csrfmiddlewaretoken": token}
    )

    assert response.status_code == 302


def test_the_dashboards_one_click_check_in_carries_its_token(ctx):
    """The dashboard rows are a Jinja2 partial (config/jinja2.py), token included."""
    client = csrf_client()
    client.force_login(ctx.owner)
    html = client.get(reverse("dashboard")).content.decode()
    check_in_url = reverse("check_in", args=[ctx.application.pk])
    # The row's button sends the page's quick-actions form, token included.
    fields = submissions(html).get(check_in_url)
    assert fields is not None, "the application is due, so its row has the check-in button"
    assert fields["csrfmiddlewaretoken"]

    response = client.post(check_in_url, fields)

    assert response.status_code == 302
    assert FollowUp.objects.filter(application=ctx.application, date=ctx.today).exists()


def test_the_application_pages_actions_carry_their_token(ctx):
    client = csrf_client()
    client.force_login(ctx.owner)
    page = client.get(reverse("application_detail", args=[ctx.application.pk]))

    response = client.post(
        reverse("close", args=[ctx.application.pk]),
        {"outcome": "withdrawn", "csrfmiddlewaretoken": token_from(page)},
    )

    assert response.status_code == 302
    ctx.application.refresh_from_db()
    assert ctx.application.outcome == "withdrawn"


def test_login_is_csrf_protected_and_works_with_its_token(ctx):
    client = csrf_client()
    data = {"username": "owner", "password": "correct horse battery staple"}

    assert client.post(reverse("login"), data).status_code == 403
    assert "_auth_user_id" not in client.session

    token = token_from(client.get(reverse("login")))
    response = client.post(reverse("login"), {**data, "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(ctx.owner.pk)


def test_signup_is_csrf_protected_and_works_with_its_token(ctx):
    client = csrf_client()
    data = valid_data("signup", ctx)
    users = type(ctx.owner).objects.count()

    assert client.post(reverse("signup"), data).status_code == 403
    assert type(ctx.owner).objects.count() == users

    token = token_from(client.get(reverse("signup")))
    response = client.post(reverse("signup"), {**data, "csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert type(ctx.owner).objects.count() == users + 1


def test_logout_is_a_csrf_protected_post(ctx):
    client = csrf_client()
    client.force_login(ctx.owner)
    token = token_from(client.get(reverse("dashboard")))

    assert client.post(reverse("logout")).status_code == 403
    assert "_auth_user_id" in client.session
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_token_from_another_session_is_refused(ctx, stranger):
    mallory = csrf_client()
    mallory.force_login(stranger)
    token = token_from(mallory.get(reverse("application_new")))
    victim = csrf_client()
    victim.force_login(ctx.owner)
    victim.get(reverse("dashboard"))
    before = snapshot(ctx.owner)

    response = victim.post(
        reverse("close", args=[ctx.application.pk]),
        {"outcome": "rejected", "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 403
    assert snapshot(ctx.owner) == before


def test_a_post_from_another_sites_page_is_refused_even_with_a_token(ctx):
    """Over HTTPS Django also checks where the post comes from (Origin, else Referer)."""
    client = csrf_client()
    client.force_login(ctx.owner)
    token = token_from(client.get(reverse("application_new"), secure=True))
    url = reverse("close", args=[ctx.application.pk])
    data = {"outcome": "rejected", "csrfmiddlewaretoken": token}

    from_elsewhere = client.post(url, data, secure=True, headers={"Origin": "https://evil.example"})
    no_referer = client.post(url, data, secure=True)

    assert from_elsewhere.status_code == 403
    assert no_referer.status_code == 403
    assert Application.objects.get(pk=ctx.application.pk).outcome == ""
    same_site = client.post(url, data, secure=True, headers={"Referer": "https://testserver/"})
    assert same_site.status_code == 302
