"""Nobody exhausts a worker with a body (issue #10): a request body over its limit is
refused from its Content-Length, never read nor parsed, whatever the address; only a
signed-in user's import may be larger; and the username that reaches the sign-in
lockout table is at most 150 characters, on SQLite and PostgreSQL alike."""

import copy
import io
import json
import time
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from applications.models import Application
from tests.test_interchange import spec_example

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data; boundary=hearback-test-boundary"
PASSWORD = "correct horse battery staple"  # the factories' password


class UnreadBody(io.RawIOBase):
    """`size` bytes of `pattern`, made only as they are read: `read_bytes` tells how much
    of the body the server read."""

    def __init__(self, size, pattern=b"%41"):
        super().__init__()
        self.size, self.pattern, self.read_bytes = size, pattern, 0

    def readable(self):
        return True

    def read(self, n=-1):
        left = self.size - self.read_bytes
        n = left if n is None or n < 0 else min(n, left)
        self.read_bytes += n
        return (self.pattern * (n // len(self.pattern) + 1))[:n]


def attacker():
    """A client as a stranger's script is: the CSRF check on, from outside, and a 500
    shown as the 500 a visitor would get."""
    return Client(
        enforce_csrf_checks=True, raise_request_exception=False, REMOTE_ADDR="203.0.113.9"
    )


def post_body(client, path, body, content_type=FORM):
    started = time.monotonic()
    response = client.generic(
        "POST",
        path,
        CONTENT_TYPE=content_type,
        CONTENT_LENGTH=str(body.size),
        **{"wsgi.input": body},
    )
    return response, time.monotonic() - started


def assert_refused_unread(response, seconds, body):
    assert response.status_code == 400
    assert "This request could not be read" in response.content.decode()
    assert body.read_bytes == 0
    assert seconds < 2


# ----------------------------------------------------------------------------------------
# Every page: Django's 2.5 MiB, from the Content-Length


@pytest.mark.parametrize("content_type", [FORM, MULTIPART], ids=["form", "multipart"])
@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/no-such-page/", "/", "/applications/new/", "/admin/login/"],
    ids=["sign-in", "missing", "dashboard", "new-application", "admin-sign-in"],
)
def test_a_40_mb_post_anywhere_is_refused_without_being_read(path, content_type):
    body = UnreadBody(40 * MB)

    response, seconds = post_body(attacker(), path, body, content_type)

    assert_refused_unread(response, seconds, body)


def test_a_signed_in_user_gets_the_same_limit_on_every_other_page(owner):
    client = attacker()
    client.force_login(owner)
    body = UnreadBody(3 * MB)

    response, seconds = post_body(client, reverse("application_new"), body)

    assert_refused_unread(response, seconds, body)
    assert Application.objects.count() == 0


def test_a_body_within_the_limit_is_read_as_usual(owner_client):
    notes = "x" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2)

    response = owner_client.post(reverse("application_new"), {"application-notes": notes})

    assert response.status_code == 400  # the form again: company and role are missing
    assert response.context["form"].errors["company"]


# ----------------------------------------------------------------------------------------
# The import pages: larger, for a signed-in user only


@pytest.mark.parametrize("name", ["import_upload", "csv_import"])
def test_a_signed_out_post_to_an_import_page_gets_the_usual_limit_unread(name):
    body = UnreadBody(3 * MB)

    response, seconds = post_body(attacker(), reverse(name), body, MULTIPART)

    assert_refused_unread(response, seconds, body)


@pytest.mark.parametrize("name", ["import_upload", "csv_import"])
def test_an_import_page_takes_only_its_own_forms_larger(owner, name):
    # Its forms are multipart; a url-encoded body is the costly kind to parse.
    client = attacker()
    client.force_login(owner)
    body = UnreadBody(3 * MB)

    response, seconds = post_body(client, reverse(name), body, FORM)

    assert_refused_unread(response, seconds, body)


@pytest.mark.parametrize("name", ["import_upload", "csv_import"])
def test_an_import_over_its_own_limit_is_refused_unread(owner, name):
    client = attacker()
    client.force_login(owner)
    body = UnreadBody(django_settings.HEARBACK_MAX_UPLOAD_BODY_BYTES + 1)

    response, seconds = post_body(client, reverse(name), body, MULTIPART)

    assert_refused_unread(response, seconds, body)


def test_a_json_file_larger_than_other_pages_take_is_imported(owner_client):
    document = spec_example()
    application = document["applications"][0]
    application["notes"] = "n" * 9000
    document["applications"] = [copy.deepcopy(application) for _ in range(400)]
    raw = json.dumps(document).encode()
    assert len(raw) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = owner_client.post(
        reverse("import_upload"), {"file": SimpleUploadedFile("big.json", raw)}
    )

    assert response.status_code == 302
    assert Application.objects.count() == 400


def test_a_large_csv_previews_and_its_confirm_button_saves_then_the_usual_limit_is_back(
    owner_client,
):
    # The file is over Django's limit, and the confirm button sends its text back in a
    # form field (with CRLF line breaks, as a browser does), over that limit too.
    header = "company,role,applied_on,notes\n"
    text = header + ("Acme,Dev,2026-11-02," + "x" * 9000 + "\n") * 300
    resent = text.replace("\n", "\r\n")
    assert len(text) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    url = reverse("csv_import")

    previewed = owner_client.post(url, {"file": SimpleUploadedFile("big.csv", text.encode())})
    confirmed = owner_client.post(url, {"csv_text": resent})

    assert previewed.status_code == 200 and not previewed.context["errors"]
    assert confirmed.status_code == 302
    assert Application.objects.count() == 300
    assert django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2_621_440
    body = UnreadBody(3 * MB)
    assert_refused_unread(*post_body(attacker(), reverse("login"), body), body)


# ----------------------------------------------------------------------------------------
# The username that reaches the lockout table


@pytest.fixture
def throttled(settings):
    """django-axes on, as in production (config/settings_test.py turns it off)."""
    settings.AXES_ENABLED = True
    return settings


def usernames_stored():
    return [
        row.username
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
        for row in model.objects.all()
    ]


def test_an_8_mb_username_is_refused_unread_and_the_lockout_table_stays_empty(throttled):
    data = urlencode({"username": "a" * (8 * MB), "password": "x"}).encode()
    body = UnreadBody(len(data), pattern=data)

    response, seconds = post_body(attacker(), reverse("login"), body)

    assert_refused_unread(response, seconds, body)
    assert usernames_stored() == []


@pytest.mark.parametrize("length", [151, 1_000_000])
@pytest.mark.parametrize("name", ["login", "admin:login"])
def test_a_username_over_150_characters_is_refused_before_the_password_is_tried(
    throttled, name, length
):
    client = Client(raise_request_exception=False)

    response = client.post(reverse(name), {"username": "a" * length, "password": "x"})

    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors["username"] == [
        f"Ensure this value has at most 150 characters (it has {length})."
    ]
    assert usernames_stored() == []


@pytest.mark.parametrize("name", ["login", "admin:login"])
def test_a_150_character_username_still_counts_towards_the_lockout(throttled, name):
    client = Client(raise_request_exception=False)

    client.post(reverse(name), {"username": "a" * 150, "password": "x"})

    assert usernames_stored() == ["a" * 150]
