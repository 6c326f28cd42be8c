"""Writes: every change of data, from the pages, the admin's actions and the commands.

Each function changes one user's data, in one transaction. It takes the objects it
changes already fetched through a selector (so already owner-checked), or the user and
ids, of which it changes only the user's own.

Reads live in `applications.selectors`; the rules in `applications.status`.
"""

import datetime
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from applications import selectors
from applications import timing as timing_words
from applications.interchange import InvalidDocument, ValidatedDocument, validate_document
from applications.models import (
    MAX_PEOPLE,
    MAX_PEOPLE_MET,
    Application,
    Contact,
    DigestClaim,
    FollowUp,
    FollowUpKind,
    Interview,
    MailSlot,
    Outcome,
    Preferences,
    ResponseOutcome,
    VerifiedEmail,
)


@dataclass(frozen=True, slots=True)
class JobDetails:
    """What the user knows of the job beyond its title: where, remote or not, the salary
    range (a year's pay, in their own currency), and where they found it."""

    location: str = ""
    remote: bool = False
    salary_min: int | None = None
    salary_max: int | None = None
    source: str = ""

    @classmethod
    def from_fields(cls, fields: dict) -> "JobDetails":
        """The details among a form's cleaned fields."""
        return cls(**{name: fields[name] for name in JOB_DETAILS if name in fields})


JOB_DETAILS = ("location", "remote", "salary_min", "salary_max", "source")


@dataclass(frozen=True, slots=True)
class NewContact:
    name: str
    title: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class NewInterview:
    """An interview to record. `timing` is what they said about timing (a
    `timing.Timing` value, or "" to take the dates as given): for a phrase ("next week")
    the dates are worked out from it when it is recorded, and none are given here."""

    date: datetime.date
    format: str = "other"
    time: datetime.time | None = None  # when it starts, in the user's zone
    place: str = ""  # an address, a room, or the video call's link
    next_steps: str = ""
    decision_from: datetime.date | None = None
    decision_by: datetime.date | None = None
    timing: str = ""
    new_contacts: tuple[NewContact, ...] = ()
    # People already recorded on the application who were there too.
    existing_contact_ids: tuple[int, ...] = field(default=())


def interview_decision_dates(
    *,
    timing: str,
    date: datetime.date,
    decision_from: datetime.date | None = None,
    decision_by: datetime.date | None = None,
) -> tuple[datetime.date | None, datetime.date | None]:
    """(decision_from, decision_by) an interview on `date` is recorded with, given what
    they said: for a phrase, the dates it means (`timing.decision_dates`, the one table of
    docs/status-rules.md); for "they didn't say" and "not asked yet", none; for "a date",
    "a range" and "" (no words kept), the dates given.

    Pure. ValueError for dates given with a phrase or with no date said: the words decide
    those, and a form that sent both is wrong.
    """
    said_no_date = timing in (timing_words.Timing.NONE, timing_words.Timing.NOT_ASKED)
    if timing in timing_words.WORDS or said_no_date:
        if decision_from is not None or decision_by is not None:
            raise ValueError(f"no dates are given with the timing {timing!r}")
        return timing_words.decision_dates(timing, date)
    if timing not in timing_words.Timing.values and timing != "":
        raise ValueError(f"{timing!r} is not a timing")
    return decision_from, decision_by


@transaction.atomic
def application_record(
    *,
    user,
    company: str,
    role: str,
    applied_on: datetime.date,
    posting_url: str = "",
    notes: str = "",
    details: JobDetails = JobDetails(),
    interview: NewInterview | None = None,
    submission: str = "",
) -> tuple[Application, bool]:
    """Record a new application, with its first interview and the people met there;
    returns (application, created).

    `submission` is the one-time token of the form that sent it ("" for none). The same
    form sent again (a double click, a resubmit) writes nothing and returns the
    application it recorded the first time, with `created` False.
    """

    def write():
        application = Application.objects.create(
            owner=user,
            company=company,
            role=role,
            applied_on=applied_on,
            posting_url=posting_url,
            notes=notes,
            submission=submission,
            **asdict(details),
        )
        if interview is not None:
            interview_add(application=application, interview=interview)
        return application

    return _once(Application.objects.owned_by(user), submission, write)


@transaction.atomic
def interview_add(
    *, application: Application, interview: NewInterview, submission: str = ""
) -> tuple[Interview, bool]:
    """Add an interview round; new people met are added to the application's contacts.
    Its decision dates are `interview_decision_dates` of what they said. Returns
    (interview, created); `submission` as for `application_record`, per application."""

    decision_from, decision_by = interview_decision_dates(
        timing=interview.timing,
        date=interview.date,
        decision_from=interview.decision_from,
        decision_by=interview.decision_by,
    )

    def write():
        # Only the application's own people may be linked, whatever ids are passed.
        existing = list(
            application.contacts.filter(pk__in=interview.existing_contact_ids).values_list(
                "pk", flat=True
            )
        )
        new = len(interview.new_contacts)
        _check_people(application, met=len(existing) + new, new=new)
        recorded = Interview.objects.create(
            application=application,
            date=interview.date,
            time=interview.time,
            place=interview.place,
            format=interview.format,
            next_steps=interview.next_steps,
            timing=interview.timing,
            decision_from=decision_from,
            decision_by=decision_by,
            submission=submission,
        )
        new_contacts = Contact.objects.bulk_create(
            Contact(
                application=application,
                name=person.name,
                title=person.title,
                email=person.email,
                phone=person.phone,
            )
            for person in interview.new_contacts
        )
        recorded.contacts.set([contact.pk for contact in new_contacts] + existing)
        return recorded

    recorded, created = _once(application.interviews.all(), submission, write)
    if created:
        _touch(application)
    return recorded, created


@transaction.atomic
def interview_update(
    *, interview: Interview, changes: NewInterview, contact_ids: Iterable[int] = ()
) -> Interview:
    """Correct an interview: its date, format, next steps, what they said about timing
    (its dates worked out again, as `interview_add`), and who was there: the people of
    `contact_ids` (the application's own; any other id is ignored) and the new people
    of `changes`, who are added to the application's contacts."""
    application = interview.application
    _lock(application)
    decision_from, decision_by = interview_decision_dates(
        timing=changes.timing,
        date=changes.date,
        decision_from=changes.decision_from,
        decision_by=changes.decision_by,
    )
    # Only the application's own people may be linked, whatever ids are passed.
    kept = list(application.contacts.filter(pk__in=list(contact_ids)).values_list("pk", flat=True))
    new = len(changes.new_contacts)
    _check_people(application, met=len(kept) + new, new=new)
    interview.date, interview.format = changes.date, changes.format
    interview.time, interview.place = changes.time, changes.place
    interview.next_steps, interview.timing = changes.next_steps, changes.timing
    interview.decision_from, interview.decision_by = decision_from, decision_by
    interview.full_clean(exclude=["application", "submission"])
    interview.save()
    new_contacts = Contact.objects.bulk_create(
        Contact(application=application, name=person.name, title=person.title, email=person.email)
        for person in changes.new_contacts
    )
    interview.contacts.set([*kept, *(contact.pk for contact in new_contacts)])
    _touch(application)
    return interview


@transaction.atomic
def interview_timing_record(
    *,
    interview: Interview,
    timing: str,
    decision_from: datetime.date | None = None,
    decision_by: datetime.date | None = None,
) -> Interview:
    """What they said about timing, answered after an interview recorded ahead of time
    ("not asked yet"): its dates worked out as `interview_add` does."""
    _lock(interview.application)
    interview.timing = timing
    interview.decision_from, interview.decision_by = interview_decision_dates(
        timing=timing, date=interview.date, decision_from=decision_from, decision_by=decision_by
    )
    interview.full_clean(exclude=["application", "submission"])
    interview.save(update_fields=["timing", "decision_from", "decision_by"])
    _touch(interview.application)
    return interview


@transaction.atomic
def interview_delete(*, interview: Interview) -> None:
    """Remove an interview round (the people met stay on the application)."""
    application = interview.application
    _lock(application)
    interview.delete()
    _touch(application)


@transaction.atomic
def contact_add(*, application: Application, person: NewContact) -> Contact:
    """Add a person (a recruiter, a referrer, someone met) to the application."""
    _lock(application)
    _check_people(application, met=0, new=1)
    contact = Contact(
        application=application,
        name=person.name,
        title=person.title,
        email=person.email,
        phone=person.phone,
    )
    contact.full_clean()
    contact.save()
    _touch(application)
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, person: NewContact) -> Contact:
    _lock(contact.application)
    contact.name, contact.title = person.name, person.title
    contact.email, contact.phone = person.email, person.phone
    contact.full_clean()
    contact.save()
    _touch(contact.application)
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    """Remove a person: they leave the interviews they were at, and the follow-ups to
    them stay, addressed to nobody in particular."""
    application = contact.application
    _lock(application)
    contact.delete()
    _touch(application)


def _check_people(application: Application, *, met: int, new: int) -> None:
    """ValidationError, in words for the form that asked, when an interview would have
    met more than MAX_PEOPLE_MET people, or `new` more people would take `application`
    past MAX_PEOPLE (docs/data-format.md states both; the import checks them too)."""
    if met > MAX_PEOPLE_MET:
        raise ValidationError(
            _("That is %(count)d people met at one interview; one interview has at most %(limit)d.")
            % {"count": met, "limit": MAX_PEOPLE_MET},
            code="too_many_people_met",
        )
    if new and (had := application.contacts.count()) + new > MAX_PEOPLE:
        raise ValidationError(
            _(
                "This application has %(had)d people; one application has at most %(limit)d. "
                "Remove someone who is no longer part of it first."
            )
            % {"had": had, "limit": MAX_PEOPLE},
            code="too_many_people",
        )


def _once(rows, submission: str, write):
    """`write()`'s new row and True, or, when the form `submission` already recorded a
    row of `rows`, that row and False, having written nothing.

    The write runs in a savepoint: on PostgreSQL a twin request's insert of the same
    submission waits for ours on the unique index, then fails here without aborting the
    caller's transaction, and the twin's row is returned. (On SQLite, whose IMMEDIATE
    transactions serialise writers, the twin waits at BEGIN instead, then finds the row
    before writing.) An IntegrityError with no such row is another constraint's: raised.
    """
    saved = rows.filter(submission=submission).first() if submission else None
    if saved is not None:
        return saved, False
    try:
        with transaction.atomic():
            return write(), True
    except IntegrityError:
        saved = rows.filter(submission=submission).first() if submission else None
        if saved is None:
            raise
        return saved, False


@transaction.atomic
def follow_up_log(
    *,
    application: Application,
    kind: str,
    date: datetime.date,
    channel: str = "other",
    contact: Contact | None = None,
    note: str = "",
    new_decision_by: datetime.date | None = None,
    outcome: str = "",
) -> tuple[FollowUp, bool]:
    """Record a thank-you, a check-in or a response; returns (follow_up, created).

    A double click sends the same action twice: the application row is locked and an
    identical touchpoint already recorded is returned instead of a second one.
    """
    if contact is not None and contact.application_id != application.pk:
        raise ValueError("the contact belongs to another application")
    if kind != FollowUpKind.RESPONSE and (new_decision_by is not None or outcome):
        raise ValueError("only a response carries a new date or an outcome")
    if outcome == ResponseOutcome.COURTESY and new_decision_by is not None:
        raise ValueError("a courtesy reply is no news: it carries no new date")
    _lock(application)
    identity = {
        "kind": kind,
        "date": date,
        "contact": contact,
        "new_decision_by": new_decision_by,
        "outcome": outcome,
    }
    existing = application.follow_ups.filter(**identity).first()
    if existing is not None:
        return existing, False
    follow_up = FollowUp.objects.create(
        application=application, channel=channel, note=note, **identity
    )
    _touch(application)
    return follow_up, True


@transaction.atomic
def thank_yous_log(
    *, application: Application, date: datetime.date, contact: Contact | None = None
) -> list[FollowUp]:
    """Record a thank-you sent on `date`: to `contact`, or, with no one chosen, to
    everyone met at the latest interview held by then, one note each (the rules owe
    each person their own, docs/status-rules.md); to nobody in particular when nobody
    was recorded there. Returns the thank-yous added: none when the same were already
    recorded (a double click)."""
    if contact is not None:
        people = [contact]
    else:
        held = application.interviews.filter(date__lte=date)
        latest = held.order_by("-date").values_list("date", flat=True).first()
        people = list(
            application.contacts.filter(interviews__in=held.filter(date=latest))
            .distinct()
            .order_by("pk")
        ) or [None]
    added = []
    for person in people:
        follow_up, created = follow_up_log(
            application=application,
            kind=FollowUpKind.THANK_YOU,
            date=date,
            channel="email",
            contact=person,
        )
        if created:
            added.append(follow_up)
    return added


def follow_up_state(follow_up: FollowUp) -> list:
    """What a follow-up says, as plain values (JSON, for the session): an undo removes it
    only while it still says this (`follow_ups_unlog`)."""
    return [
        follow_up.kind,
        follow_up.date.isoformat(),
        follow_up.channel,
        follow_up.contact_id,
        follow_up.note,
        follow_up.new_decision_by.isoformat() if follow_up.new_decision_by else None,
        follow_up.outcome,
    ]


@transaction.atomic
def follow_ups_unlog(*, user: AbstractBaseUser, recorded: dict[str, list]) -> bool:
    """Undo the recording of the user's follow-ups `recorded` ({id: follow_up_state}):
    all are removed, or, when one was corrected or removed since, none. Returns whether
    they were."""
    ids = [int(pk) for pk in recorded]
    # Locked with their applications (as every writer of one locks it, `_lock`) before
    # they are compared: a correction saved meanwhile waits, and is then left alone.
    follow_ups = list(
        FollowUp.objects.select_for_update()
        .filter(application__owner=user, pk__in=ids)
        .select_related("application")
    )
    if len(follow_ups) != len(ids) or any(
        follow_up_state(follow_up) != recorded[str(follow_up.pk)] for follow_up in follow_ups
    ):
        return False
    for follow_up in follow_ups:
        follow_up_delete(follow_up=follow_up)
    return True


@transaction.atomic
def follow_up_update(
    *,
    follow_up: FollowUp,
    kind: str,
    date: datetime.date,
    channel: str,
    contact: Contact | None = None,
    note: str = "",
    new_decision_by: datetime.date | None = None,
    outcome: str = "",
) -> FollowUp:
    """Correct a thank-you, check-in or response: every field, the same checks as
    `follow_up_log` (ValueError), and the model's (ValidationError)."""
    application = follow_up.application
    if contact is not None and contact.application_id != application.pk:
        raise ValueError("the contact belongs to another application")
    if kind != FollowUpKind.RESPONSE and (new_decision_by is not None or outcome):
        raise ValueError("only a response carries a new date or an outcome")
    if outcome == ResponseOutcome.COURTESY and new_decision_by is not None:
        raise ValueError("a courtesy reply is no news: it carries no new date")
    _lock(application)
    follow_up.kind, follow_up.date, follow_up.channel = kind, date, channel
    follow_up.contact, follow_up.note = contact, note
    follow_up.new_decision_by, follow_up.outcome = new_decision_by, outcome
    follow_up.full_clean(exclude=["application"])
    follow_up.save()
    _touch(application)
    return follow_up


@transaction.atomic
def follow_up_delete(*, follow_up: FollowUp) -> None:
    """Remove a thank-you, check-in or response; the status follows at once."""
    application = follow_up.application
    _lock(application)
    follow_up.delete()
    _touch(application)


def _lock(application: Application) -> None:
    """Serialise writers of one application (a no-op lock on SQLite, whose IMMEDIATE
    transactions already serialise every writer)."""
    Application.objects.select_for_update().filter(pk=application.pk).values_list("pk").get()


def _touch(application: Application) -> None:
    Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())


# ----------------------------------------------------------------------------------------
# Closing, snoozing, editing, deleting
#
# The page's buttons change one application, the dashboard's bulk form and the admin's
# actions several; both go through the same write (`_close`, `_snooze`), so a close is
# the same wherever it is made.


@transaction.atomic
def application_close(*, application: Application, outcome: str) -> Application:
    """Close the application as `outcome` (an `Outcome`), the write `applications_close`
    makes for several."""
    _close(Application.objects.filter(pk=application.pk), outcome=outcome)
    application.refresh_from_db(fields=["outcome", "snoozed_until", "updated_at"])
    return application


@transaction.atomic
def applications_close(*, user: AbstractBaseUser, ids: Iterable[int], outcome: str) -> int:
    """Close those of `ids` that are the user's applications (anyone else's id is ignored)
    as `outcome`; returns how many were closed."""
    return _close(Application.objects.owned_by(user).filter(pk__in=ids), outcome=outcome)


def _close(applications: QuerySet[Application], *, outcome: str) -> int:
    """The one write of closing: the outcome, and no snooze left (a closed application
    has nothing to remind about). ValueError for anything but an `Outcome`."""
    if outcome not in Outcome.values:
        raise ValueError(f"{outcome!r} is not an outcome")
    return applications.update(outcome=outcome, snoozed_until=None, updated_at=timezone.now())


@transaction.atomic
def application_reopen(*, application: Application) -> Application:
    """Undo a close: the application is active again, its status the rules'."""
    application.outcome = ""
    application.save(update_fields=["outcome", "updated_at"])
    return application


@transaction.atomic
def application_snooze(*, application: Application, until: datetime.date | None) -> Application:
    """Hold the application's reminders until `until` (None: remove the snooze), the
    write `applications_snooze` makes for several."""
    _snooze(Application.objects.filter(pk=application.pk), until=until)
    application.refresh_from_db(fields=["snoozed_until", "updated_at"])
    return application


@transaction.atomic
def applications_snooze(
    *, user: AbstractBaseUser, ids: Iterable[int], until: datetime.date | None
) -> int:
    """Snooze those of `ids` that are the user's applications (anyone else's id is
    ignored) until `until`; returns how many were snoozed."""
    return _snooze(Application.objects.owned_by(user).filter(pk__in=ids), until=until)


def _snooze(applications: QuerySet[Application], *, until: datetime.date | None) -> int:
    return applications.update(snoozed_until=until, updated_at=timezone.now())


@transaction.atomic
def applications_restore(
    *,
    user: AbstractBaseUser,
    before: dict[int, tuple[str, datetime.date | None]],
    after: dict[int, tuple[str, datetime.date | None]],
) -> int:
    """Undo a close, reopen or snooze: put back the (outcome, snoozed until) each of the
    user's applications had `before`, where it is still as the action left it (`after`).
    One changed since (closed another way, snoozed again) is left as it is. Returns how
    many were put back."""
    rows = Application.objects.owned_by(user).select_for_update().filter(pk__in=before)
    restored = 0
    for pk, outcome, until in list(rows.values_list("pk", "outcome", "snoozed_until")):
        if after.get(pk) != (outcome, until):
            continue
        earlier_outcome, earlier_until = before[pk]
        restored += Application.objects.filter(pk=pk).update(
            outcome=earlier_outcome, snoozed_until=earlier_until, updated_at=timezone.now()
        )
    return restored


@transaction.atomic
def application_update(
    *,
    application: Application,
    company: str,
    role: str,
    applied_on: datetime.date,
    posting_url: str = "",
    notes: str = "",
    details: JobDetails = JobDetails(),
) -> Application:
    """Change what the user wrote about the application itself. Only these fields are
    written: a close or a snooze made meanwhile (another tab) is kept."""
    application.company = company
    application.role = role
    application.applied_on = applied_on
    application.posting_url = posting_url
    application.notes = notes
    for name, value in asdict(details).items():
        setattr(application, name, value)
    application.full_clean(exclude=["owner", "submission"])
    application.save(
        update_fields=[
            "company",
            "role",
            "applied_on",
            "posting_url",
            "notes",
            *JOB_DETAILS,
            "updated_at",
        ]
    )
    return application


@transaction.atomic
def application_delete(*, application: Application) -> None:
    """Delete the application and, by cascade, its people, interviews and follow-ups."""
    application.delete()


# ----------------------------------------------------------------------------------------
# Settings and accounts

# What the settings page changes; the calendar feed's secret has its own services below.
PREFERENCE_SETTINGS = (
    "time_zone",
    "grace_days",
    "no_date_wait_days",
    "applied_wait_days",
    "check_in_spacing_days",
    "max_check_ins",
    "applied_gives_up_days",
    "last_try_after_days",
    "weekdays_only",
    "holiday_country",
    "holiday_subdivision",
    "signature_name",
    "digest_opt_in",
)


@transaction.atomic
def preferences_update(*, preferences: Preferences, **settings: str | int | bool) -> Preferences:
    """Change some of the user's PREFERENCE_SETTINGS (by name; TypeError for any other
    name). ValidationError, and nothing saved, when a value is out of its range."""
    unknown = set(settings) - set(PREFERENCE_SETTINGS)
    if unknown:
        raise TypeError(f"not a setting: {', '.join(sorted(unknown))}")
    for name, value in settings.items():
        setattr(preferences, name, value)
    fields = list(settings)
    if "time_zone" in settings:
        # They saw the zone and kept or changed it: no need to ask any more.
        preferences.time_zone_confirmed = True
        fields.append("time_zone_confirmed")
    preferences.full_clean()
    preferences.save(update_fields=fields)
    return preferences


@transaction.atomic
def account_create(
    *,
    username: str,
    email: str,
    password: str,
    holiday_country: str = "",
    time_zone: str = "",
) -> AbstractBaseUser:
    """A new account, with `password` hashed (`username` and `password` already checked
    by the sign-up form), and its preferences: the defaults, with the public holidays of
    `holiday_country` (a code the sign-up form offered and the user saw) when given, and
    the time zone the user chose (then confirmed: they saw it)."""
    user = get_user_model()(username=username, email=email)
    user.set_password(password)
    user.save()
    preferences = Preferences(user=user, holiday_country=holiday_country)
    if time_zone:
        preferences.time_zone, preferences.time_zone_confirmed = time_zone, True
    preferences.full_clean(exclude=["user"])
    preferences.save()
    return user


@transaction.atomic
def account_email_change(*, user: AbstractBaseUser, email: str) -> None:
    """Give `user` the address `email` ("" removes theirs). It is unverified until the
    link sent to it is opened (see models.VerifiedEmail): sending that link is the
    caller's next step."""
    user.email = email
    user.save(update_fields=["email"])


@transaction.atomic
def account_email_verify(
    *, user: AbstractBaseUser, email: str, now: datetime.datetime | None = None
) -> None:
    """Record that `user` opened the link sent to `email`, their address when it was
    checked. Should the address have changed since, the record names the old one, and
    the new one stays unverified."""
    VerifiedEmail.objects.update_or_create(
        user=user, defaults={"email": email, "verified_at": now or timezone.now()}
    )


@transaction.atomic
def account_delete(*, user: AbstractBaseUser) -> None:
    """Delete `user` and everything theirs: applications with their people, interviews
    and follow-ups, preferences (and so the calendar feed), digest claims and the
    verified address, all by cascade, and django-axes' records of their sign-ins, which
    are kept by username rather than by a foreign key. (The mail slots name no user:
    they expire within the hour.)"""
    username = user.get_username()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
    user.delete()


# ----------------------------------------------------------------------------------------
# The daily digest's claim: one row per user and local day (see applications.digest)


# A digest is sent seconds after its claim. A claim still unsent after this long was made
# by a run that died in between (killed, the host rebooted): a later run takes it over.
DIGEST_CLAIM_STALE_AFTER = datetime.timedelta(minutes=30)


def digest_claim(*, user, day: datetime.date, now: datetime.datetime | None = None) -> bool:
    """Claim `day`'s digest for `user`: True for the one caller that may send it, False
    when another claim holds it (this run or another, on any host, got there first, and
    has sent it or may still be sending it).

    The unique (user, day) constraint decides; the insert commits at once, in its own
    transaction (a savepoint inside an outer one), so on PostgreSQL a lost race aborts
    nothing but itself, and other runs see the claim as soon as it is made. A claim left
    unsent for DIGEST_CLAIM_STALE_AFTER is taken over by one UPDATE, which only one run
    can win (the loser's re-checked WHERE no longer matches). The price of never losing
    a day's digest: a run that sent it and died before recording so sends it twice.
    """
    now = now if now is not None else timezone.now()
    try:
        with transaction.atomic():
            DigestClaim.objects.create(user=user, day=day, claimed_at=now)
        return True
    except IntegrityError:
        pass
    taken_over = DigestClaim.objects.filter(
        user=user,
        day=day,
        sent_at__isnull=True,
        claimed_at__lt=now - DIGEST_CLAIM_STALE_AFTER,
    ).update(claimed_at=now)
    return taken_over == 1


def digest_mark_sent(*, user, day: datetime.date) -> None:
    DigestClaim.objects.filter(user=user, day=day).update(sent_at=timezone.now())


def digest_release(*, user, day: datetime.date) -> None:
    """Give up a claim whose email could not be sent, so a later run may retry it.
    A digest already sent is never released."""
    DigestClaim.objects.filter(user=user, day=day, sent_at__isnull=True).delete()


# ----------------------------------------------------------------------------------------
# The calendar feed's secret address


@transaction.atomic
def calendar_token_regenerate(*, preferences: Preferences) -> str:
    """Turn the calendar feed on with a new secret, or replace the secret: the old
    address stops working at once. Returns the new secret (256 random bits, URL-safe,
    43 characters: it fits `calendar_token` and never needs escaping in a URL)."""
    preferences.calendar_token = secrets.token_urlsafe(32)
    preferences.save(update_fields=["calendar_token"])
    return preferences.calendar_token


@transaction.atomic
def calendar_token_revoke(*, preferences: Preferences) -> None:
    """Turn the calendar feed off: its address answers 404 from now on."""
    preferences.calendar_token = ""
    preferences.save(update_fields=["calendar_token"])


@transaction.atomic
def calendar_token_renew(*, user) -> bool:
    """After `user`'s password changed (changed, or reset by email): a calendar feed that
    is on gets a new address and the old one stops working, since whoever made the
    password change necessary may hold that too; a feed that is off stays off. True when
    there was a feed to renew."""
    preferences = Preferences.objects.filter(user=user).exclude(calendar_token="").first()
    if preferences is None:
        return False
    calendar_token_regenerate(preferences=preferences)
    return True


# ----------------------------------------------------------------------------------------
# Sign-up: usernames it could not give, counted per visitor's address

# A visitor who meets this many taken usernames in an hour is refused sign-ups for the
# rest of that hour: a person picking a name meets one or two, while a script asking
# which names exist meets hundreds. Counted in Django's cache: with the default (memory)
# cache each worker process counts its own visitors, so with N workers the bound is N
# times this; a shared cache (CACHES) makes it exact.
SIGNUP_UNAVAILABLE_PER_HOUR = 10
SIGNUP_UNAVAILABLE_WINDOW = datetime.timedelta(hours=1)


def _signup_unavailable_key(ip: str | None) -> str:
    return f"hearback:signup-unavailable:{ip}"


def signup_unavailable_count(*, ip: str | None) -> int:
    """Note that the visitor at `ip` asked for a username that is taken; how many they
    have asked for in the current hour (which starts with the first)."""
    key = _signup_unavailable_key(ip)
    cache.add(key, 0, timeout=SIGNUP_UNAVAILABLE_WINDOW.total_seconds())
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls: this one starts a new hour
        cache.add(key, 1, timeout=SIGNUP_UNAVAILABLE_WINDOW.total_seconds())
        return 1


def signup_paused(*, ip: str | None) -> bool:
    """Has the visitor at `ip` met SIGNUP_UNAVAILABLE_PER_HOUR taken usernames this hour?"""
    return cache.get(_signup_unavailable_key(ip), 0) >= SIGNUP_UNAVAILABLE_PER_HOUR


# ----------------------------------------------------------------------------------------
# Importing a hearback/v1 document, checked first by applications.interchange


@dataclass(frozen=True, slots=True)
class ImportResult:
    applications: int
    contacts: int
    interviews: int
    follow_ups: int
    already_there: int = 0  # applications skipped: the user has them already


# An import is written this many rows at a time, by database (vendor), each batch in its
# own short transaction. SQLite has one writer at a time for the whole database: one
# transaction for a 10,000-application upload held the lock 4 s, a million people met
# (through the command) over 20 s, and another user's save failed after its 20 s wait.
# A batch of 5,000 rows holds it a fifth of a second at most (bench/bench_import.py).
# PostgreSQL locks only the rows written: there the whole import is one transaction,
# atomic even if the server dies.
IMPORT_BATCH_ROWS = {"sqlite": 5_000}


def applications_import(*, user, document: ValidatedDocument) -> ImportResult:
    """Add `document`'s applications to `user`'s data, all or nothing.

    `document` comes from `interchange.validate_document` (or `load_document`). Parsed
    JSON not yet validated is validated here first: InvalidDocument, with the errors,
    and nothing saved.

    The rows are written in batches of IMPORT_BATCH_ROWS (on SQLite; one batch
    elsewhere, or inside a caller's transaction, of which the import is then a part),
    each in its own transaction, so that another user's save waits for one batch at
    most, never for the whole import. All or nothing still: if a batch fails, the
    applications of the batches before it are deleted, with everything under them, and
    the error is raised. While it runs, the user's other pages may show the applications
    written so far. (A process killed outright between two batches, which no exception
    reaches, would leave those; docs/data-format.md says so.)

    One `bulk_create` per table and batch (row by row is several times slower:
    bench/bench_import.py); it relies on the database returning the new primary keys
    (SQLite >= 3.35 and PostgreSQL do), which wire contacts to their interviews and
    follow-ups.
    """
    if not isinstance(document, ValidatedDocument):
        document, errors = validate_document(document)
        if errors:
            raise InvalidDocument(errors)
    # Importing the same file again changes nothing: an application the user already
    # has (`selectors.KnownApplications`) is skipped, with everything under it.
    known = selectors.known_applications_get(user=user)
    valid = [app for app in document.applications if not known.has(app)]
    already_there = len(document.applications) - len(valid)
    size = None if connection.in_atomic_block else IMPORT_BATCH_ROWS.get(connection.vendor)
    written = _Written()
    committed = []  # ids of the applications whose batch committed: what an undo deletes
    try:
        for batch in _batches(_import_runs(valid), size):
            runs = _import_instances(user, batch)  # outside the transaction: see there
            with transaction.atomic():
                committed.extend(_import_write(runs, written))
    except BaseException:
        _import_undo(user, committed)
        raise
    return ImportResult(
        applications=len(valid),
        contacts=sum(len(app.contacts) for app in valid),
        interviews=sum(len(app.interviews) for app in valid),
        follow_ups=sum(len(app.follow_ups) for app in valid),
        already_there=already_there,
    )


# The kinds of row, in the order a batch writes them: each refers only to rows of the
# kinds before it.
_APPLICATION, _CONTACT, _INTERVIEW, _PERSON_MET, _FOLLOW_UP = range(5)


def _import_runs(valid):
    """The document's rows as runs (kind, application index, interview position for
    people met, items): one row per item, every row after the rows it refers to, so that
    a batch may end anywhere, even inside a run."""
    for index, app in enumerate(valid):
        yield _APPLICATION, index, None, (app,)
        yield _CONTACT, index, None, app.contacts
        yield _INTERVIEW, index, None, app.interviews
        for position, interview in enumerate(app.interviews):
            yield _PERSON_MET, index, position, interview.contacts
        yield _FOLLOW_UP, index, None, app.follow_ups


def _batches(runs, size: int | None):
    """`runs` cut into lists of runs of `size` rows in all (the last fewer; all of them
    in one list for None)."""
    batch, room = [], size
    for kind, index, position, items in runs:
        while items:
            taken = items if room is None else items[:room]
            batch.append((kind, index, position, taken))
            items = items[len(taken) :]
            if room is not None:
                room -= len(taken)
                if not room:
                    yield batch
                    batch, room = [], size
    if batch:
        yield batch


@dataclass(slots=True)
class _Written:
    """The new ids of what an import wrote so far, by application index (and position in
    the application's contacts and interviews, the validator's refs)."""

    applications: list[int] = field(default_factory=list)
    contacts: list[list[int]] = field(default_factory=list)
    interviews: list[list[int]] = field(default_factory=list)


def _import_instances(user, batch) -> list[list[tuple]]:
    """The runs of `batch` by kind, each (application index, interview position, items,
    their unsaved model instances); `_import_write` fills in the ids they refer to.

    Made before the batch's transaction, so that SQLite's lock is free meanwhile: it is a
    fifth of an import's time, and another writer waiting for the lock (which retries
    every 100 ms or so) finds it free in those gaps. Were each batch to start as the
    last one ends, it would wait seconds (measured: 2 to 5 s, against under 1 s with the
    gaps, during a 10,000-application import and one of a million people met)."""
    PersonMet = Interview.contacts.through
    runs = [[] for _kind in range(5)]
    for kind, index, position, items in batch:
        if kind == _APPLICATION:
            made = [
                Application(
                    owner=user,
                    company=app.company,
                    role=app.role,
                    applied_on=app.applied_on,
                    posting_url=app.posting_url,
                    notes=app.notes,
                    outcome=app.outcome,
                    location=app.location,
                    remote=app.remote,
                    salary_min=app.salary_min,
                    salary_max=app.salary_max,
                    source=app.source,
                    snoozed_until=app.snoozed_until,
                )
                for app in items
            ]
        elif kind == _CONTACT:
            made = [
                Contact(name=item.name, title=item.title, email=item.email, phone=item.phone)
                for item in items
            ]
        elif kind == _INTERVIEW:
            made = [
                Interview(
                    date=item.date,
                    time=item.time,
                    place=item.place,
                    format=item.format,
                    next_steps=item.next_steps,
                    timing=item.timing,
                    decision_from=item.decision_from,
                    decision_by=item.decision_by,
                )
                for item in items
            ]
        elif kind == _PERSON_MET:
            made = [PersonMet() for _contact in items]
        else:
            made = [
                FollowUp(
                    date=item.date,
                    kind=item.kind,
                    channel=item.channel,
                    note=item.note,
                    new_decision_by=item.new_decision_by,
                    outcome=item.outcome,
                )
                for item in items
            ]
        runs[kind].append((index, position, items, made))
    return runs


def _import_write(runs, written: _Written) -> list[int]:
    """Save `_import_instances`' runs, kind by kind, each kind's references filled in
    from `written` (where each kind's new ids go); returns the new applications' ids."""
    applications = Application.objects.bulk_create(
        row for _index, _position, _items, made in runs[_APPLICATION] for row in made
    )
    for application in applications:  # application indexes come in order, from 0
        written.applications.append(application.pk)
        written.contacts.append([])
        written.interviews.append([])

    for kind, model, ids in (
        (_CONTACT, Contact, written.contacts),
        (_INTERVIEW, Interview, written.interviews),
    ):
        for index, _position, _items, made in runs[kind]:
            application_id = written.applications[index]
            for row in made:
                row.application_id = application_id
        model.objects.bulk_create(row for _i, _p, _items, made in runs[kind] for row in made)
        for index, _position, _items, made in runs[kind]:
            ids[index].extend(row.pk for row in made)

    for index, position, items, made in runs[_PERSON_MET]:
        interview_id, contacts = written.interviews[index][position], written.contacts[index]
        for contact, row in zip(items, made, strict=True):
            row.interview_id = interview_id
            row.contact_id = contacts[contact]
    Interview.contacts.through.objects.bulk_create(
        row for _i, _p, _items, made in runs[_PERSON_MET] for row in made
    )

    for index, _position, items, made in runs[_FOLLOW_UP]:
        application_id, contacts = written.applications[index], written.contacts[index]
        for item, row in zip(items, made, strict=True):
            row.application_id = application_id
            if item.contact is not None:
                row.contact_id = contacts[item.contact]
    FollowUp.objects.bulk_create(row for _i, _p, _items, made in runs[_FOLLOW_UP] for row in made)
    return [application.pk for application in applications]


def _import_undo(user, application_ids: list[int]) -> None:
    """Delete the applications a failed import committed, with everything under them, in
    one transaction, a few hundred applications per statement."""
    if not application_ids:
        return
    PersonMet = Interview.contacts.through
    with transaction.atomic():
        for start in range(0, len(application_ids), 500):
            ids = Application.objects.owned_by(user).filter(
                pk__in=application_ids[start : start + 500]
            )
            PersonMet.objects.filter(interview__application__in=ids).delete()
            FollowUp.objects.filter(application__in=ids).delete()
            Interview.objects.filter(application__in=ids).delete()
            Contact.objects.filter(application__in=ids).delete()
            ids.delete()


# ----------------------------------------------------------------------------------------
# Emails sent on a visitor's request, bounded (see models.MailSlot)


@dataclass(frozen=True, slots=True)
class MailAllowance:
    """How many emails of one kind an hour: to one address, and on the requests of one
    visitor's IP address (to any addresses)."""

    per_address: int
    per_ip: int


MAIL_ALLOWANCES = {
    # Enough for a user who asks again when the first link is slow to arrive; too few
    # to fill anyone's inbox. A visitor asking for many addresses is refused sooner
    # than a household or an office behind one address would notice.
    "password_reset": MailAllowance(per_address=3, per_ip=20),
    # Links to confirm an address, from sign-up, a change of address or "send it again".
    "email_confirmation": MailAllowance(per_address=3, per_ip=20),
}
MAIL_ALLOWANCE_HOUR = datetime.timedelta(hours=1)
# Slots older than the hour that one claim deletes, so the table stays about one hour's
# requests long however many addresses are tried; a few per claim keeps each one quick.
MAIL_SLOTS_CLEARED_PER_CLAIM = 100


@transaction.atomic
def mail_slot_claim(
    *, kind: str, address: str, ip: str | None, now: datetime.datetime | None = None
) -> bool:
    """Take one of the hour's slots for an email of `kind` to `address` asked for from
    `ip`: True when the email may be sent. False when the visitor's slots are all taken
    (then nothing else is taken), or the address's are (the visitor's slot stays taken:
    they did ask). `ip` None is not counted. The address counts without case or spaces
    around it, as it is found. Safe on any number of workers and hosts: a slot is a row
    that one INSERT, or one UPDATE of a slot more than an hour old, takes."""
    now = now or timezone.now()
    allowance = MAIL_ALLOWANCES[kind]
    _mail_slots_clear(before=now - MAIL_ALLOWANCE_HOUR)
    if ip and not _mail_slot_take(key=_mail_key(kind, "ip", ip), slots=allowance.per_ip, now=now):
        return False
    return _mail_slot_take(
        key=_mail_key(kind, "address", address.strip().lower()),
        slots=allowance.per_address,
        now=now,
    )


def _mail_key(kind: str, what: str, value: str) -> str:
    return salted_hmac(
        "hearback.services.mail_slot", f"{kind}\n{what}\n{value}", algorithm="sha256"
    ).hexdigest()


def _mail_slots_clear(*, before: datetime.datetime) -> None:
    """Delete some slots taken before `before`, skipping rows another claim is deleting
    or taking over (on PostgreSQL; SQLite runs one writer at a time): no claim waits
    for another's clean-up, so none can deadlock with it."""
    stale = (
        MailSlot.objects.filter(taken_at__lt=before)
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[:MAIL_SLOTS_CLEARED_PER_CLAIM]
    )
    if pks := list(stale):
        MailSlot.objects.filter(pk__in=pks).delete()


def _mail_slot_take(*, key: str, slots: int, now: datetime.datetime) -> bool:
    """Take the first of `key`'s `slots` that is free (never taken, or taken more than
    an hour ago), or answer False."""
    hour_ago = now - MAIL_ALLOWANCE_HOUR
    held = dict(MailSlot.objects.filter(key=key).values_list("slot", "taken_at"))
    for slot in range(slots):
        taken_at = held.get(slot)
        if taken_at is not None and taken_at > hour_ago:
            continue  # in use this hour
        if taken_at is not None and MailSlot.objects.filter(
            key=key, slot=slot, taken_at__lte=hour_ago
        ).update(taken_at=now):
            return True
        try:
            with transaction.atomic():
                MailSlot.objects.create(key=key, slot=slot, taken_at=now)
        except IntegrityError:
            continue  # another request took it, or still holds it: try the next
        return True
    return False
