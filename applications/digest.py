"""The daily digest: one email a day, on days something needs doing.

`digest_compose` reads what the dashboard reads (`selectors.dashboard_get`, so the rules
are the engine's, never re-implemented here) and keeps what needs action today: the
follow-ups due and the thank-you notes owed. The keep-searching nudge and today's
interviews ride along as reminders but never make an email on their own: a digest that
only says "apply somewhere" every morning would teach people to ignore it.

`digests_send` is what `manage.py send_digests` runs. Before sending it claims the user's
local day with a `DigestClaim` row; the unique (user, day) constraint lets exactly one
run win, whichever host it runs on, so cron may start it often and everywhere. It takes
`now` as an argument so tests pin the moment instead of patching the clock.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from applications import selectors, services
from applications.humanize import day_in_words

logger = logging.getLogger(__name__)

# A long list in an email helps nobody: the rest is one click away on the dashboard.
SHOWN_PER_LIST = 20


@dataclass(slots=True)
class FollowUpDue:
    company: str
    role: str
    reason: str  # the engine's sentence, naming the dates it used
    due: str  # "Due today." or "Due since Mon, Dec 7 (3 days ago)."
    url: str


@dataclass(slots=True)
class ThankYouDue:
    to: str  # "Dana Reyes at Acme", or "Your interviewers at Acme"
    interview_on: str  # "Mon, Dec 7 (3 days ago)"
    url: str


@dataclass(slots=True)
class InterviewToday:
    company: str
    role: str
    url: str


@dataclass(slots=True)
class Digest:
    """What one user's email says on one local day (`as_of`). Links are absolute."""

    as_of: date
    follow_ups: list
    thank_yous: list
    interviews_today: list
    keep_searching: bool
    dashboard_url: str
    new_application_url: str
    settings_url: str
    shown_per_list: int = field(default=SHOWN_PER_LIST)

    @property
    def follow_ups_not_shown(self) -> int:
        return max(0, len(self.follow_ups) - self.shown_per_list)

    @property
    def thank_yous_not_shown(self) -> int:
        return max(0, len(self.thank_yous) - self.shown_per_list)


def absolute_url(path: str) -> str:
    """`path` on the address people reach this server at (an email has no request)."""
    base = getattr(settings, "HEARBACK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + path


def digest_compose(*, user, as_of: date, rules) -> Digest | None:
    """The user's digest for their local day `as_of`, or None when nothing needs action
    (no follow-up due, no thank-you owed). Strings are in the active language.

    The dashboard's queries, a fixed number whatever the number of applications.
    """
    board = selectors.dashboard_get(user=user, as_of=as_of, rules=rules)
    if not (board.follow_up_now or board.thank_yous_owed):
        return None

    def detail_url(application_id):
        return absolute_url(reverse("application_detail", args=[application_id]))

    follow_ups = [
        FollowUpDue(
            company=row.company,
            role=row.role,
            reason=row.status.reason,
            due=(
                _("Due today.")
                if row.status.next_action_date == as_of
                else _("Due since %(day)s.")
                % {"day": day_in_words(row.status.next_action_date, as_of)}
            ),
            url=detail_url(row.id),
        )
        for row in board.follow_up_now
    ]
    thank_yous = [
        ThankYouDue(
            to=(
                _("%(name)s at %(company)s") % {"name": owed.contact_name, "company": owed.company}
                if owed.contact_id is not None
                else _("Your interviewers at %(company)s") % {"company": owed.company}
            ),
            interview_on=day_in_words(owed.interview_on, as_of),
            url=detail_url(owed.application_id),
        )
        for owed in board.thank_yous_owed
    ]
    interviews_today = [
        InterviewToday(
            company=interview.company,
            role=interview.role,
            url=detail_url(interview.application_id),
        )
        for interview in board.upcoming_interviews
        if interview.date == as_of
    ]
    return Digest(
        as_of=as_of,
        follow_ups=follow_ups,
        thank_yous=thank_yous,
        interviews_today=interviews_today,
        keep_searching=board.keep_searching,
        dashboard_url=absolute_url(reverse("dashboard")),
        new_application_url=absolute_url(reverse("application_new")),
        settings_url=absolute_url(reverse("preferences")),
    )


def digest_email(*, user, digest: Digest, connection=None) -> EmailMultiAlternatives:
    """The digest as an email to `user`: plain text, with an HTML alternative."""
    context = {"name": user.get_short_name() or user.get_username(), "digest": digest}
    subject = render_to_string("applications/email/digest_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # a header is one line
        body=render_to_string("applications/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        connection=connection,
    )
    message.attach_alternative(
        render_to_string("applications/email/digest.html", context), "text/html"
    )
    return message


@dataclass(slots=True)
class DigestReport:
    """What one run did, user by user."""

    sent: list = field(default_factory=list)  # usernames
    already_sent: list = field(default_factory=list)  # claimed today, by this or another run
    nothing_due: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (username, error text)

    def summary(self) -> str:
        return _(
            "sent %(sent)d, skipped %(already_sent)d already sent today, "
            "%(nothing_due)d with nothing due, %(failed)d failed"
        ) % {
            "sent": len(self.sent),
            "already_sent": len(self.already_sent),
            "nothing_due": len(self.nothing_due),
            "failed": len(self.failed),
        }


def digests_send(*, now: datetime | None = None) -> DigestReport:
    """Send today's digest to every recipient who has something to do today and has not
    had one yet on their local day; `now` (aware) defaults to the clock.

    Per user: compose (the dashboard's fixed number of queries); when something is due,
    claim the day (one INSERT: a lost race with another run means skip); send; record
    the sending time. A failed send releases the claim, so a later run retries, and the
    run goes on with the others. No claim is made on a day with nothing due, so a run
    later that day still sends if something fell due in between (an interview recorded
    since, say): still at most one email that day.

    A run killed between its claim and its send leaves the claim unsent; a run half an
    hour or more later takes it over and sends (see `services.digest_claim`).
    """
    now = now if now is not None else timezone.now()
    report = DigestReport()
    recipients = []
    for user in selectors.digest_recipients_get():
        prefs = user.preferences
        user._hearback_preferences = prefs  # what selectors.preferences_get would fetch
        try:
            recipients.append((user, selectors.local_today(prefs=prefs, now=now)))
        except Exception as error:  # a zone this server does not know: skip only this user
            report.failed.append((user.get_username(), f"{type(error).__name__}: {error}"))
    if not recipients:
        return report

    # Who already had today's digest (or is being sent it), in one query: at any moment
    # people's local dates span at most three calendar days. The claim below is the real
    # lock; this only spares composing a digest that would not be sent.
    claimed = selectors.digest_claims_get(
        days={day for _user, day in recipients},
        claimed_since=now - services.DIGEST_CLAIM_STALE_AFTER,
    )
    connection = get_connection()
    for user, today in recipients:
        if (user.pk, today) in claimed:
            report.already_sent.append(user.get_username())
            continue
        try:
            with translation.override(settings.LANGUAGE_CODE):
                digest = digest_compose(
                    user=user, as_of=today, rules=selectors.rules_from(user.preferences)
                )
                if digest is None:
                    report.nothing_due.append(user.get_username())
                    continue
                message = digest_email(user=user, digest=digest, connection=connection)
        except Exception as error:  # one user's bad data must not stop everyone's digest
            logger.exception("Could not compose the digest of %s", user.get_username())
            report.failed.append((user.get_username(), f"{type(error).__name__}: {error}"))
            continue

        if not services.digest_claim(user=user, day=today, now=now):
            report.already_sent.append(user.get_username())  # another run won the race
            continue
        try:
            message.send()
        except Exception as error:  # SMTP, DNS, a backend's own errors: retry on a later run
            services.digest_release(user=user, day=today)
            logger.exception("Could not send the digest of %s", user.get_username())
            report.failed.append((user.get_username(), f"{type(error).__name__}: {error}"))
            continue
        services.digest_mark_sent(user=user, day=today)
        report.sent.append(user.get_username())
    return report
