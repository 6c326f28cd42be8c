"""Reads. Every function takes the user whose data it reads; nothing here reaches
another user's rows. Writes live in `applications.services`.

The status of an application is never stored: each reader gathers plain values
(`ApplicationFacts`) with a fixed number of queries and asks `applications.status`.
"""

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404

from applications import status as engine
from applications.humanize import DayFormatter
from applications.models import Application, Contact, FollowUp, Interview, Preferences


def preferences_get(*, user) -> Preferences:
    """The user's preferences, created with the defaults on first use."""
    prefs = getattr(user, "_hearback_preferences", None)
    if prefs is None:
        prefs, _ = Preferences.objects.get_or_create(user=user)
        user._hearback_preferences = prefs
    return prefs


def rules_from(prefs: Preferences) -> engine.Rules:
    return engine.Rules(
        grace_days=prefs.grace_days,
        no_date_wait_days=prefs.no_date_wait_days,
        applied_wait_days=prefs.applied_wait_days,
        check_in_spacing_days=prefs.check_in_spacing_days,
        max_check_ins=prefs.max_check_ins,
        weekdays_only=prefs.weekdays_only,
    )


def local_today(*, prefs: Preferences, now: datetime | None = None) -> date:
    """The user's calendar date now, in their own time zone (the engine's `as_of`)."""
    moment = now if now is not None else datetime.now(tz=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(prefs.time_zone)).date()


def application_get(*, user, pk) -> Application:
    """One of the user's applications, or 404: another user's looks like no application."""
    return get_object_or_404(Application.objects.owned_by(user), pk=pk)


# ----------------------------------------------------------------------------------------
# Facts for the engine


def facts_from_instance(application: Application) -> engine.ApplicationFacts:
    """Facts of an application whose interviews (with contacts) and follow-ups are
    prefetched (see `with_status_prefetch`); querying per row here would be N+1."""
    return engine.ApplicationFacts(
        applied_on=application.applied_on,
        interviews=tuple(
            engine.InterviewFacts(
                date=interview.date,
                decision_from=interview.decision_from,
                decision_by=interview.decision_by,
                contacts=tuple(contact.pk for contact in interview.contacts.all()),
            )
            for interview in application.interviews.all()
        ),
        follow_ups=tuple(
            engine.FollowUpFacts(
                date=follow_up.date,
                kind=follow_up.kind,
                contact=follow_up.contact_id,
                new_decision_by=follow_up.new_decision_by,
                outcome=follow_up.outcome,
            )
            for follow_up in application.follow_ups.all()
        ),
        outcome=application.outcome,
        snoozed_until=application.snoozed_until,
    )


def with_status_prefetch(queryset):
    """What `facts_from_instance` reads, in three queries whatever the number of rows."""
    return queryset.prefetch_related("interviews__contacts", "follow_ups")


@dataclass(slots=True)
class ApplicationRow:
    """An application as the lists show it: its own fields, and its derived status."""

    id: int
    company: str
    role: str
    applied_on: date
    posting_url: str
    outcome: str
    snoozed_until: date | None
    facts: engine.ApplicationFacts
    status: engine.Status
    next_label: str = ""  # the next action date in words, filled in by the pages

    def latest_interview_on(self, as_of: date) -> date | None:
        past = [interview.date for interview in self.facts.interviews if interview.date <= as_of]
        return max(past) if past else None


def _fetch(sql: str, params) -> list[tuple]:
    """The rows of a `values_list` query's SQL, fetched straight from the cursor.

    The query is the ORM's own (owner scoping and all); only Django's per-value
    converters are skipped: the drivers already return these columns (ids, text, dates,
    which Django registers with sqlite3 and psycopg decodes) as Python values. On the
    dashboard's 2,700 rows that halves the cost of reading them.
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# In the order of ApplicationRow's first fields: a row is built from them positionally.
_ROW_FIELDS = ("id", "company", "role", "applied_on", "posting_url", "outcome", "snoozed_until")


def _row_queries(*, owner_id, ids) -> tuple:
    """The four queries of `application_rows`: applications, the people at each
    interview, interviews, follow-ups (these three in no order: the engine takes events
    in any order)."""
    applications = Application.objects.filter(owner_id=owner_id)
    scope = {"application__owner_id": owner_id}
    if ids is not None:
        applications = applications.filter(pk__in=ids)
        scope["application_id__in"] = ids
    return (
        applications.values_list(*_ROW_FIELDS),
        Interview.contacts.through.objects.filter(
            **{f"interview__{key}": value for key, value in scope.items()}
        ).values_list("interview_id", "contact_id"),
        Interview.objects.filter(**scope)
        .order_by()
        .values_list("id", "application_id", "date", "decision_from", "decision_by"),
        FollowUp.objects.filter(**scope)
        .order_by()
        .values_list("application_id", "date", "kind", "contact_id", "new_decision_by", "outcome"),
    )


# They stand for the user's id and for a date in SQL compiled once for every user.
_ANY_USER_ID = -1
_ANY_DAY = date(1901, 2, 3)


def _sql_for_any(queryset, *placeholders) -> str:
    """The SQL of `queryset`, built with `placeholders` for its parameters (and checked
    to take those alone, in that order), to be run with other values of them.

    Why: the dashboard runs the same few queries on every visit, for one user or
    another; through the ORM, building and compiling them took ~2 ms of every visit.
    The queries are still the ORM's own, compiled once per process and database vendor.
    """
    sql, params = queryset.query.sql_with_params()
    expected = tuple(_param(value) for value in placeholders)
    if params != expected:
        raise AssertionError(f"{sql} takes {params!r}, not {expected!r}")
    return sql


def _param(value):
    """`value` as the database receives it in the compiled query's parameters."""
    return connection.ops.adapt_datefield_value(value) if isinstance(value, date) else value


@functools.cache
def _all_rows_sql(vendor: str) -> tuple:
    """The SQL of `_row_queries` for all of a user's applications."""
    return tuple(
        _sql_for_any(query, _ANY_USER_ID)
        for query in _row_queries(owner_id=_ANY_USER_ID, ids=None)
    )


def application_rows(*, user, as_of: date, rules: engine.Rules, ids=None) -> list[ApplicationRow]:
    """All the user's applications (or those with `ids`) with their status as of `as_of`,
    most urgent first (the API's and the dashboard's order).

    Four queries whatever the number of applications, read as plain values because
    building thousands of model instances would cost more than the rules themselves:
    applications, the people at each interview, interviews, follow-ups.
    """
    if ids is None:
        statements = [(sql, (user.pk,)) for sql in _all_rows_sql(connection.vendor)]
    else:
        statements = [
            query.query.sql_with_params() for query in _row_queries(owner_id=user.pk, ids=ids)
        ]
    applications, people_at_interviews, interviews_sql, follow_ups_sql = statements
    app_values = _fetch(*applications)
    if not app_values:
        return []

    interview_contacts = defaultdict(list)
    for interview_id, contact_id in _fetch(*people_at_interviews):
        interview_contacts[interview_id].append(contact_id)
    # The people at an interview in the order they were recorded (the contacts' order),
    # whatever order the database returned them in: the first one still owed a
    # thank-you is the one a draft goes to. Sorted here, not in SQL: 1-3 ids each.
    for contact_ids in interview_contacts.values():
        contact_ids.sort()

    # Thousands of facts per page: built with positional arguments (in the order of the
    # dataclasses' fields), about twice as fast as with keywords.
    interview_facts = engine.InterviewFacts
    interviews = defaultdict(list)
    for interview_id, app_id, day, decision_from, decision_by in _fetch(*interviews_sql):
        interviews[app_id].append(
            interview_facts(
                day, decision_from, decision_by, tuple(interview_contacts.get(interview_id, ()))
            )
        )

    follow_up_facts = engine.FollowUpFacts
    follow_ups = defaultdict(list)
    for app_id, day, kind, contact_id, new_decision_by, outcome in _fetch(*follow_ups_sql):
        follow_ups[app_id].append(follow_up_facts(day, kind, contact_id, new_decision_by, outcome))

    application_facts = engine.ApplicationFacts
    all_facts = [
        application_facts(
            applied_on,
            tuple(interviews.get(app_id, ())),
            tuple(follow_ups.get(app_id, ())),
            outcome,
            snoozed_until,
        )
        for app_id, _company, _role, applied_on, _url, outcome, snoozed_until in app_values
    ]
    rows = [
        ApplicationRow(*values, facts, status)
        for values, facts, status in zip(
            app_values, all_facts, engine.evaluate_all(all_facts, rules, as_of), strict=True
        )
    ]
    rows.sort(key=lambda row: engine.urgency_key(row.status, row.company))
    return rows


# ----------------------------------------------------------------------------------------
# The application page


@dataclass(slots=True)
class ApplicationPage:
    """One application as its page shows it. `application` has its people, its
    interviews (with the people at each) and its follow-ups (with their person) loaded:
    the status, the timeline and the people list all read them."""

    application: Application
    status: engine.Status
    next_label: str  # the next action date in words


def application_page_get(
    *, application: Application, as_of: date, rules: engine.Rules
) -> ApplicationPage:
    """The page of `application` (already fetched, owner-scoped): four queries whatever
    its length (people, interviews, the people at each, follow-ups with their person),
    from which the status is worked out, the same as `application_rows` would."""
    prefetch_related_objects(
        [application],
        "contacts",
        "interviews__contacts",
        Prefetch("follow_ups", queryset=FollowUp.objects.select_related("contact")),
    )
    status = engine.evaluate(facts_from_instance(application), rules, as_of)
    return ApplicationPage(application, status, DayFormatter(as_of).human(status.next_action_date))


# ----------------------------------------------------------------------------------------
# The dashboard


@dataclass(slots=True)
class UpcomingInterview:
    application_id: int
    company: str
    role: str
    date: date
    format: str
    when: str


@dataclass(slots=True)
class ThankYouOwed:
    application_id: int
    company: str
    interview_on: date
    contact_id: int | None  # None: nobody was named, one note is owed
    contact_name: str


@dataclass(slots=True)
class Dashboard:
    as_of: date
    follow_up_now: list
    waiting: list
    likely_closed: list
    closed_count: int
    upcoming_interviews: list
    thank_yous_owed: list
    no_timeline: list
    keep_searching: bool

    @property
    def sections(self):
        """The active rows by status, most urgent first; likely-closed ones collapsed."""
        return [
            {"status": engine.FOLLOW_UP_NOW, "label": engine.LABELS[engine.FOLLOW_UP_NOW], "rows": self.follow_up_now, "collapsed": False},
            {"status": engine.WAITING, "label": engine.LABELS[engine.WAITING], "rows": self.waiting, "collapsed": False},
            {"status": engine.LIKELY_CLOSED, "label": engine.LABELS[engine.LIKELY_CLOSED], "rows": self.likely_closed, "collapsed": True},
        ]

    @property
    def is_empty(self) -> bool:
        return not (self.follow_up_now or self.waiting or self.likely_closed or self.closed_count)


UPCOMING_INTERVIEWS_SHOWN = 10


@functools.cache
def _upcoming_interviews_sql(vendor: str) -> str:
    """A user's interviews on or after a day, soonest first, with their application."""
    return _sql_for_any(
        Interview.objects.filter(application__owner_id=_ANY_USER_ID, date__gte=_ANY_DAY)
        .order_by("date", "id")
        .values_list(
            "application_id", "application__company", "application__role", "date", "format"
        ),
        _ANY_USER_ID,
        _ANY_DAY,
    )


def dashboard_get(*, user, as_of: date, rules: engine.Rules) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries: the four of
    `application_rows`, the upcoming interviews, and the names of people owed a note."""
    rows = application_rows(user=user, as_of=as_of, rules=rules)
    days = DayFormatter(as_of)
    groups = {status: [] for status in engine.ACTIVE_STATUSES}
    closed_count = 0
    owed = []
    for row in rows:
        status = row.status
        if status.is_closed:
            closed_count += 1
            continue
        row.next_label = days.human(status.next_action_date)
        groups[status.code].append(row)
        if status.thank_you_owed:
            interview_on = row.latest_interview_on(as_of)
            owed.extend((row, interview_on, contact) for contact in status.thank_you_owed)
    active_ids = {row.id for status in engine.ACTIVE_STATUSES for row in groups[status]}

    owed_ids = [contact for _, _, contact in owed if contact is not None]
    names = {}
    if owed_ids:
        names = dict(
            Contact.objects.filter(application__owner=user, pk__in=owed_ids).values_list(
                "pk", "name"
            )
        )
    thank_yous_owed = [
        ThankYouOwed(row.id, row.company, interview_on, contact, names.get(contact, ""))
        for row, interview_on, contact in owed
    ]

    upcoming = [
        UpcomingInterview(app_id, company, role, day, format, days.human(day))
        for app_id, company, role, day, format in _fetch(
            _upcoming_interviews_sql(connection.vendor), (user.pk, _param(as_of))
        )
        if app_id in active_ids
    ][:UPCOMING_INTERVIEWS_SHOWN]

    active = [row for status in engine.ACTIVE_STATUSES for row in groups[status]]
    return Dashboard(
        as_of=as_of,
        follow_up_now=groups[engine.FOLLOW_UP_NOW],
        waiting=groups[engine.WAITING],
        likely_closed=groups[engine.LIKELY_CLOSED],
        closed_count=closed_count,
        upcoming_interviews=upcoming,
        thank_yous_owed=thank_yous_owed,
        # Likely-closed ones are past asking; the advice is for the ones still open.
        no_timeline=[
            row
            for row in groups[engine.FOLLOW_UP_NOW] + groups[engine.WAITING]
            if row.status.no_timeline
        ],
        keep_searching=engine.keep_searching(
            active_count=len(active), applied_dates=[row.applied_on for row in rows], as_of=as_of
        ),
    )


def closed_rows(*, user, as_of: date, rules: engine.Rules) -> list[ApplicationRow]:
    return [
        row
        for row in application_rows(user=user, as_of=as_of, rules=rules)
        if row.status.is_closed
    ]


# ----------------------------------------------------------------------------------------
# The calendar feed


def calendar_preferences_get(*, token: str) -> Preferences:
    """The preferences (with their user) whose calendar feed secret is `token`, or 404.

    Empty means the feed is off, so it never matches; a deactivated account's feed
    stops too. A wrong, empty and revoked secret all answer the same 404.
    """
    feeds_on = Preferences.objects.select_related("user").exclude(calendar_token="")
    return get_object_or_404(feeds_on, calendar_token=token, user__is_active=True)


@dataclass(slots=True)
class CalendarFollowUp:
    """An application's next date, as the calendar shows it."""

    row: ApplicationRow
    due_on: date  # the engine's next_action_date
    on: date  # the day the event goes on: due_on, or today when it is overdue
    then: engine.Status  # the engine's answer on due_on, if nothing new happens


@dataclass(slots=True)
class CalendarInterview:
    id: int
    application_id: int
    company: str
    role: str
    date: date
    format: str
    people: list  # "Dana Reyes (Hiring manager)", in the order they were added


@dataclass(slots=True)
class CalendarEvents:
    as_of: date
    follow_ups: list
    interviews: list


def calendar_events(*, user, as_of: date, rules: engine.Rules) -> CalendarEvents:
    """What the user's calendar feed holds as of `as_of` (interfaces.md, "The calendar
    feed"):

    - each application that is follow_up_now or waiting, on its next action date (an
      overdue follow-up on `as_of`, so it is not lost in the past), except one waiting
      for an interview still ahead: that interview's own event stands for it;
    - each interview dated `as_of` or later of an application that is not closed.

    Six queries whatever the number of applications: the four of `application_rows`,
    the upcoming interviews, and the people at them.
    """
    rows = application_rows(user=user, as_of=as_of, rules=rules)
    if not rows:
        return CalendarEvents(as_of=as_of, follow_ups=[], interviews=[])

    follow_ups = []
    for row in rows:
        status = row.status
        if status.code == engine.FOLLOW_UP_NOW:
            due_on = status.next_action_date
            follow_ups.append(CalendarFollowUp(row, due_on, max(due_on, as_of), status))
        elif status.code == engine.WAITING and not _waits_for_interview(row, as_of):
            due_on = status.next_action_date
            # What the day brings if nothing new happens: a follow-up, or "likely closed".
            then = engine.evaluate(row.facts, rules, due_on)
            follow_ups.append(CalendarFollowUp(row, due_on, due_on, then))

    open_rows = {row.id: row for row in rows if not row.status.is_closed}
    upcoming = Interview.objects.filter(application__owner=user, date__gte=as_of)
    people = defaultdict(list)
    for interview_id, name, title in (
        Interview.contacts.through.objects.filter(
            interview__application__owner=user, interview__date__gte=as_of
        )
        .order_by("contact_id")
        .values_list("interview_id", "contact__name", "contact__title")
    ):
        people[interview_id].append(f"{name} ({title})" if title else name)
    interviews = [
        CalendarInterview(
            id=interview_id,
            application_id=app_id,
            company=open_rows[app_id].company,
            role=open_rows[app_id].role,
            date=day,
            format=format,
            people=people.get(interview_id, []),
        )
        for interview_id, app_id, day, format in upcoming.order_by("date", "id").values_list(
            "id", "application_id", "date", "format"
        )
        if app_id in open_rows
    ]
    return CalendarEvents(as_of=as_of, follow_ups=follow_ups, interviews=interviews)


def _waits_for_interview(row: ApplicationRow, as_of: date) -> bool:
    """Is the engine's next date for this waiting row one of its interviews still ahead
    (rule 2)? Read from the engine's answer, not worked out again."""
    return any(
        interview.date > as_of and interview.date == row.status.next_action_date
        for interview in row.facts.interviews
    )


# ----------------------------------------------------------------------------------------
# Insights


def insights_get(*, user, as_of: date, rules: engine.Rules):
    """Every figure of the insights page (`applications.insights.Insights`) for the
    user's applications as of `as_of`.

    The four queries of `application_rows` whatever the number of applications
    (applications, the people at each interview, interviews, follow-ups); the figures
    are then pure functions of those values and of each application's status.
    """
    # Imported here because this section is appended to the module's end.
    from applications import insights

    rows = application_rows(user=user, as_of=as_of, rules=rules)
    return insights.insights_from([(row.facts, row.status.code) for row in rows], as_of=as_of)


# ----------------------------------------------------------------------------------------
# Beside the rows: what the dashboard's bulk form and the CSV export read besides
# `application_rows`


def application_ids_get(*, user) -> list[int]:
    """The ids of all the user's applications (what the dashboard's bulk form may name)."""
    return list(Application.objects.owned_by(user).values_list("pk", flat=True))


def application_notes_get(*, user) -> dict[int, str]:
    """The notes of each of the user's applications, by id (long text `application_rows`
    leaves out: only the CSV export shows them beside the rows)."""
    return dict(Application.objects.owned_by(user).values_list("pk", "notes"))


# ----------------------------------------------------------------------------------------
# Drafted notes


@dataclass(slots=True)
class DraftSources:
    """What a drafted note about one application may draw on."""

    row: ApplicationRow  # its facts and status
    contacts: list  # its people (Contact), in the order they were recorded
    interview: Interview | None  # the latest one on or before as_of, with the people met


def draft_sources_get(
    *, user, application: Application, as_of: date, rules: engine.Rules
) -> DraftSources:
    """The sources of a draft about `application` (already fetched, owner-scoped) as of
    `as_of`: the four queries of `application_rows`, the people, the interview and the
    people met there."""
    (row,) = application_rows(user=user, as_of=as_of, rules=rules, ids=[application.pk])
    interview = (
        application.interviews.filter(date__lte=as_of)
        .order_by("-date", "-id")
        .prefetch_related("contacts")
        .first()
    )
    return DraftSources(row, list(application.contacts.all()), interview)


# ----------------------------------------------------------------------------------------
# The daily digest (applications.digest): who gets one, and who already had today's


def digest_recipients_get():
    """Users who asked for the digest and can receive it, with their preferences."""
    # Imported here, as in the insights section: the digest's reads were added last.
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, preferences__digest_opt_in=True)
        .exclude(email="")
        .select_related("preferences")
        .order_by("pk")
    )


def digest_claims_get(*, days, claimed_since: datetime) -> set[tuple[int, date]]:
    """The (user id, day) of each digest claim on one of `days` that was sent, or made
    at `claimed_since` or later (so still held by the run that made it)."""
    from applications.models import DigestClaim

    return set(
        DigestClaim.objects.filter(day__in=days)
        .exclude(sent_at__isnull=True, claimed_at__lt=claimed_since)
        .values_list("user_id", "day")
    )
