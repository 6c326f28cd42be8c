"""What every request meets before a view: whose forwarded headers count, how large a
body may be, and which answers no cache may keep (the order: config/settings.py).

- `ForwardedHeadersMiddleware`: X-Forwarded-* headers count only from the proxies in
  FORWARDED_ALLOW_IPS, the setting gunicorn reads for the same purpose.
- `RequestBodyLimitMiddleware`: a body larger than Django's DATA_UPLOAD_MAX_MEMORY_SIZE
  is refused (400) from its Content-Length, before anything reads it; only the views
  marked `@accepts_uploads` take more, from a signed-in user.
- `PrivateAnswersMiddleware`: whatever a signed-in user is answered is marked
  `Cache-Control: no-store, private`.
- `ActionAddressPageMiddleware`: a browser opening a button's address (a POST-only
  action) gets a page saying so, not an empty 405.
"""

import contextlib
import ipaddress
import threading

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

# ----------------------------------------------------------------------------------------
# The proxy's word


def trusted_proxy(request) -> bool:
    """Did `request` come straight from one of our proxies (FORWARDED_ALLOW_IPS), so that
    its X-Forwarded-* headers are the proxy's word, not the visitor's?

    Read as gunicorn reads its `forwarded_allow_ips`: addresses or networks, `*` for
    any peer; a peer that is not an IP address is a unix socket, which only this host
    can reach, and is trusted as gunicorn trusts it."""
    allowed = settings.FORWARDED_ALLOW_IPS
    if "*" in allowed:
        return True
    try:
        peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return True
    return any(peer in ipaddress.ip_network(entry) for entry in allowed)


def _forwarded_header(name: str) -> bool:
    return name.startswith("HTTP_X_FORWARDED_") or name == "HTTP_FORWARDED"


class ForwardedHeadersMiddleware:
    """Forwarded headers from anyone but our proxies are dropped before anything reads
    them: X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER: is this HTTPS?) and
    X-Forwarded-For (`client_ip`: whose sign-in is this?). Gunicorn ignores the scheme
    headers of the same peers. First in MIDDLEWARE: the HTTPS redirect asks already."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forwarded = [name for name in request.META if _forwarded_header(name)]
        if forwarded and not trusted_proxy(request):
            for name in forwarded:
                del request.META[name]
        return self.get_response(request)


# ----------------------------------------------------------------------------------------
# Request bodies


def accepts_uploads(view):
    """Mark `view` as an import page: a signed-in user may send it a body of up to
    HEARBACK_MAX_UPLOAD_BODY_BYTES (RequestBodyLimitMiddleware); anyone else, and every
    other view, at most DATA_UPLOAD_MAX_MEMORY_SIZE. Put it outermost."""
    view.accepts_uploads = True
    return view


def _declared_length(request) -> int:
    """The body's length as Django will read it: Content-Length, 0 when missing or not a
    number (Django then reads nothing; gunicorn refuses such requests before us)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _uploads_limit(request) -> int | None:
    """HEARBACK_MAX_UPLOAD_BODY_BYTES for a signed-in user's multipart post to an import
    page (its forms send nothing else; a large url-encoded body is the costly kind to
    parse), else None. Resolving the path costs microseconds, and only large bodies ask."""
    if request.content_type != "multipart/form-data":
        return None
    try:
        view = resolve(request.path_info, getattr(request, "urlconf", None)).func
    except Resolver404:
        return None
    if getattr(view, "accepts_uploads", False) and request.user.is_authenticated:
        return settings.HEARBACK_MAX_UPLOAD_BODY_BYTES
    return None


# Django reads DATA_UPLOAD_MAX_MEMORY_SIZE from the settings whenever it parses a form
# and has no per-request value: the CSV preview's confirm button sends the file's text
# back in a form field, which may hold far more. While an import page's body that this
# middleware admitted is parsed, the setting is raised to what was admitted. That is
# safe for requests parsed meanwhile on other threads: each of them was admitted here,
# by its own Content-Length against the limit read at start-up, and Django never reads
# past Content-Length. The lock keeps two raises from overlapping.
_FIELD_LIMIT_RAISED = threading.Lock()


@contextlib.contextmanager
def _form_fields_up_to(limit: int, *, usual: int):
    with _FIELD_LIMIT_RAISED:
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = limit
        try:
            yield
        finally:
            settings.DATA_UPLOAD_MAX_MEMORY_SIZE = usual


class RequestBodyLimitMiddleware:
    """A body longer than its limit is refused from its Content-Length alone, as Django
    refuses a form over DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig: our 400 page),
    but never read nor parsed, whatever the address (a missing page too), so a large
    post costs a worker nothing. Under WSGI Django never reads past Content-Length.

    The limit is Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB; every form but an import
    is a few kilobytes), counted over the whole body, files included. A signed-in user's
    multipart post to an import page (`@accepts_uploads`) may hold
    HEARBACK_MAX_UPLOAD_BODY_BYTES.
    After AuthenticationMiddleware (it asks who is signed in), before any view: the CSRF
    check reads the form in its process_view, after every middleware's request step."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Read once, as Django's own middleware reads its settings: never the value
        # raised for a moment by another thread's import (see _form_fields_up_to).
        self.usual = settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    def __call__(self, request):
        length = _declared_length(request)
        if self.usual is not None and length > self.usual:
            limit = _uploads_limit(request)
            if limit is None or length > limit:
                raise RequestDataTooBig(f"A body of {length} bytes, over its limit here.")
            try:
                with _form_fields_up_to(limit, usual=self.usual):
                    request.POST  # noqa: B018 (parsed now, within the raised limit)
            except OSError:
                pass  # the client went away mid-upload: the CSRF check refuses the form
        return self.get_response(request)


# ----------------------------------------------------------------------------------------
# Caches


class PrivateAnswersMiddleware:
    """Every answer to a signed-in user, pages, the API, the downloads and redirects
    alike, is `Cache-Control: no-store, private`: no browser or proxy cache keeps a copy,
    so Back after signing out, a shared computer's disk or an office proxy shows nobody
    else the job search. The calendar feed has no session: its own header
    (views/calendar.py) says why it may be kept for 15 minutes by the calendar app.
    Static files are served before this (WhiteNoise) and stay cacheable for a year."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


# ----------------------------------------------------------------------------------------
# A button's address opened as a page


class ActionAddressPageMiddleware:
    """The actions' addresses answer only the POST of their button; opened in a browser
    (a pasted link, a bookmark) Django's 405 is empty and the browser shows its own
    error page. A browser asking for a page gets one saying what the address is, with
    the same status and Allow header; scripts (the API, the feed) keep the bare 405."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 405
            and request.method == "GET"
            and not response.content
            # A browser names text/html; a script asks for anything (*/*) or for JSON.
            and "text/html" in request.headers.get("Accept", "")
        ):
            page = render(request, "405.html", status=405)
            page["Allow"] = response["Allow"]
            return page
        return response
