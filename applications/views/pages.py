"""The pages a job seeker reads: the dashboard, closed applications, one application."""

import functools
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template import engines
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from markupsafe import Markup

from applications import selectors
from applications import status as engine
from applications.filters import ApplicationFilter
from applications.forms import (
    SHORT_TIMING_CHOICES,
    BulkActionForm,
    CheckInForm,
    CloseForm,
    ResponseForm,
    SnoozeForm,
    ThankYouForm,
    TimeZoneConfirmForm,
)
from applications.models import Application, InterviewFormat, Source
from applications.timeline import application_timeline, history_events
from applications.views.common import own_application, today_and_rules

# ----------------------------------------------------------------------------------------
# The dashboard's rows: two of the three speed exceptions (docs/architecture.md, "Speed")


@dataclass(frozen=True, slots=True)
class RowLinks:
    """Where a dashboard row's link and buttons go."""

    detail: str
    check_in: str
    snooze: str
    response: str
    close: str


class RowUrls:
    """`urls(application_id)`: the `RowLinks` of one dashboard row. Each URL name is
    reversed once per page, then filled in with each row's id.

    A speed exception (docs/architecture.md, "Speed"): a busy dashboard lists hundreds of
    applications with five links and buttons each, and Django's `reverse` costs ~10 us a
    call, ~13 ms of a page whose rows are all written afresh. Reversed once with a
    stand-in id, the same URLs cost well under a millisecond. Two are equal when they
    give the same URLs (part of a kept row's key, `DashboardRows`).
    """

    # The URL name of each link, by its name in RowLinks.
    NAMES = {
        "detail": "application_detail",
        "check_in": "check_in",
        "snooze": "snooze",
        "response": "response",
        "close": "close",
    }
    _STAND_IN = "2147483647"  # an id no row has, replaced by each row's own

    def __init__(self):
        self._split = tuple(
            (link, tuple(reverse(name, args=[self._STAND_IN]).split(self._STAND_IN)))
            for link, name in self.NAMES.items()
        )

    def __call__(self, application_id: int) -> RowLinks:
        pk = str(application_id)
        return RowLinks(**{link: pk.join(parts) for link, parts in self._split})

    def __eq__(self, other) -> bool:
        return isinstance(other, RowUrls) and self._split == other._split

    def __hash__(self) -> int:
        return hash(self._split)


@dataclass(frozen=True, slots=True)
class RowWords:
    """The words every dashboard row shows, in one language."""

    select: str  # the checkbox's label, "%(company)s" and "%(role)s" to fill in
    checked_in: str
    snooze: str
    responded: str
    close: str
    labels: dict  # each status in words, by its code

    @classmethod
    def in_active_language(cls) -> "RowWords":
        return cls(
            select=_("Select %(company)s, %(role)s"),
            checked_in=_("I checked in"),
            snooze=_("Snooze a week"),
            responded=_("They responded"),
            close=_("Close…"),
            labels={code: str(label) for code, label in engine.LABELS.items()},
        )


@dataclass(frozen=True, slots=True)
class RowPage:
    """What a dashboard row's markup depends on besides its application: the same for
    every row of one page. `template` is the row's Jinja2 template as loaded (a new one
    when its file is edited under DEBUG, so rows written by the old one are not shown).
    Its `words` follow from its `language`, so they are not compared."""

    template: object
    language: str
    as_of: date
    next_path: str
    urls: RowUrls
    words: RowWords = dataclass_field(compare=False)


class DashboardRows:
    """`rows(applications)`: the markup of the dashboard rows of `applications`
    (`selectors.ApplicationRow`s), each written by `partials/dashboard_row.jinja`.

    A speed exception (docs/architecture.md, "Speed"): each row's markup is kept once
    written. A busy dashboard shows hundreds of rows, and writing them costs ~9.5 ms at
    300 applications; after each one-click action the dashboard is shown again with one
    row changed. A row is kept under everything it shows: the application's id, company
    and role, its whole `Status` (the reason is written from it), and its `RowPage`
    (template, language, today, links). Anything that changes one of these makes a new
    key, so a kept row is never out of date and never another's. The row's template
    uses nothing else (it has no request: no CSRF token, which the page's one
    `quick-actions` form carries). At most ROWS_KEPT rows are kept per process, least
    recently used dropped.
    """

    def __init__(self, *, as_of: date, next_path: str):
        self.page = RowPage(
            # The Jinja2 environment's own template: rows are written without the request.
            engines["jinja2"].env.get_template(ROW_TEMPLATE),
            get_language(),
            as_of,
            next_path,
            RowUrls(),
            RowWords.in_active_language(),
        )

    def __call__(self, rows) -> Markup:
        page = self.page
        return Markup("").join(
            [row_markup(page, row.id, row.company, row.role, row.status) for row in rows]
        )


# A row is about 1 KB; at most 6 KB (a company and a role of 200 characters, each one
# escaped to five): at most ~30 MB a process, a few MB in use.
ROWS_KEPT = 5000
ROW_TEMPLATE = "applications/partials/dashboard_row.jinja"


@functools.lru_cache(maxsize=ROWS_KEPT)
def row_markup(page: RowPage, pk: int, company: str, role: str, status: engine.Status) -> Markup:
    """One dashboard row, written in the active language (the page's)."""
    return page.template.module.row(pk, company, role, status, page.urls(pk), page)


@login_not_required
@require_GET
def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever a page links to: the icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@require_GET
def dashboard(request):
    as_of, rules = today_and_rules(request.user)
    board = selectors.dashboard_get(user=request.user, as_of=as_of, rules=rules)
    # The sections of rows come from a Jinja2 partial: config/jinja2.py says why.
    sections = get_template("applications/partials/dashboard_sections.jinja", using="jinja2")
    rows = DashboardRows(as_of=as_of, next_path=request.path)
    context = {
        "board": board,
        "as_of": as_of,
        "next_path": request.path,
        "rows_markup": rows,
        "labels": rows.page.words.labels,
        "formats": {code: str(label) for code, label in InterviewFormat.choices},
        "timing_choices": [(value, str(label)) for value, label in SHORT_TIMING_CHOICES],
    }
    # Jinja2 escapes what it writes (autoescape on); Django's template needs to be told.
    sections_html = mark_safe(sections.render(context, request))  # noqa: S308
    prefs = selectors.preferences_get(user=request.user)
    return render(
        request,
        "applications/dashboard.html",
        {
            "board": board,
            "sections": sections_html,
            "bulk_form": BulkActionForm(application_ids=[]),
            # An account left on UTC is asked, once, whether that is its zone.
            "time_zone_form": (
                TimeZoneConfirmForm()
                if prefs.time_zone == "UTC" and not prefs.time_zone_confirmed
                else None
            ),
        },
    )


@require_GET
def applications_table(request):
    """All the user's applications as a table: search, filters, sort, a page at a time."""
    as_of, rules = today_and_rules(request.user)
    filters = ApplicationFilter(
        request.GET, queryset=Application.objects.owned_by(request.user), request=request
    )
    table = selectors.applications_table_get(
        user=request.user,
        as_of=as_of,
        rules=rules,
        filters=filters,
        page=request.GET.get("page", 1),
    )
    # The pager's links keep the filters.
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "applications/table.html",
        {
            "filters": filters,
            "table": table,
            "as_of": as_of,
            "query": query.urlencode(),
            "sources": Source.choices,
            "filtered": any(
                value for key, value in request.GET.items() if key not in ("page", "sort")
            ),
        },
        status=400 if filters.errors else 200,
    )


@require_GET
def closed_list(request):
    as_of, rules = today_and_rules(request.user)
    rows = selectors.closed_rows(user=request.user, as_of=as_of, rules=rules)
    return render(request, "applications/closed.html", {"rows": rows})


@own_application("GET", "HEAD")
def application_detail(request, application):
    as_of, rules = today_and_rules(request.user)
    page = selectors.application_page_get(
        user=request.user, application=application, as_of=as_of, rules=rules
    )
    status = page.status
    return render(
        request,
        "applications/application_detail.html",
        {
            "application": application,
            "status": status,
            "timeline": application_timeline(application=application, status=status, as_of=as_of),
            "earlier": page.earlier,
            "interviews": page.interviews,
            "interviews_held": page.interviews_held,
            "recorded": page.recorded,
            "as_of": as_of,
            "owed": set(status.thank_you_owed),
            "contacts": list(application.contacts.all()),
            # Five forms on one page: distinct ids, the same field names.
            "check_in_form": CheckInForm(today=as_of, auto_id="check_in_%s"),
            "thank_you_form": ThankYouForm(
                today=as_of, application=application, auto_id="thank_you_%s"
            ),
            "response_form": ResponseForm(today=as_of, auto_id="response_%s"),
            "close_form": CloseForm(auto_id="close_%s"),
            "snooze_form": SnoozeForm(today=as_of, auto_id="snooze_%s"),
        },
    )


@own_application("GET", "HEAD")
def application_history(request, application):
    """Every interview and follow-up of the application, oldest first, a page at a time
    (`?page=N`)."""
    as_of, rules = today_and_rules(request.user)
    history = selectors.application_history_get(
        user=request.user,
        application=application,
        as_of=as_of,
        rules=rules,
        page=request.GET.get("page"),
    )
    timeline = application_timeline(application=application, status=history.status, as_of=as_of)
    page = history.page
    return render(
        request,
        "applications/application_history.html",
        {
            "application": application,
            "page": page,
            "events": history_events(
                timeline, first=not page.has_previous(), last=not page.has_next()
            ),
        },
    )
