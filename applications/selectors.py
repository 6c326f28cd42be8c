"""Reads. Every function takes the user whose data it reads; nothing here reaches
another user's rows. Writes live in `applications.services`.

The status of an application is never stored: each reader gathers plain values
(`ApplicationFacts`) with a fixed number of queries and asks `applications.status`.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.shortcuts import get_object_or_404

from applications import status as engine
from applications.models import Application, FollowUp, Interview, Preferences


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


_ROW_FIELDS = ("id", "company", "role", "applied_on", "posting_url", "outcome", "snoozed_until")


def application_rows(*, user, as_of: date, rules: engine.Rules, ids=None) -> list[ApplicationRow]:
    """All the user's applications (or those with `ids`) with their status as of `as_of`,
    most urgent first (the API's and the dashboard's order).

    Four queries whatever the number of applications, read as plain values because
    building thousands of model instances would cost more than the rules themselves:
    applications, interviews, the people at each interview, follow-ups.
    """
    applications = Application.objects.owned_by(user)
    if ids is not None:
        applications = applications.filter(pk__in=ids)
    app_values = list(applications.values_list(*_ROW_FIELDS))
    if not app_values:
        return []
    scope = {"application__owner": user}
    if ids is not None:
        scope["application_id__in"] = ids

    interview_contacts = defaultdict(list)
    through = Interview.contacts.through.objects.filter(
        **{f"interview__{key}": value for key, value in scope.items()}
    )
    # Order does not matter here (the engine takes events in any order): no ORDER BY.
    for interview_id, contact_id in through.values_list("interview_id", "contact_id"):
        interview_contacts[interview_id].append(contact_id)

    interviews = defaultdict(list)
    for interview_id, app_id, day, decision_from, decision_by in Interview.objects.filter(
        **scope
    ).order_by().values_list("id", "application_id", "date", "decision_from", "decision_by"):
        interviews[app_id].append(
            engine.InterviewFacts(
                date=day,
                decision_from=decision_from,
                decision_by=decision_by,
                contacts=tuple(interview_contacts.get(interview_id, ())),
            )
        )

    follow_ups = defaultdict(list)
    for app_id, day, kind, contact_id, new_decision_by, outcome in FollowUp.objects.filter(
        **scope
    ).order_by().values_list("application_id", "date", "kind", "contact_id", "new_decision_by", "outcome"):
        follow_ups[app_id].append(
            engine.FollowUpFacts(
                date=day,
                kind=kind,
                contact=contact_id,
                new_decision_by=new_decision_by,
                outcome=outcome,
            )
        )

    rows = []
    evaluate = engine.evaluate
    for app_id, company, role, applied_on, posting_url, outcome, snoozed_until in app_values:
        facts = engine.ApplicationFacts(
            applied_on=applied_on,
            interviews=tuple(interviews.get(app_id, ())),
            follow_ups=tuple(follow_ups.get(app_id, ())),
            outcome=outcome,
            snoozed_until=snoozed_until,
        )
        rows.append(
            ApplicationRow(
                id=app_id,
                company=company,
                role=role,
                applied_on=applied_on,
                posting_url=posting_url,
                outcome=outcome,
                snoozed_until=snoozed_until,
                facts=facts,
                status=evaluate(facts, rules, as_of),
            )
        )
    rows.sort(key=lambda row: engine.urgency_key(row.status, row.company))
    return rows
