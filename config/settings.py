"""Hearback settings: one module, every value from the environment (see .env.example).

Defaults suit a laptop (`make run`: SQLite under var/, DEBUG on via the Makefile).
With DEBUG off the values that must be chosen for production fail loudly when missing.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)


def secret_key_weakness(key):
    """Why `key` is too weak to sign sessions, password-reset links and CSRF tokens in
    production, or "" when it is strong enough. The rules are those of Django's own
    deploy check (security.W009), applied at start-up so a weak key cannot be deployed."""
    if key.startswith(SECRET_KEY_INSECURE_PREFIX):
        return f"it starts with {SECRET_KEY_INSECURE_PREFIX!r}, the mark of a development key"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"it has {len(key)} characters, fewer than {SECRET_KEY_MIN_LENGTH}"
    if len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        return f"it has fewer than {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different characters"
    return ""


# A random key would log everyone out on every restart; outside DEBUG one must be given,
# and a strong one. The message never shows the key itself.
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-hearback-local-development-only")
else:
    SECRET_KEY = env.str("SECRET_KEY")
    if weakness := secret_key_weakness(SECRET_KEY):
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak for a server with DEBUG off: {weakness}. Generate one "
            'with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "applications",
    # Django's own widget templates, for the form renderer below.
    "django.forms",
]
# Widgets render through the project's template settings, so a widget may have its own
# template under templates/ (the time zone drop-down does).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    # First: X-Forwarded-* count from our proxies only (FORWARDED_ALLOW_IPS), and the
    # HTTPS redirect just below asks already.
    "applications.middleware.ForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A body over its limit is refused unread (who is signed in decides the import
    # pages' limit); CSRF's check, which reads the form, comes after every request step.
    "applications.middleware.RequestBodyLimitMiddleware",
    # No cache keeps what a signed-in user is answered.
    "applications.middleware.PrivateAnswersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A browser opening a button's address gets a page saying so (its 405 is empty).
    "applications.middleware.ActionAddressPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Every page but login, signup and the calendar feed needs a signed-in user.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Last, as django-axes requires: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    # One hot partial, the dashboard's rows, is a Jinja2 template (`*.jinja`): see
    # config/jinja2.py for why. Django's engine comes first, so it serves every other page.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "config.jinja2.environment"},
    },
]

# SQLite tuned for a web server: readers never block the writer (WAL), writers queue for the
# lock at BEGIN instead of failing mid-transaction (IMMEDIATE), and wait up to 20 s
# (8 simultaneous large imports queue for ~14 s; gunicorn gives a request 30 s).
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=20000;"
        "PRAGMA foreign_keys=ON;"
    ),
}

# SQLite under var/ by default; DATABASE_URL=postgres://... for production.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'hearback.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Index scans cost little on today's disks; at PostgreSQL's default (4) the planner
    # reads every user's follow-ups to find one user's, so a page would slow as others'
    # data grows (measured by bench/bench_flatness.py).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c random_page_cost=1.1")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# ----------------------------------------------------------------------------------------
# Security. With DEBUG off Hearback speaks HTTPS only, behind a TLS proxy (nginx, Caddy)
# on the same host, and `manage.py check --deploy` has nothing to report.
# HEARBACK_PLAIN_HTTP=on is the one explicit way to serve a trusted LAN over plain HTTP:
# it switches off exactly the HTTPS redirect, HSTS and the cookies' Secure flag (the four
# warnings `check --deploy` then gives), nothing else.
HEARBACK_PLAIN_HTTP = env.bool("HEARBACK_PLAIN_HTTP", default=False)
HTTPS_ONLY = not DEBUG and not HEARBACK_PLAIN_HTTP

SECURE_SSL_REDIRECT = HTTPS_ONLY
# One year, subdomains included. "preload" only consents to the browsers' preload list
# (nothing is submitted; that is a manual step for a registrable domain), and without it
# `check --deploy` warns (security.W021).
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
# The proxies whose X-Forwarded-* headers are believed: addresses or networks
# (comma-separated; `*` for any peer, only when nothing else can reach gunicorn). The
# variable gunicorn reads too (config/gunicorn.conf.py), with the same default: this
# host. From any other peer the headers are dropped (applications/middleware.py).
FORWARDED_ALLOW_IPS = env.list("FORWARDED_ALLOW_IPS", default=["127.0.0.1", "::1"])
for _proxy in FORWARDED_ALLOW_IPS:
    try:
        if _proxy != "*":
            ipaddress.ip_network(_proxy)
    except ValueError as error:
        raise ImproperlyConfigured(f"FORWARDED_ALLOW_IPS: {error}") from None
# The TLS proxy tells Django the visitor came over HTTPS. Believed from the proxies of
# FORWARDED_ALLOW_IPS only, which set it (overwriting any a visitor sent). Without
# HTTPS_ONLY nothing is trusted.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS_ONLY else None

# The same in every mode (they are Django's defaults too; stated so nobody loosens them
# by accident).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# No script of ours reads the CSRF cookie: forms carry the token in a hidden field.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp): everything from this origin, no inline script or
# style anywhere (templates load static/js/*.js; email templates are mail, not pages).
# Django's admin works under it unchanged: it has no inline script (tests/test_security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# Sign-in throttling (django-axes): after 5 wrong passwords for one username from one
# address, that pair is refused for an hour (each new try meanwhile starts the hour
# again); one success clears the count. Pairing username with address keeps a stranger
# from locking someone out from elsewhere. The standalone backend only vetoes; the
# ModelBackend still checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "applications.views.accounts.locked_out"
# Keep only what throttling needs (failed attempts, which expire): no log of every
# successful sign-in with its address and browser.
AXES_DISABLE_ACCESS_LOG = True
# A failed attempt keeps the form's fields: mask every password field of the pages that
# ask for the password again (axes masks `password` itself), as well as its defaults.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "old_password",
    "new_password1",
    "new_password2",
]
# No start-up banner on every `manage.py` run (cron mails whatever a job prints).
AXES_VERBOSE = False
# The visitor's address: behind the TLS proxy REMOTE_ADDR is the proxy's, so it is read
# from X-Forwarded-For, counting HEARBACK_PROXY_COUNT entries from the right (the ones
# our own proxies appended; anything further left a visitor could have forged), when the
# request came from a proxy of FORWARDED_ALLOW_IPS. Default: one proxy with HTTPS_ONLY,
# none otherwise (plain HTTP, `make run`).
HEARBACK_PROXY_COUNT = env.int("HEARBACK_PROXY_COUNT", default=1 if HTTPS_ONLY else 0)
AXES_CLIENT_IP_CALLABLE = "applications.views.accounts.client_ip"

LANGUAGE_CODE = "en-us"
# English only until real translations exist: a browser asking for German must not get
# Django's German dates beside English sentences. Add a language here with its catalog.
LANGUAGES = [("en", "English")]
# The server's zone; each user's own zone (Preferences) decides their "today".
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Hearback <hearback@localhost>")

HEARBACK_OPEN_SIGNUP = env.bool("HEARBACK_OPEN_SIGNUP", default=True)
# Where this server is reached from outside: the links in emails (digests) start with it.
HEARBACK_BASE_URL = env.str("HEARBACK_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The largest import file accepted, in bytes (JSON upload page and the command alike).
HEARBACK_MAX_IMPORT_BYTES = env.int("HEARBACK_MAX_IMPORT_BYTES", default=20 * 1024 * 1024)
# Request bodies, refused from their Content-Length before anything reads them
# (applications/middleware.py). Every page: Django's own limit, 2.5 MiB (its default,
# stated so nobody raises it for one page). The import pages, for a signed-in user: a
# file, or the CSV preview's confirm button sending the file's text back in a form field,
# where the browser turns each line break into two characters: twice the file's limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
HEARBACK_MAX_UPLOAD_BODY_BYTES = 2 * HEARBACK_MAX_IMPORT_BYTES + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = HEARBACK_MAX_IMPORT_BYTES

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"hide_secret_urls": {"()": "config.log_filters.HideSecretURLs"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["hide_secret_urls"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
