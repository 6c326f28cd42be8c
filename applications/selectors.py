"""Reads. Every function takes the user whose data it reads; nothing here reaches
another user's rows. Writes live in `applications.services`.

The status of an application is never stored: each reader gathers plain values
(`ApplicationFacts`) with a fixed number of queries and asks `applications.status`.
"""

from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime
from datetime import time as dt_time
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    F,
    IntegerField,
    Prefetch,
    Value,
    When,
    prefetch_related_objects,
)
from django.shortcuts import get_object_or_404

from applications import status as engine
from applications.filters import APPLIED_NEWEST, APPLIED_OLDEST, CLOSED, COMPANY, OPEN
from applications.models import (
    Application,
    Contact,
    FollowUp,
    FollowUpKind,
    Interview,
    Preferences,
    VerifiedEmail,
)
from applications.timing import Timing


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
        applied_gives_up_days=prefs.applied_gives_up_days,
        last_try_after_days=prefs.last_try_after_days,
        holiday_country=prefs.holiday_country,
        holiday_subdivision=prefs.holiday_subdivision,
    )


def local_today_and_zone_of(*, user) -> tuple[date, ZoneInfo]:
    """The user's today and time zone, without creating their preferences when they have
    none yet (then the default zone's): for pages that only read."""
    prefs = getattr(user, "_hearback_preferences", None)
    if prefs is None:
        prefs = Preferences.objects.filter(user=user).first() or Preferences()
    return local_today(prefs=prefs), ZoneInfo(prefs.time_zone)


def local_today(*, prefs: Preferences, now: datetime | None = None) -> date:
    """The user's calendar date now, in their own time zone (the engine's `as_of`)."""
    moment = now if now is not None else datetime.now(tz=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo(prefs.time_zone)).date()


def application_get(*, user, pk) -> Application:
    """One of the user's applications, or 404: another user's looks like no application."""
    return get_object_or_404(Application.objects.owned_by(user), pk=pk)


def application_part_get(*, application: Application, part: str, pk):
    """One of the application's (already owner-checked) `part`s, "interviews",
    "contacts" or "follow_ups", by id, or 404: another application's looks like none."""
    if part not in ("interviews", "contacts", "follow_ups"):
        raise ValueError(f"{part!r} is not a part of an application")
    return get_object_or_404(getattr(application, part).all(), pk=pk)


# ----------------------------------------------------------------------------------------
# The one read path: applications with their facts and status


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

    def latest_interview_on(self, as_of: date) -> date | None:
        past = [interview.date for interview in self.facts.interviews if interview.date <= as_of]
        return max(past) if past else None


ROW_FIELDS = ("id", "company", "role", "applied_on", "posting_url", "outcome", "snoozed_until")


def application_rows(*, user, as_of: date, rules: engine.Rules, ids=None) -> list[ApplicationRow]:
    """All the user's applications (or those of them with `ids`) with their status as
    of `as_of`, most urgent first (the order of the API and the dashboard).

    The one read path of facts and status: every page, the API, the exports, the admin,
    the calendar and the digest come here. Four queries whatever the number of
    applications (applications, interviews, the people at each, follow-ups), read as
    plain values: a busy search has thousands of events, and model instances for each
    would cost more than the rules themselves.
    """
    applications = Application.objects.owned_by(user)
    if ids is not None:
        applications = applications.filter(pk__in=ids)
    values = list(applications.order_by().values(*ROW_FIELDS))
    if not values:
        return []
    interviews, follow_ups = _events_of(user=user, ids=ids)
    rows = []
    for fields in values:
        facts = engine.ApplicationFacts(
            applied_on=fields["applied_on"],
            interviews=tuple(interviews[fields["id"]]),
            follow_ups=tuple(follow_ups[fields["id"]]),
            outcome=fields["outcome"],
            snoozed_until=fields["snoozed_until"],
        )
        status = engine.evaluate(facts, rules, as_of)
        rows.append(ApplicationRow(**fields, facts=facts, status=status))
    rows.sort(key=lambda row: engine.urgency_key(row.status, row.company))
    return rows


def _events_of(*, user, ids=None) -> tuple[dict, dict]:
    """The interviews and follow-ups of the user's applications (or those of them with
    `ids`) as the engine's facts, by application id, in three queries (in no order: the
    engine takes events in any)."""
    links = Interview.contacts.through.objects.filter(interview__application__owner=user)
    interview_rows = Interview.objects.filter(application__owner=user)
    follow_up_rows = FollowUp.objects.filter(application__owner=user)
    if ids is not None:
        links = links.filter(interview__application__in=ids)
        interview_rows = interview_rows.filter(application__in=ids)
        follow_up_rows = follow_up_rows.filter(application__in=ids)

    people = defaultdict(list)
    # By contact id: the people at an interview in the order they were recorded, whatever
    # order the database returns the links in (the first still owed a thank-you is the
    # one a draft goes to).
    for interview_id, contact_id in links.order_by("contact_id").values_list(
        "interview_id", "contact_id"
    ):
        people[interview_id].append(contact_id)

    # The row ids are the order things were recorded in: of two events on one date, the
    # one recorded later counts as the later (`recorded`).
    interviews = defaultdict(list)
    interview_rows = interview_rows.order_by().values_list(
        "id", "application_id", "date", "decision_from", "decision_by", "timing"
    )
    for interview_id, application_id, day, decision_from, decision_by, timing in interview_rows:
        interviews[application_id].append(
            engine.InterviewFacts(
                date=day,
                decision_from=decision_from,
                decision_by=decision_by,
                contacts=tuple(people[interview_id]),
                timing=timing,
                recorded=interview_id,
            )
        )

    follow_ups = defaultdict(list)
    follow_up_rows = follow_up_rows.order_by().values_list(
        "id", "application_id", "date", "kind", "contact_id", "new_decision_by", "outcome"
    )
    for pk, application_id, day, kind, contact_id, new_decision_by, outcome in follow_up_rows:
        follow_ups[application_id].append(
            engine.FollowUpFacts(
                date=day,
                kind=kind,
                contact=contact_id,
                new_decision_by=new_decision_by,
                outcome=outcome,
                recorded=pk,
            )
        )
    return interviews, follow_ups


# ----------------------------------------------------------------------------------------
# The application page


# The application page lists the events of the latest TIMELINE_ROWS interviews and
# follow-ups; its whole history pages through every one, HISTORY_PAGE_ROWS a page. A busy
# application has a few dozen; one with 400,000 follow-ups (a script posting check-ins,
# an import) rendered each as a list item, and its page ran past the 30 s timeout.
TIMELINE_ROWS = 50
HISTORY_PAGE_ROWS = 100


@dataclass(slots=True)
class ApplicationPage:
    """One application as its page shows it. `application` has its people, and the
    latest TIMELINE_ROWS of its interviews (with the people at each) and follow-ups (with
    their person) loaded for the timeline and the people list; `status` comes from the
    one read path. `recorded` counts all its interviews and follow-ups; `interviews`
    counts its interviews, and `interviews_held` those on or before today (a thank-you
    is for an interview that happened)."""

    application: Application
    status: engine.Status
    recorded: int = 0
    interviews: int = 0
    interviews_held: int = 0

    @property
    def earlier(self) -> int:
        """How many interviews and follow-ups are left out, older than those shown."""
        return max(self.recorded - TIMELINE_ROWS, 0)


def application_page_get(
    *, user, application: Application, as_of: date, rules: engine.Rules
) -> ApplicationPage:
    """The page of `application` (already fetched, owner-scoped): the four queries of
    `application_rows` for its status, and four for what the page lists (people,
    interviews, the people at each, follow-ups with their person); one more, which picks
    the latest TIMELINE_ROWS, when it has more interviews and follow-ups than that."""
    (row,) = application_rows(user=user, as_of=as_of, rules=rules, ids=[application.pk])
    recorded = len(row.facts.interviews) + len(row.facts.follow_ups)
    if recorded <= TIMELINE_ROWS:
        interviews, follow_ups = Interview.objects.all(), FollowUp.objects.all()
    else:
        latest = _timeline_keys(application).order_by("-date", "-rank", "-id")[:TIMELINE_ROWS]
        interviews, follow_ups = _by_keys(latest)
    prefetch_related_objects(
        [application],
        "contacts",
        Prefetch("interviews", queryset=interviews.prefetch_related("contacts")),
        Prefetch("follow_ups", queryset=follow_ups.select_related("contact")),
    )
    return ApplicationPage(
        application,
        row.status,
        recorded,
        interviews=len(row.facts.interviews),
        interviews_held=sum(1 for interview in row.facts.interviews if interview.date <= as_of),
    )


def application_has_interview(*, application: Application) -> bool:
    """Whether any interview of `application` (already fetched, owner-scoped) is
    recorded, past or ahead: the interview form asks for the first one or another."""
    return application.interviews.exists()


def _timeline_keys(application: Application):
    """(date, rank, id, is a follow-up) of each of the application's interviews and
    follow-ups, as one query set to order by them: the order of its timeline (by date,
    then `timeline.ORDER` of their kinds, then as recorded)."""
    # Imported here: the timeline's order is its own; this section was added last.
    from applications.timeline import ORDER

    interviews = (
        Interview.objects.filter(application=application)
        .order_by()
        .annotate(rank=Value(ORDER["interview"]), follow_up=Value(False))
        .values_list("date", "rank", "id", "follow_up")
    )
    rank = Case(
        *(When(kind=kind, then=Value(ORDER[kind])) for kind in FollowUpKind.values),
        default=Value(9),
        output_field=IntegerField(),
    )
    follow_ups = (
        FollowUp.objects.filter(application=application)
        .order_by()
        .annotate(rank=rank, follow_up=Value(True))
        .values_list("date", "rank", "id", "follow_up")
    )
    return interviews.union(follow_ups, all=True)


def _by_keys(keys) -> tuple:
    """The interviews and the follow-ups named by `keys` (of `_timeline_keys`), as two
    query sets."""
    keys = list(keys)
    return (
        Interview.objects.filter(pk__in=[pk for _d, _r, pk, follow_up in keys if not follow_up]),
        FollowUp.objects.filter(pk__in=[pk for _d, _r, pk, follow_up in keys if follow_up]),
    )


@dataclass(slots=True)
class HistoryPage:
    """One page of an application's whole history, oldest first: `page` (Django's)
    numbers it; `application` has that page's interviews and follow-ups loaded as
    `application_page_get` loads them, for `timeline.application_timeline`."""

    application: Application
    status: engine.Status
    page: Page


def application_history_get(
    *, user, application: Application, as_of: date, rules: engine.Rules, page
) -> HistoryPage:
    """Page `page` (its number as the address gives it: anything else is the first page,
    past the last the last) of every interview and follow-up of `application` (already
    fetched, owner-scoped), HISTORY_PAGE_ROWS of them. Eight queries whatever its length:
    the four of `application_rows` for its status, the count and the page's keys, its
    interviews with the people at each, its follow-ups with their person."""
    (row,) = application_rows(user=user, as_of=as_of, rules=rules, ids=[application.pk])
    ordered = _timeline_keys(application).order_by("date", "rank", "id")
    shown = Paginator(ordered, HISTORY_PAGE_ROWS).get_page(page)
    interviews, follow_ups = _by_keys(shown)
    prefetch_related_objects(
        [application],
        Prefetch("interviews", queryset=interviews.prefetch_related("contacts")),
        Prefetch("follow_ups", queryset=follow_ups.select_related("contact")),
    )
    return HistoryPage(application, row.status, shown)


# ----------------------------------------------------------------------------------------
# The dashboard


@dataclass(slots=True)
class ThankYouOwed:
    application_id: int
    company: str
    interview_on: date
    contact_id: int | None  # None: nobody was named, one note is owed
    contact_name: str


@dataclass(slots=True)
class Section:
    """The dashboard's rows of one status."""

    code: str
    rows: list
    collapsed: bool  # likely-closed ones are folded away

    @property
    def label(self) -> str:
        return engine.LABELS[self.code]


@dataclass(slots=True)
class UpcomingInterview:
    application_id: int
    company: str
    role: str
    date: date
    format: str
    time: dt_time | None = None
    place: str = ""


@dataclass(slots=True)
class AwaitingTiming:
    """An interview recorded ahead of time ("not asked yet") whose day has passed: the
    Today list asks what they said about timing."""

    application_id: int
    interview_id: int
    company: str
    date: date


@dataclass(slots=True)
class NextUp:
    """What comes next on a day with nothing to do: a follow-up falling due, or an
    interview, whichever is sooner."""

    date: date
    company: str
    is_interview: bool


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
    awaiting_timing: list = dataclass_field(default_factory=list)

    @property
    def sections(self) -> list[Section]:
        """The active rows by status, most urgent first; likely-closed ones folded."""
        return [
            Section(engine.FOLLOW_UP_NOW, self.follow_up_now, collapsed=False),
            Section(engine.WAITING, self.waiting, collapsed=False),
            Section(engine.LIKELY_CLOSED, self.likely_closed, collapsed=True),
        ]

    @property
    def interviews_soon(self) -> list[UpcomingInterview]:
        """The interviews of today and tomorrow: the Today list's."""
        return [
            interview
            for interview in self.upcoming_interviews
            if (interview.date - self.as_of).days <= 1
        ]

    @property
    def today_count(self) -> int:
        """How many things the Today list asks of the user."""
        return (
            len(self.follow_up_now)
            + len(self.awaiting_timing)
            + len(self.thank_yous_owed)
            + len(self.interviews_soon)
        )

    @property
    def next_up(self) -> NextUp | None:
        """With nothing to do today, the first thing ahead: the soonest date a waiting
        application falls due, or the first interview after tomorrow, whichever is first
        (a follow-up before an interview on the same day)."""
        ahead = [
            NextUp(row.status.next_action_date, row.company, is_interview=False)
            for row in self.waiting
            if row.status.next_action_date is not None
            # One waiting for its interview changes on that day: the interview comes next.
            and row.status.next_action_date
            not in {interview.date for interview in row.facts.interviews}
        ] + [
            NextUp(interview.date, interview.company, is_interview=True)
            for interview in self.upcoming_interviews
        ]
        return min(ahead, key=lambda up: (up.date, up.is_interview), default=None)

    @property
    def is_empty(self) -> bool:
        return not (self.follow_up_now or self.waiting or self.likely_closed or self.closed_count)


UPCOMING_INTERVIEWS_SHOWN = 10
UPCOMING_INTERVIEWS_READ = 100  # the first ones ahead, closed applications' included


def dashboard_get(*, user, as_of: date, rules: engine.Rules) -> Dashboard:
    """Everything the dashboard shows, in six queries whatever the number of
    applications: the four of `application_rows`, the upcoming interviews, and the
    names of the people owed a thank-you."""
    rows = application_rows(user=user, as_of=as_of, rules=rules)
    groups = {code: [] for code in engine.ACTIVE_STATUSES}
    for row in rows:
        if row.status.is_active:
            groups[row.status.code].append(row)
    active = [row for code in engine.ACTIVE_STATUSES for row in groups[code]]
    return Dashboard(
        as_of=as_of,
        follow_up_now=groups[engine.FOLLOW_UP_NOW],
        waiting=groups[engine.WAITING],
        likely_closed=groups[engine.LIKELY_CLOSED],
        closed_count=len(rows) - len(active),
        upcoming_interviews=_upcoming_interviews(user=user, rows=active, as_of=as_of),
        thank_yous_owed=_thank_yous_owed(user=user, rows=active, as_of=as_of),
        # Likely-closed ones are past asking; the advice is for the ones still open.
        no_timeline=[
            row
            for row in groups[engine.FOLLOW_UP_NOW] + groups[engine.WAITING]
            if row.status.no_timeline
        ],
        keep_searching=engine.keep_searching(
            active_count=len(active), applied_dates=[row.applied_on for row in rows], as_of=as_of
        ),
        awaiting_timing=[
            AwaitingTiming(row.id, interview.recorded, row.company, interview.date)
            for row in active
            for interview in row.facts.interviews
            if interview.timing == Timing.NOT_ASKED and interview.date < as_of
        ],
    )


def nothing_said_yet(*, timing: str, decision_from: date | None, decision_by: date | None) -> bool:
    """Whether an interview of today is still to come: until the user records what was
    said about timing, "not asked yet", or nothing kept and no date (an import), leaves
    it ahead; any answer means it has happened, whatever the hour."""
    return timing in (Timing.NOT_ASKED, "") and decision_from is None and decision_by is None


def timed_interviews_ahead_count(*, user, as_of: date) -> int:
    """How many interviews from `as_of` on have a time, open applications' only. Times
    are kept as the clock time entered, in no zone: after the user's zone changes, these
    are the ones whose hour may now be wrong."""
    return Interview.objects.filter(
        application__owner=user, application__outcome="", date__gte=as_of, time__isnull=False
    ).count()


def _upcoming_interviews(*, user, rows, as_of: date) -> list[UpcomingInterview]:
    """The first interviews still to come of the active applications `rows`: those
    after `as_of`, and those of `as_of` with nothing said about timing yet."""
    active = {row.id: row for row in rows}
    # Those of applications the user closed are left out by the query; those closed by
    # their answer (an offer, a rejection: the engine's word) here, from a bounded read.
    ahead = (
        Interview.objects.filter(application__owner=user, application__outcome="", date__gte=as_of)
        .order_by("date", F("time").asc(nulls_last=True), "id")
        .values_list(
            "application_id",
            "date",
            "format",
            "time",
            "place",
            "timing",
            "decision_from",
            "decision_by",
        )[:UPCOMING_INTERVIEWS_READ]
    )
    upcoming = []
    for application_id, day, format_, time, place, timing, decision_from, decision_by in ahead:
        row = active.get(application_id)
        if row is None:
            continue
        if day == as_of and not nothing_said_yet(
            timing=timing, decision_from=decision_from, decision_by=decision_by
        ):
            continue  # today's, and what they said is recorded: it has happened
        upcoming.append(
            UpcomingInterview(
                application_id=application_id,
                company=row.company,
                role=row.role,
                date=day,
                format=format_,
                time=time,
                place=place,
            )
        )
    return upcoming[:UPCOMING_INTERVIEWS_SHOWN]


def _thank_yous_owed(*, user, rows, as_of: date) -> list[ThankYouOwed]:
    """One entry per person owed a thank-you (or per interview with nobody named)."""
    owed = [(row, contact_id) for row in rows for contact_id in row.status.thank_you_owed]
    named = [contact_id for _, contact_id in owed if contact_id is not None]
    names = {}
    if named:
        names = dict(
            Contact.objects.filter(application__owner=user, pk__in=named).values_list("pk", "name")
        )
    return [
        ThankYouOwed(
            application_id=row.id,
            company=row.company,
            interview_on=row.latest_interview_on(as_of),
            contact_id=contact_id,
            contact_name=names.get(contact_id, ""),
        )
        for row, contact_id in owed
    ]


def closed_rows(*, user, as_of: date, rules: engine.Rules) -> list[ApplicationRow]:
    return [
        row for row in application_rows(user=user, as_of=as_of, rules=rules) if row.status.is_closed
    ]


# ----------------------------------------------------------------------------------------
# All applications as a table


TABLE_PAGE_ROWS = 50


@dataclass(slots=True)
class TableRow:
    """An application as the table shows it: the read path's row, with its job details."""

    row: ApplicationRow
    location: str = ""
    remote: bool = False
    salary_min: int | None = None
    salary_max: int | None = None
    source: str = ""


@dataclass(slots=True)
class ApplicationsTable:
    page: Page  # of TableRow
    count: int  # how many match, over every page


def applications_table_get(*, user, as_of: date, rules: engine.Rules, filters, page=1):
    """The user's applications matching `filters` (an `ApplicationFilter` bound to the
    request, on their applications), sorted, a page of TABLE_PAGE_ROWS. The same
    queries whatever the number of applications: the four of `application_rows` (the
    filters' query as a subquery of them), and the job details of the page's rows."""
    if not filters.is_valid():  # a filter that could not be read lists nothing
        return ApplicationsTable(page=Paginator([], TABLE_PAGE_ROWS).get_page(1), count=0)
    chosen = filters.form.cleaned_data
    rows = application_rows(user=user, as_of=as_of, rules=rules, ids=filters.qs.values("pk"))
    status = chosen.get("status") or ""
    if status:
        rows = [row for row in rows if _has_status(row, status)]
    _sort(rows, chosen.get("sort") or "")
    shown = Paginator(rows, TABLE_PAGE_ROWS).get_page(page)
    details = application_details_get(user=user, ids=[row.id for row in shown])
    shown.object_list = [TableRow(row, *details[row.id]) for row in shown]
    return ApplicationsTable(page=shown, count=len(rows))


def _has_status(row: ApplicationRow, wanted: str) -> bool:
    if wanted == OPEN:
        return row.status.is_active
    if wanted == CLOSED:
        return row.status.is_closed
    return row.status.code == wanted


def _sort(rows: list, order: str) -> None:
    """In place: by next date (soonest first, then the most urgent: `application_rows`'
    order), by applied date either way, or by company."""
    if order == APPLIED_NEWEST:
        rows.sort(key=lambda row: (row.applied_on, row.id), reverse=True)
    elif order == APPLIED_OLDEST:
        rows.sort(key=lambda row: (row.applied_on, row.id))
    elif order == COMPANY:
        rows.sort(key=lambda row: (row.company.casefold(), row.company, row.id))
    else:  # next date: those with none (closed) last, in the engine's order
        rows.sort(
            key=lambda row: (
                row.status.next_action_date is None,
                row.status.next_action_date or date.min,
            )
        )


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
    time: dt_time | None = None  # when it starts, in the user's zone
    place: str = ""


@dataclass(slots=True)
class CalendarEvents:
    as_of: date
    follow_ups: list
    interviews: list


def calendar_events(*, user, as_of: date, rules: engine.Rules) -> CalendarEvents:
    """What the user's calendar feed holds as of `as_of` (docs/calendar.md, "What the
    feed holds"):

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
            time=time,
            place=place,
        )
        for interview_id, app_id, day, format, time, place in upcoming.order_by(
            "date", "id"
        ).values_list("id", "application_id", "date", "format", "time", "place")
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


def application_states_get(*, user, ids) -> dict[int, tuple[str, date | None]]:
    """(outcome, snoozed until) of those of `ids` that are the user's applications, by id:
    what closing, reopening and snoozing change, read before and after to undo them."""
    rows = Application.objects.owned_by(user).filter(pk__in=ids)
    return {
        pk: (outcome, until)
        for pk, outcome, until in rows.values_list("pk", "outcome", "snoozed_until")
    }


def _same_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def _same_url(url: str) -> str:
    return url.strip().rstrip("/").casefold()


@dataclass(slots=True)
class KnownApplications:
    """What tells that an imported application is one the user already has: the same
    posting URL, or the same company, role and applied date (case and spaces aside)."""

    urls: set
    jobs: set

    def has(self, app) -> bool:
        """Is `app` (anything with company, role, applied_on, posting_url) known?"""
        if app.posting_url and _same_url(app.posting_url) in self.urls:
            return True
        return (_same_text(app.company), _same_text(app.role), app.applied_on) in self.jobs


def known_applications_get(*, user) -> KnownApplications:
    """The user's applications as an import compares with them (one query)."""
    urls, jobs = set(), set()
    for company, role, applied_on, url in Application.objects.owned_by(user).values_list(
        "company", "role", "applied_on", "posting_url"
    ):
        jobs.add((_same_text(company), _same_text(role), applied_on))
        if url:
            urls.add(_same_url(url))
    return KnownApplications(urls, jobs)


DETAIL_FIELDS = ("location", "remote", "salary_min", "salary_max", "source")


def application_details_get(*, user, ids=None) -> dict[int, tuple]:
    """The job's details (DETAIL_FIELDS, in that order) of each of the user's
    applications (or those with `ids`), by id: what `application_rows` leaves out and
    only the table and the CSV export show beside the rows."""
    applications = Application.objects.owned_by(user)
    if ids is not None:
        applications = applications.filter(pk__in=ids)
    return {pk: tuple(fields) for pk, *fields in applications.values_list("pk", *DETAIL_FIELDS)}


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
    """Users who asked for the digest and can receive it (their address is verified:
    see `email_address_get`), with their preferences."""
    return (
        get_user_model()
        .objects.filter(is_active=True, preferences__digest_opt_in=True)
        .exclude(email="")
        .filter(verified_email__email=F("email"))
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


# ----------------------------------------------------------------------------------------
# Email addresses: verified or not (models.VerifiedEmail)


@dataclass(frozen=True, slots=True)
class EmailAddress:
    address: str  # "" when the account has none
    verified: bool


def email_address_get(*, user) -> EmailAddress:
    """The user's address, and whether it is verified: whether they opened the link
    sent to this very address. Only a verified address is sent a digest or a
    password-reset link."""
    verified = bool(user.email) and (
        VerifiedEmail.objects.filter(user=user, email=user.email).exists()
    )
    return EmailAddress(address=user.email, verified=verified)


def email_confirmation_user_get(*, user_id: int, email: str):
    """The active user `user_id` if their address is still `email` (a confirmation link
    is for one address of one account), else None."""
    if not email:
        return None
    return get_user_model().objects.filter(pk=user_id, email=email, is_active=True).first()
