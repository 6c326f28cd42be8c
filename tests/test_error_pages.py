"""The error pages: in our own words, in the site's layout, with a way back, and
never Django's bare defaults (DEBUG is off here, as in production)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views import defaults

from applications import selectors
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

DASHBOARD_LINK = '<a href="/">Go to your dashboard</a>'


def assert_our_page(response, status, heading):
    page = response.content.decode()
    assert response.status_code == status
    assert f"<h1>{heading}</h1>" in page
    assert f"<title>{heading} · Hearback</title>" in page
    assert DASHBOARD_LINK in page
    assert "/static/css/hearback" in page  # the site's own look
    return page


def test_an_unknown_address_answers_our_not_found_page_with_the_menu(owner_client):
    page = assert_our_page(owner_client.get("/no-such-page/"), 404, "Page not found")
    assert "There is nothing at this address." in page
    assert "Log out" in page  # the signed-in menu is there to go elsewhere


def test_someone_elses_application_looks_like_any_missing_page(owner_client, stranger):
    theirs = ApplicationFactory(owner=stranger, company="Their Secret Co")

    page = assert_our_page(
        owner_client.get(reverse("application_detail", args=[theirs.pk])), 404, "Page not found"
    )
    assert "Their Secret Co" not in page


def test_a_request_too_large_to_read_answers_our_bad_request_page(owner_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = owner_client.post(reverse("application_new"), {"application-notes": "x" * 2000})

    page = assert_our_page(response, 400, "This request could not be read")
    assert "nothing was changed" in page


def test_a_form_sent_without_its_csrf_token_answers_our_expired_form_page(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    response = client.post(reverse("application_new"), {"application-company": "Acme"})

    page = assert_our_page(response, 403, "This form has expired")
    assert "Nothing was saved." in page
    assert owner.applications.count() == 0


def test_a_refused_permission_answers_our_page():
    request = RequestFactory().get("/admin/")

    response = defaults.permission_denied(request, PermissionDenied())

    assert_our_page(response, 403, "Not open to this account")


def test_a_crash_answers_our_server_error_page(owner_client, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(selectors, "dashboard_get", broken)
    owner_client.raise_request_exception = False

    page = assert_our_page(owner_client.get("/"), 500, "Something went wrong on our side")
    assert "Your records are safe" in page
    assert "on fire" not in page  # no details of the failure are shown
