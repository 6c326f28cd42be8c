"""Secure by default (issue #5): the deploy settings and the strong-key rule, the
Content-Security-Policy, sign-in throttling (django-axes), a new session at sign-in,
and deleting an account with everything in it.

The HTTPS-only settings are read at start-up from the environment, and the suite itself
runs with HEARBACK_PLAIN_HTTP=on (config/settings_test.py), so they are checked in a
fresh `manage.py` / Python process with the environment each case needs."""

import datetime
import json
import os
import re
import runpy
import secrets
import sqlite3
import subprocess
import sys
from html.parser import HTMLParser
from importlib import import_module
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, models
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from applications import services
from applications.models import (
    Application,
    Contact,
    DigestClaim,
    FollowUp,
    Interview,
    Preferences,
)
from applications.views.accounts import client_ip
from tests.factories import ApplicationFactory, PreferencesFactory, UserFactory, full_application

User = get_user_model()
BASE_DIR = Path(django_settings.BASE_DIR)
PASSWORD = "correct horse battery staple"  # the factories' password
LOGIN = reverse("login")
ACCOUNT_DELETE = reverse("account_delete")
ONE_YEAR = 365 * 24 * 60 * 60


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# ----------------------------------------------------------------------------------------
# Deploy settings, in a fresh process


def strong_key():
    return secrets.token_urlsafe(50)


def server_env(tmp_path, **overrides):
    """The environment of a production server: DEBUG off, HTTPS only, a strong key.
    Everything the check depends on is given, so neither the shell nor a .env file
    beside manage.py changes the outcome; `None` leaves a variable out."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'server.sqlite3'}",
        "DEBUG": "off",
        "HEARBACK_PLAIN_HTTP": "off",
        "SECRET_KEY": strong_key(),
        "ALLOWED_HOSTS": "hearback.example.com",
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# Run in a fresh process: the settings that matter, and what a browser would get for the
# sign-in page over plain HTTP and through the TLS proxy (X-Forwarded-Proto: https).
PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

def answer(response):
    cookie = response.cookies.get(settings.CSRF_COOKIE_NAME)
    return {
        "status": response.status_code,
        "location": response.get("Location"),
        "hsts": response.get("Strict-Transport-Security"),
        "csp": response.get("Content-Security-Policy"),
        "frame": response.get("X-Frame-Options"),
        "nosniff": response.get("X-Content-Type-Options"),
        "referrer": response.get("Referrer-Policy"),
        "csrf_cookie": None if cookie is None else {
            "secure": bool(cookie["secure"]),
            "httponly": bool(cookie["httponly"]),
            "samesite": cookie["samesite"],
        },
    }

names = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_HTTPONLY", "HEARBACK_PROXY_COUNT",
]
facts = {name: getattr(settings, name) for name in names}
# No collectstatic here: plain static file names instead of the production manifest.
with override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}):
    facts["http"] = answer(Client().get("/accounts/login/"))
    facts["https"] = answer(
        Client().get("/accounts/login/", headers={"x-forwarded-proto": "https"})
    )
print(json.dumps(facts))
"""


def probe(env):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=BASE_DIR,
        env={**env, "ALLOWED_HOSTS": "testserver"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_reports_nothing_with_debug_off(tmp_path):
    result = manage(server_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_with_debug_off_every_request_goes_to_https_with_hsts_and_secure_cookies(tmp_path):
    facts = probe(server_env(tmp_path))

    assert facts["SECURE_SSL_REDIRECT"] is True
    assert facts["SECURE_HSTS_SECONDS"] == ONE_YEAR
    assert facts["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and facts["SECURE_HSTS_PRELOAD"]
    assert facts["SESSION_COOKIE_SECURE"] and facts["SESSION_COOKIE_HTTPONLY"]
    assert facts["CSRF_COOKIE_SECURE"] is True
    assert facts["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert facts["HEARBACK_PROXY_COUNT"] == 1  # the TLS proxy
    # Plain HTTP is sent to HTTPS ...
    assert facts["http"]["status"] == 301
    assert facts["http"]["location"] == "https://testserver/accounts/login/"
    # ... and what came through the TLS proxy is served, with HSTS and Secure cookies.
    https = facts["https"]
    assert https["status"] == 200
    assert https["hsts"] == f"max-age={ONE_YEAR}; includeSubDomains; preload"
    assert https["csrf_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert https["frame"] == "DENY"
    assert https["nosniff"] == "nosniff"
    assert https["referrer"] == "same-origin"
    assert "script-src 'self'" in https["csp"]


@pytest.mark.parametrize(
    "key, reason",
    [
        ("a-short-but-varied-key-0123456789", "it has 33 characters, fewer than 50"),
        ("ab" * 40, "fewer than 5 different characters"),
        ("django-insecure-" + "x7Kq9-Lm2Zp4" * 5, "the mark of a development key"),
    ],
    ids=["short", "few-characters", "django-insecure"],
)
def test_a_weak_secret_key_stops_the_server_with_debug_off(tmp_path, key, reason):
    result = manage(server_env(tmp_path, SECRET_KEY=key), "check", "--deploy")

    assert result.returncode != 0
    assert "SECRET_KEY is too weak for a server with DEBUG off" in result.stderr
    assert reason in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr  # how to make a good one
    assert key not in result.stdout + result.stderr  # the key itself is never shown


def test_a_missing_secret_key_stops_the_server_with_debug_off(tmp_path):
    result = manage(server_env(tmp_path, SECRET_KEY=None), "check")

    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_plain_http_switches_off_exactly_the_redirect_hsts_and_secure_cookies(tmp_path):
    env = server_env(tmp_path, HEARBACK_PLAIN_HTTP="on")

    check = manage(env, "check", "--deploy")
    facts = probe(env)

    assert check.returncode == 0, check.stderr
    warned = set(re.findall(r"\(security\.(W\d+)\)", check.stdout + check.stderr))
    # HSTS, HTTPS redirect, session cookie Secure, CSRF cookie Secure; nothing silenced.
    assert warned == {"W004", "W008", "W012", "W016"}
    assert "(0 silenced)" in check.stdout + check.stderr
    assert facts["SECURE_SSL_REDIRECT"] is False
    assert facts["SECURE_HSTS_SECONDS"] == 0
    assert facts["SESSION_COOKIE_SECURE"] is False
    assert facts["CSRF_COOKIE_SECURE"] is False
    assert facts["SECURE_PROXY_SSL_HEADER"] is None  # no proxy to trust
    assert facts["HEARBACK_PROXY_COUNT"] == 0
    http = facts["http"]
    assert http["status"] == 200 and http["location"] is None
    assert http["hsts"] is None
    assert http["csrf_cookie"]["secure"] is False
    # Everything else stays: CSP, framing, sniffing, referrer.
    assert "script-src 'self'" in http["csp"]
    assert (http["frame"], http["nosniff"], http["referrer"]) == ("DENY", "nosniff", "same-origin")


def test_make_run_needs_no_key_and_speaks_plain_http(tmp_path):
    facts = probe(server_env(tmp_path, DEBUG="on", SECRET_KEY=None))

    assert facts["DEBUG"] is True
    assert facts["http"]["status"] == 200
    assert facts["SESSION_COOKIE_SECURE"] is False


def test_a_fresh_database_gets_the_throttling_tables_from_migrate(tmp_path):
    database = tmp_path / "fresh.sqlite3"
    env = server_env(tmp_path, DEBUG="on", DATABASE_URL=f"sqlite:///{database}")

    result = manage(env, "migrate", "--noinput")

    assert result.returncode == 0, result.stderr
    with sqlite3.connect(database) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert {"axes_accessattempt", "applications_application"} <= tables


# ----------------------------------------------------------------------------------------
# Content-Security-Policy

EXPECTED_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def policy_of(response):
    header = response["Content-Security-Policy"]
    directives = (part.strip().split(None, 1) for part in header.split(";") if part.strip())
    return {name: value for name, value in directives}


@pytest.mark.django_db
@pytest.mark.parametrize("path", [LOGIN, "/", "/admin/login/"], ids=["login", "dashboard", "admin"])
def test_every_page_carries_the_policy_with_nothing_inline_allowed(client, owner, path):
    client.force_login(owner)

    response = client.get(path, follow=True)

    assert policy_of(response) == EXPECTED_POLICY
    assert "unsafe" not in response["Content-Security-Policy"]


# What the policy refuses: inline <script>, <style>, style="" and on*="" attributes.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b", re.IGNORECASE)
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.DOTALL)
FORBIDDEN_ATTRIBUTE = re.compile(r"\s(style|on[a-z]+)\s*=", re.IGNORECASE)
EMAIL_TEMPLATES = BASE_DIR / "templates" / "applications" / "email"  # mail, not pages


def test_no_template_has_inline_script_or_style():
    problems = []
    for template in sorted((BASE_DIR / "templates").rglob("*.html")):
        if EMAIL_TEMPLATES in template.parents:
            continue
        source = template.read_text(encoding="utf-8")
        where = template.relative_to(BASE_DIR)
        problems += [f"{where}: {m[0]}" for m in INLINE_SCRIPT.finditer(source)]
        problems += [f"{where}: <style>" for _ in INLINE_STYLE.finditer(source)]
        for tag in TAG.findall(source):
            problems += [f"{where}: {m[1]}= in {tag}" for m in FORBIDDEN_ATTRIBUTE.finditer(tag)]
        if "javascript:" in source:
            problems.append(f"{where}: javascript: URL")
    assert problems == []


class InlineFinder(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would refuse in a rendered page."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            # The bookmarklet is meant to be dragged to the bookmarks bar and run on a job
            # ad, never clicked here (where the policy would refuse it).
            if (
                name in {"href", "src", "action"}
                and (value or "").strip().lower().startswith("javascript:")
                and "bookmarklet" not in attributes.get("class", "")
            ):
                self.problems.append(f"<{tag} {name}=javascript:...>")


def inline_problems(html):
    finder = InlineFinder()
    finder.feed(html)
    return finder.problems


def _our_get_urls(sample):
    """Every named URL pattern of ours (the admin is walked separately)."""

    def walk(resolver):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.app_name != "admin":
                    yield from walk(entry)
            elif isinstance(entry, URLPattern) and entry.name:
                yield entry.name, sorted(entry.pattern.regex.groupindex)

    for name, parameters in sorted(set((n, tuple(p)) for n, p in walk(get_resolver()))):
        yield name, reverse(name, kwargs={p: sample[p] for p in parameters})


def parts_of(application):
    """The URL arguments naming one of the application's interviews, people, follow-ups."""
    return {
        "interview_pk": application.interviews.first().pk,
        "contact_pk": application.contacts.first().pk,
        "follow_up_pk": application.follow_ups.first().pk,
    }


@pytest.mark.django_db
def test_no_rendered_page_of_ours_has_inline_script_or_style(client, owner):
    application = full_application(owner)
    services.calendar_token_regenerate(preferences=PreferencesFactory(user=owner))
    sample = {
        "pk": application.pk,
        "kind": "thank_you",
        "uidb64": "MQ",
        "token": "x",
        **parts_of(application),
    }
    client.force_login(owner)
    pages = {}
    for name, url in _our_get_urls(sample):
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages[name] = response.content.decode()
    client.logout()
    for name in ("login", "signup", "password_reset"):
        pages[f"{name} (signed out)"] = client.get(reverse(name)).content.decode()

    assert {"dashboard", "application_detail", "preferences", "account_delete"} <= set(pages)
    problems = {name: inline_problems(html) for name, html in pages.items()}
    assert {name: found for name, found in problems.items() if found} == {}


@pytest.mark.django_db
def test_no_cache_may_keep_anything_a_signed_in_user_is_answered(client, owner):
    """Every URL of ours and the admin's, signed in: pages, the API, the downloads, the
    redirects and refusals alike. (The calendar feed, fetched without a session by
    calendar apps, keeps its own `private, max-age=900`: tests/test_calendar_feed.py.)"""
    application = full_application(owner)
    token = services.calendar_token_regenerate(preferences=PreferencesFactory(user=owner))
    sample = {
        "pk": application.pk,
        "kind": "thank_you",
        "uidb64": "MQ",
        "token": token,
        **parts_of(application),
    }
    client.force_login(owner)
    urls = [*_our_get_urls(sample), ("admin:index", reverse("admin:index"))]
    kept = {}
    for name, url in urls:
        response = client.get(url)
        directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        if not {"no-store", "private"} <= directives:
            kept[name] = (response.status_code, response.get("Cache-Control"))

    assert {"dashboard", "api_applications", "csv_export", "export_download"} <= {
        name for name, _ in urls
    }
    assert kept == {}


@pytest.mark.django_db
def test_the_admin_needs_nothing_inline_either(client):
    """Django's admin (5.2) loads all its script from files, with data in data-
    attributes; its one <style> (a change list with its actions switched off) is not
    used here. Its scripts set styles through the DOM, which the policy allows."""
    staff = UserFactory(username="boss", is_staff=True, is_superuser=True)
    application = full_application(staff)
    client.force_login(staff)
    paths = [
        reverse("admin:index"),
        reverse("admin:applications_application_changelist"),
        reverse("admin:applications_application_changelist") + "?applied_on__year=2026",
        reverse("admin:applications_application_change", args=[application.pk]),
        reverse("admin:applications_application_add"),
        reverse("admin:applications_interview_changelist"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_change", args=[staff.pk]),
        reverse("admin:axes_accessattempt_changelist"),
    ]
    problems = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert policy_of(response) == EXPECTED_POLICY
        problems[path] = inline_problems(response.content.decode())
    assert {path: found for path, found in problems.items() if found} == {}


# ----------------------------------------------------------------------------------------
# Sign-in throttling (django-axes)


@pytest.fixture
def throttled(settings):
    """django-axes on, as in production (config/settings_test.py turns it off for the
    test client's login(), which has no request to show it)."""
    settings.AXES_ENABLED = True
    return settings


def sign_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def fail(client, username, times, **extra):
    for _ in range(times):
        response = sign_in(client, username, "not-the-password", **extra)
        assert response.status_code == 200  # the form again, with its error
    return response


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_username_out_from_that_address(client, owner, throttled):
    fail(client, "owner", 4)

    fifth = sign_in(client, "owner", "not-the-password")
    sixth = sign_in(client, "owner", PASSWORD)  # even the right one

    assert fifth.status_code == 429
    assert sixth.status_code == 429
    html = sixth.content.decode()
    assert "Too many sign-in attempts" in html
    assert "wrong 5 times in a row" in html
    assert "try again in 1\xa0hour" in html
    assert f'href="{reverse("password_reset")}"' in html
    assert signed_in_user_id(client) is None


@pytest.mark.django_db
def test_the_lockout_covers_the_admin_sign_in_too(client, owner, throttled):
    for _ in range(5):
        response = client.post(
            reverse("admin:login"), {"username": "owner", "password": "not-the-password"}
        )

    assert response.status_code == 429
    assert sign_in(client, "owner", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_the_lockout_is_for_that_username_and_address_only(owner, stranger, throttled):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    fail(attacker, "owner", 4)
    assert sign_in(attacker, "owner", "not-the-password").status_code == 429

    other_user_same_address = sign_in(attacker, "stranger", PASSWORD)
    owner_elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    same_user_other_address = sign_in(owner_elsewhere, "owner", PASSWORD)

    assert other_user_same_address.status_code == 302
    assert same_user_other_address.status_code == 302
    assert signed_in_user_id(owner_elsewhere) == str(owner.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("minutes_ago, locked", [(59, True), (61, False)])
def test_the_lockout_ends_after_an_hour(client, owner, throttled, minutes_ago, locked):
    fail(client, "owner", 4)
    sign_in(client, "owner", "not-the-password")
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )

    response = sign_in(client, "owner", PASSWORD)

    assert response.status_code == (429 if locked else 302)


@pytest.mark.django_db
def test_staff_can_lift_a_lockout_with_axes_reset(client, owner, throttled):
    fail(client, "owner", 4)
    sign_in(client, "owner", "not-the-password")

    call_command("axes_reset_username", "owner")

    assert sign_in(client, "owner", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_a_successful_sign_in_starts_the_count_again(client, owner, throttled):
    fail(client, "owner", 4)
    assert sign_in(client, "owner", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()

    fail(client, "owner", 4)  # would have been the 5th..8th failures

    assert sign_in(client, "owner", "not-the-password").status_code == 429


@pytest.mark.django_db
def test_signing_up_still_signs_the_new_user_in(client, throttled):
    password = "a-fresh-Passphrase-for-2027"

    response = client.post(
        reverse("signup"), {"username": "dana", "password1": password, "password2": password}
    )

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(User.objects.get(username="dana").pk)


# Behind the TLS proxy every request comes from the proxy's address; the visitor's is the
# last X-Forwarded-For entry the proxy appended.


@pytest.mark.parametrize(
    "proxies, forwarded_for, expected",
    [
        (0, "203.0.113.9", "10.0.0.1"),  # no proxy: the header is the visitor's own claim
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.20, 203.0.113.9", "203.0.113.9"),  # forged entry on the left
        (2, "198.51.100.20, 203.0.113.9", "198.51.100.20"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer entries than proxies: misconfigured
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, None, "10.0.0.1"),
    ],
)
def test_the_visitors_address_is_counted_from_the_right(settings, proxies, forwarded_for, expected):
    settings.HEARBACK_PROXY_COUNT = proxies
    settings.FORWARDED_ALLOW_IPS = ["10.0.0.1"]  # the proxy, on another host
    headers = {} if forwarded_for is None else {"x-forwarded-for": forwarded_for}
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="10.0.0.1", headers=headers)

    assert client_ip(request) == expected


@pytest.mark.django_db
def test_behind_the_proxy_one_visitor_is_locked_out_not_everyone(owner, throttled):
    throttled.HEARBACK_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    attacker = Client(**proxy, headers={"x-forwarded-for": "203.0.113.9"})
    fail(attacker, "owner", 4)
    assert sign_in(attacker, "owner", "not-the-password").status_code == 429
    # Forging an address on the left changes nothing: the proxy appended the real one.
    forger = Client(**proxy, headers={"x-forwarded-for": "198.51.100.20, 203.0.113.9"})
    assert sign_in(forger, "owner", PASSWORD).status_code == 429

    owner_at_home = Client(**proxy, headers={"x-forwarded-for": "198.51.100.20"})

    assert sign_in(owner_at_home, "owner", PASSWORD).status_code == 302


# Gunicorn reached directly, not through the proxy: whoever connects may write the
# forwarded headers, so they count only from the proxies of FORWARDED_ALLOW_IPS.

OUTSIDER = "203.0.113.50"  # not a proxy: the default FORWARDED_ALLOW_IPS is this host


@pytest.mark.django_db
def test_a_rotating_forwarded_for_from_outside_the_proxies_does_not_dodge_the_lockout(
    owner, throttled
):
    throttled.HEARBACK_PROXY_COUNT = 1  # as in production
    for n in range(5):
        direct = Client(REMOTE_ADDR=OUTSIDER, headers={"x-forwarded-for": f"198.51.100.{n}"})
        sign_in(direct, "owner", "not-the-password")

    direct = Client(REMOTE_ADDR=OUTSIDER, headers={"x-forwarded-for": "198.51.100.99"})

    assert sign_in(direct, "owner", PASSWORD).status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {OUTSIDER}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "peer, allowed, believed",
    [
        ("127.0.0.1", ["127.0.0.1", "::1"], True),  # the proxy on this host
        ("::1", ["127.0.0.1", "::1"], True),
        (OUTSIDER, ["127.0.0.1", "::1"], False),
        ("10.0.0.7", ["10.0.0.0/24"], True),  # a network, as gunicorn reads it
        ("10.0.1.7", ["10.0.0.0/24"], False),
        (OUTSIDER, ["*"], True),  # any peer: nothing else can reach gunicorn
    ],
)
def test_https_and_the_visitors_address_are_believed_from_the_proxies_only(
    client, owner, settings, peer, allowed, believed
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # production's
    settings.HEARBACK_PROXY_COUNT = 1
    settings.FORWARDED_ALLOW_IPS = allowed
    headers = {"x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.20"}

    request = client.get(LOGIN, REMOTE_ADDR=peer, headers=headers).wsgi_request

    assert request.is_secure() is believed
    assert client_ip(request) == ("198.51.100.20" if believed else peer)


def test_a_malformed_forwarded_allow_ips_stops_the_server(tmp_path):
    result = manage(server_env(tmp_path, FORWARDED_ALLOW_IPS="127.0.0.1,10.0.0.1/24"), "check")

    assert result.returncode != 0
    assert "FORWARDED_ALLOW_IPS: 10.0.0.1/24 has host bits set" in result.stderr


def test_gunicorn_and_hearback_read_the_same_proxies_by_default(monkeypatch):
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    gunicorn = runpy.run_path(str(BASE_DIR / "config" / "gunicorn.conf.py"))

    assert gunicorn["forwarded_allow_ips"].split(",") == ["127.0.0.1", "::1"]
    assert django_settings.FORWARDED_ALLOW_IPS == ["127.0.0.1", "::1"]


# ----------------------------------------------------------------------------------------
# A new session at sign-in


@pytest.mark.django_db
def test_signing_in_replaces_the_session_key(client, owner, throttled):
    """A session key planted before sign-in (session fixation) is worthless after it."""
    session = client.session  # an anonymous session, saved, its cookie in the client
    session["planted"] = "before sign-in"
    session.save()
    before = session.session_key
    store = import_module(django_settings.SESSION_ENGINE).SessionStore

    response = sign_in(client, "owner", PASSWORD)

    after = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    assert response.status_code == 302
    assert after != before
    assert not store().exists(before)
    assert client.session["_auth_user_id"] == str(owner.pk)


# ----------------------------------------------------------------------------------------
# Deleting an account


def everything_of(user):
    """How many rows of each kind belong to `user`."""
    return {
        "applications": Application.objects.filter(owner=user).count(),
        "contacts": Contact.objects.filter(application__owner=user).count(),
        "interviews": Interview.objects.filter(application__owner=user).count(),
        "follow_ups": FollowUp.objects.filter(application__owner=user).count(),
        "preferences": Preferences.objects.filter(user=user).count(),
        "digest_claims": DigestClaim.objects.filter(user=user).count(),
        "sign_in_failures": AccessAttempt.objects.filter(username=user.username).count(),
    }


def failed_sign_in(username):
    return AccessAttempt.objects.create(
        username=username,
        ip_address="203.0.113.9",
        user_agent="test",
        http_accept="*/*",
        path_info=LOGIN,
        get_data="",
        post_data="",
        failures_since_start=1,
    )


def give_data(user):
    full_application(user)
    full_application(user)
    services.calendar_token_regenerate(preferences=PreferencesFactory(user=user))
    DigestClaim.objects.create(user=user, day=datetime.date(2026, 12, 1))
    failed_sign_in(user.username)
    return everything_of(user)


@pytest.mark.django_db
def test_the_settings_page_links_to_account_deletion(owner_client):
    html = owner_client.get(reverse("preferences")).content.decode()

    assert f'href="{ACCOUNT_DELETE}"' in html


@pytest.mark.django_db
def test_the_confirmation_says_what_goes_and_offers_the_download_first(owner, owner_client):
    before = give_data(owner)

    response = owner_client.get(ACCOUNT_DELETE)

    html = response.content.decode()
    assert response.status_code == 200
    assert "your 2 applications" in html
    assert "deletes your account and everything in it for good" in html
    assert "can't be undone" in html
    assert f'href="{reverse("export_download")}"' in html
    assert re.search(r'<input type="password" name="password"[^>]*required', html)
    assert everything_of(owner) == before  # looking deletes nothing


@pytest.mark.django_db
def test_the_right_password_deletes_the_account_and_all_its_data(owner, stranger, owner_client):
    give_data(owner)
    theirs = give_data(stranger)

    response = owner_client.post(ACCOUNT_DELETE, {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert not User.objects.filter(username="owner").exists()
    assert everything_of(owner) == dict.fromkeys(theirs, 0)
    assert everything_of(stranger) == theirs
    assert signed_in_user_id(owner_client) is None
    page = owner_client.get(LOGIN).content.decode()
    assert "Your account and everything in it are deleted" in page


@pytest.mark.django_db
def test_no_table_keeps_a_row_pointing_at_a_deleted_user(owner, owner_client):
    give_data(owner)
    pk = owner.pk

    owner_client.post(ACCOUNT_DELETE, {"password": PASSWORD})

    left = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is User:
                count = model._default_manager.filter(**{field.attname: pk}).count()
                if count:
                    left[f"{model._meta.label}.{field.name}"] = count
    assert left == {}


@pytest.mark.django_db
def test_the_other_sessions_of_a_deleted_account_end_too(owner, owner_client):
    other_device = Client()
    other_device.force_login(owner)

    owner_client.post(ACCOUNT_DELETE, {"password": PASSWORD})

    assert other_device.get(reverse("dashboard")).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["wrong", ""], ids=["wrong", "missing"])
def test_without_the_right_password_nothing_is_deleted(owner, owner_client, password):
    before = give_data(owner)

    response = owner_client.post(ACCOUNT_DELETE, {"password": password})

    assert response.status_code == 400
    assert response.context["form"].errors["password"]
    assert everything_of(owner) == before
    assert signed_in_user_id(owner_client) == str(owner.pk)


@pytest.mark.django_db
def test_deleting_needs_the_csrf_token(owner):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    assert client.post(ACCOUNT_DELETE, {"password": PASSWORD}).status_code == 403
    assert User.objects.filter(pk=owner.pk).exists()


@pytest.mark.django_db
def test_guessing_the_password_on_the_delete_page_is_throttled_like_sign_in(
    owner, owner_client, throttled
):
    for _ in range(4):
        assert owner_client.post(ACCOUNT_DELETE, {"password": "guess"}).status_code == 400

    fifth = owner_client.post(ACCOUNT_DELETE, {"password": "guess"})
    sixth = owner_client.post(ACCOUNT_DELETE, {"password": PASSWORD})

    assert (fifth.status_code, sixth.status_code) == (429, 429)
    assert User.objects.filter(pk=owner.pk).exists()


@pytest.mark.django_db
def test_a_deletion_that_fails_half_way_deletes_nothing(owner, monkeypatch):
    give_data(owner)

    def broken_delete(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(User, "delete", broken_delete)
    with pytest.raises(RuntimeError):
        services.account_delete(user=owner)

    assert everything_of(owner)["sign_in_failures"] == 1  # deleted first, rolled back


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 30])
def test_the_confirmation_page_costs_the_same_queries_however_much_data(owner_client, owner, count):
    ApplicationFactory.create_batch(count, owner=owner)

    with CaptureQueriesContext(connection) as queries:
        owner_client.get(ACCOUNT_DELETE)

    # the session, the user, the count of applications
    assert len(queries) == 3
