"""The daily digest (`applications.digest`, `manage.py send_digests`): one email per
opted-in user per local day, only on days something needs doing, claimed in the database
so that runs on several hosts at once still send one."""

import datetime
import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications import digest as digest_module
from applications import services
from applications.models import DigestClaim, Preferences
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    InterviewFactory,
    PreferencesFactory,
    UserFactory,
    follow_up_due,
    full_application,
)
from tests.helpers import at_once

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC
BASE = "https://hearback.example.org"
# Thursday 2026-12-10, noon in UTC: the as_of of the spec's worked examples.
NOON = datetime.datetime(2026, 12, 10, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.HEARBACK_BASE_URL = BASE


def seeker(username, *, time_zone="UTC", opt_in=True, email=None, is_active=True):
    user = UserFactory(
        username=username,
        email=f"{username}@example.com" if email is None else email,
        is_active=is_active,
    )
    PreferencesFactory(user=user, time_zone=time_zone, digest_opt_in=opt_in)
    return user


def thank_you_owed(owner, company="Beacon", name="Dana Reyes"):
    """Interviewed Dana on Tue, Dec 8 and sent nothing since: a note is owed (and, with
    no decision date given, the application waits until Dec 15)."""
    application = ApplicationFactory(owner=owner, company=company, applied_on=D(2026, 11, 25))
    dana = ContactFactory(application=application, name=name)
    InterviewFactory(application=application, date=D(2026, 12, 8), contacts=[dana])
    return application


def outbox_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def html_of(message):
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


# ----------------------------------------------------------------------------------------
# What the email says


def test_an_opted_in_user_gets_one_email_naming_what_is_due_in_text_and_html(settings):
    settings.DEFAULT_FROM_EMAIL = "Hearback <digest@hearback.example.org>"
    owner = seeker("maya")
    owner.first_name = "Maya"
    owner.save()
    acme = follow_up_due(owner)
    beacon = thank_you_owed(owner)

    report = digest_module.digests_send(now=NOON)

    assert report.sent == ["maya"]
    (message,) = mail.outbox
    assert message.to == ["maya@example.com"]
    assert message.from_email == "Hearback <digest@hearback.example.org>"
    assert message.subject == "Hearback: 1 follow-up due today, 1 thank-you note owed"
    for body in (message.body, html_of(message)):
        assert "Hello Maya," in body
        # The follow-up, with the engine's reason and how long it has been due.
        assert "Acme" in body
        assert "They said they would decide by Dec 5; follow up from Dec 7." in body
        assert "Due since Mon, Dec 7 (3 days ago)." in body
        # The thank-you owed: who, where, for which interview.
        assert "Dana Reyes at Beacon, for the interview on Tue, Dec 8 (2 days ago)" in body
        # Two active applications: the keep-searching nudge rides along.
        assert "Keep your search moving" in body
        # Links are absolute: an email has no page to be relative to.
        assert f"{BASE}/applications/{acme.pk}/" in body
        assert f"{BASE}/applications/{beacon.pk}/" in body
        assert f"{BASE}/applications/new/" in body
        assert f"{BASE}/settings/" in body
    assert f'href="{BASE}/applications/{acme.pk}/"' in html_of(message)
    assert html_of(message).startswith("<!DOCTYPE html>")
    claim = DigestClaim.objects.get(user=owner)
    assert claim.day == D(2026, 12, 10)
    assert claim.sent_at is not None


def test_the_subject_counts_what_is_due():
    alone = seeker("alone")
    follow_up_due(alone, "Acme")
    follow_up_due(alone, "Birch")
    grateful = seeker("grateful")
    thank_you_owed(grateful)
    for company in ("Cedar", "Dune", "Elm"):  # three active, one applied this week:
        ApplicationFactory(owner=grateful, company=company, applied_on=D(2026, 12, 9))

    digest_module.digests_send(now=NOON)

    (to_alone,) = outbox_to("alone@example.com")
    assert to_alone.subject == "Hearback: 2 follow-ups due today"
    (to_grateful,) = outbox_to("grateful@example.com")
    assert to_grateful.subject == "Hearback: 1 thank-you note owed"
    # Four active applications, one sent this week: no nudge.
    assert "Keep your search moving" not in to_grateful.body
    assert "Keep your search moving" not in html_of(to_grateful)


def test_a_follow_up_due_today_says_so_and_lists_come_most_overdue_first():
    owner = seeker("maya")
    # Interview Dec 1, decision by Dec 8: the window opens on Thu, Dec 10, today.
    follow_up_due(owner, "Today Co", decision_by=D(2026, 12, 8))
    follow_up_due(owner, "Older Co", interview_on=D(2026, 11, 20), decision_by=D(2026, 11, 25))

    digest_module.digests_send(now=NOON)

    (message,) = mail.outbox
    assert "Due today." in message.body
    assert "Due since Fri, Nov 27 (13 days ago)." in message.body
    assert message.body.index("Older Co") < message.body.index("Today Co")


def test_text_is_left_as_typed_in_the_text_part_and_escaped_in_the_html_part():
    owner = seeker("maya")
    follow_up_due(owner, "Smith & Sons <Ltd>")

    digest_module.digests_send(now=NOON)

    (message,) = mail.outbox
    assert "Smith & Sons <Ltd>" in message.body
    assert "Smith & Sons <Ltd>" not in html_of(message)
    assert "Smith &amp; Sons &lt;Ltd&gt;" in html_of(message)


def test_an_interview_without_named_people_owes_one_note_to_the_interviewers():
    owner = seeker("maya")
    application = ApplicationFactory(owner=owner, company="Quiet", applied_on=D(2026, 12, 1))
    InterviewFactory(application=application, date=D(2026, 12, 9))

    digest_module.digests_send(now=NOON)

    (message,) = mail.outbox
    assert "Your interviewers at Quiet, for the interview on Wed, Dec 9 (yesterday)" in message.body


def test_an_interview_today_is_listed_as_a_reminder():
    owner = seeker("maya")
    follow_up_due(owner)
    today = ApplicationFactory(owner=owner, company="Today Inc", applied_on=D(2026, 12, 1))
    InterviewFactory(application=today, date=D(2026, 12, 10))
    later = ApplicationFactory(owner=owner, company="Later Inc", applied_on=D(2026, 12, 1))
    InterviewFactory(application=later, date=D(2026, 12, 14))

    digest_module.digests_send(now=NOON)

    (message,) = mail.outbox
    interviews = message.body.split("Interviews today")[1]
    assert "Today Inc" in interviews
    assert "Later Inc" not in message.body


def test_long_lists_show_twenty_and_point_to_the_dashboard_for_the_rest():
    owner = seeker("maya")
    for n in range(23):
        follow_up_due(owner, f"Company {n:02d}")

    digest_module.digests_send(now=NOON)

    (message,) = mail.outbox
    assert message.subject == "Hearback: 23 follow-ups due today"
    assert message.body.count("Due since") == 20
    assert "And 3 more on your dashboard." in message.body
    assert html_of(message).count("Due since") == 20
    assert "And 3 more on your dashboard." in html_of(message)


# ----------------------------------------------------------------------------------------
# Who gets one, and when


def test_only_active_opted_in_users_with_an_email_address_get_a_digest():
    for user in (
        seeker("opted_in"),
        seeker("not_opted_in", opt_in=False),
        seeker("no_email", email=""),
        seeker("inactive", is_active=False),
        UserFactory(username="no_preferences", email="no_preferences@example.com"),
    ):
        follow_up_due(user)

    report = digest_module.digests_send(now=NOON)

    assert [message.to for message in mail.outbox] == [["opted_in@example.com"]]
    assert report.sent == ["opted_in"]
    assert list(DigestClaim.objects.values_list("user__username", flat=True)) == ["opted_in"]


def test_nothing_due_sends_nothing_and_claims_nothing():
    owner = seeker("maya")
    # Applied yesterday, no interview: waiting until Dec 23. One active application,
    # so the keep-searching signal is on, but a nudge alone is not worth an email.
    ApplicationFactory(owner=owner, applied_on=D(2026, 12, 9))
    seeker("empty")  # no applications at all

    report = digest_module.digests_send(now=NOON)

    assert mail.outbox == []
    assert report.nothing_due == ["maya", "empty"]
    assert not DigestClaim.objects.exists()


def test_snoozed_and_closed_applications_are_not_due():
    owner = seeker("maya")
    follow_up_due(owner, "Snoozed", snoozed_until=D(2026, 12, 12))
    follow_up_due(owner, "Closed", outcome="rejected")

    digest_module.digests_send(now=NOON)

    assert mail.outbox == []


def test_a_day_with_nothing_due_still_sends_later_that_day_once_something_is():
    owner = seeker("maya")
    application = ApplicationFactory(owner=owner, applied_on=D(2026, 12, 1))

    digest_module.digests_send(now=NOON)
    assert mail.outbox == []
    # The interview happened this afternoon: a thank-you is owed tonight.
    InterviewFactory(application=application, date=D(2026, 12, 10))
    digest_module.digests_send(now=NOON + datetime.timedelta(hours=6))

    assert len(mail.outbox) == 1


def test_running_twice_the_same_day_sends_one_and_the_next_day_another():
    owner = seeker("maya")
    follow_up_due(owner)

    first = digest_module.digests_send(now=NOON)
    again = digest_module.digests_send(now=NOON + datetime.timedelta(hours=11, minutes=59))
    next_day = digest_module.digests_send(now=NOON + datetime.timedelta(hours=12))

    assert (first.sent, again.sent, again.already_sent, next_day.sent) == (
        ["maya"],
        [],
        ["maya"],
        ["maya"],
    )
    assert len(mail.outbox) == 2
    assert "Due since Mon, Dec 7 (3 days ago)." in mail.outbox[0].body
    assert "Due since Mon, Dec 7 (4 days ago)." in mail.outbox[1].body
    assert sorted(DigestClaim.objects.values_list("day", flat=True)) == [
        D(2026, 12, 10),
        D(2026, 12, 11),
    ]


def test_the_users_own_time_zone_decides_which_day_it_is():
    # 23:30 UTC on Thu, Dec 10: Fri 12:30 in Auckland, Thu 15:30 in Los Angeles.
    late = datetime.datetime(2026, 12, 10, 23, 30, tzinfo=UTC)
    kiwi = seeker("kiwi", time_zone="Pacific/Auckland")
    angeleno = seeker("angeleno", time_zone="America/Los_Angeles")
    # Decision by Wed, Dec 9: following up opens on Fri, Dec 11.
    for user in (kiwi, angeleno):
        follow_up_due(user, decision_by=D(2026, 12, 9))

    first = digest_module.digests_send(now=late)

    assert (first.sent, first.nothing_due) == (["kiwi"], ["angeleno"])
    (message,) = mail.outbox
    assert message.to == ["kiwi@example.com"]
    assert "Due today." in message.body
    assert DigestClaim.objects.get().day == D(2026, 12, 11)

    # Nine hours on: Fri 00:30 in Los Angeles (a new day), still Friday in Auckland.
    second = digest_module.digests_send(now=late + datetime.timedelta(hours=9))

    assert (second.sent, second.already_sent) == (["angeleno"], ["kiwi"])
    assert [message.to for message in mail.outbox] == [
        ["kiwi@example.com"],
        ["angeleno@example.com"],
    ]
    assert sorted(DigestClaim.objects.values_list("user__username", "day")) == [
        ("angeleno", D(2026, 12, 11)),
        ("kiwi", D(2026, 12, 11)),
    ]


# ----------------------------------------------------------------------------------------
# The claim


def test_a_claim_is_granted_once_per_user_and_day():
    owner = seeker("maya")
    other = seeker("other")

    assert services.digest_claim(user=owner, day=D(2026, 12, 10)) is True
    assert services.digest_claim(user=owner, day=D(2026, 12, 10)) is False
    # The lost claim rolled back only itself: the transaction around it still works.
    assert services.digest_claim(user=owner, day=D(2026, 12, 11)) is True
    assert services.digest_claim(user=other, day=D(2026, 12, 10)) is True
    assert DigestClaim.objects.count() == 3


def test_a_sent_digest_is_never_released():
    owner = seeker("maya")
    services.digest_claim(user=owner, day=D(2026, 12, 10))
    services.digest_mark_sent(user=owner, day=D(2026, 12, 10))

    services.digest_release(user=owner, day=D(2026, 12, 10))

    assert DigestClaim.objects.get().sent_at is not None


def died_after_claiming(user, *, minutes_ago):
    """What a run killed between its claim and its send leaves: an unsent claim."""
    claimed_at = NOON - datetime.timedelta(minutes=minutes_ago)
    assert services.digest_claim(user=user, day=D(2026, 12, 10), now=claimed_at)


def test_a_claim_left_unsent_by_a_run_that_died_is_sent_by_a_later_run():
    owner = seeker("maya")
    follow_up_due(owner)
    died_after_claiming(owner, minutes_ago=31)

    report = digest_module.digests_send(now=NOON)

    assert report.sent == ["maya"]
    assert [message.to for message in mail.outbox] == [["maya@example.com"]]
    claim = DigestClaim.objects.get()
    assert (claim.claimed_at, claim.sent_at is not None) == (NOON, True)


def test_a_recent_unsent_claim_is_left_to_the_run_that_may_still_be_sending_it():
    owner = seeker("maya")
    follow_up_due(owner)
    died_after_claiming(owner, minutes_ago=29)

    report = digest_module.digests_send(now=NOON)

    assert (report.sent, report.already_sent, mail.outbox) == ([], ["maya"], [])


def test_a_sent_digest_is_not_sent_again_however_old_its_claim():
    owner = seeker("maya")
    follow_up_due(owner)
    died_after_claiming(owner, minutes_ago=600)
    services.digest_mark_sent(user=owner, day=D(2026, 12, 10))

    report = digest_module.digests_send(now=NOON)

    assert (report.sent, report.already_sent, mail.outbox) == ([], ["maya"], [])


def test_only_one_caller_takes_over_a_stale_claim():
    owner = seeker("maya")
    died_after_claiming(owner, minutes_ago=31)

    taken = [services.digest_claim(user=owner, day=D(2026, 12, 10), now=NOON) for _ in range(2)]

    assert taken == [True, False]


def test_a_run_that_loses_the_claim_to_another_sends_nothing(monkeypatch):
    owner = seeker("maya")
    follow_up_due(owner)
    compose = digest_module.digest_compose

    def another_host_claims_meanwhile(**kwargs):
        DigestClaim.objects.create(user=kwargs["user"], day=kwargs["as_of"], claimed_at=NOON)
        return compose(**kwargs)

    monkeypatch.setattr(digest_module, "digest_compose", another_host_claims_meanwhile)
    report = digest_module.digests_send(now=NOON)

    assert (report.sent, report.already_sent) == ([], ["maya"])
    assert mail.outbox == []
    assert DigestClaim.objects.get().sent_at is None  # the other run's, left alone


class FailingForBrokenBackend(LocmemBackend):
    """The locmem backend, except that the mail server refuses broken@example.com."""

    def send_messages(self, messages):
        for message in messages:
            if "broken@example.com" in message.to:
                raise smtplib.SMTPRecipientsRefused({"broken@example.com": (550, b"no")})
        return super().send_messages(messages)


FAILING_BACKEND = f"{__name__}.FailingForBrokenBackend"


def test_a_failed_send_releases_the_claim_and_the_others_still_get_theirs(settings):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    broken = seeker("broken")
    fine = seeker("fine")
    for user in (broken, fine):
        follow_up_due(user)

    report = digest_module.digests_send(now=NOON)

    assert report.sent == ["fine"]
    ((username, error),) = report.failed
    assert username == "broken"
    assert "SMTPRecipientsRefused" in error
    assert [message.to for message in mail.outbox] == [["fine@example.com"]]
    assert list(DigestClaim.objects.values_list("user__username", flat=True)) == ["fine"]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    retry = digest_module.digests_send(now=NOON + datetime.timedelta(hours=1))

    assert (retry.sent, retry.already_sent, retry.failed) == (["broken"], ["fine"], [])
    assert [message.to for message in mail.outbox] == [["fine@example.com"], ["broken@example.com"]]


def test_a_user_whose_digest_cannot_be_composed_does_not_stop_the_others(monkeypatch):
    for username in ("first", "second"):
        follow_up_due(seeker(username))
    compose = digest_module.digest_compose

    def fails_for_first(**kwargs):
        if kwargs["user"].username == "first":
            raise ValueError("bad data")
        return compose(**kwargs)

    monkeypatch.setattr(digest_module, "digest_compose", fails_for_first)
    report = digest_module.digests_send(now=NOON)

    assert report.failed == [("first", "ValueError: bad data")]
    assert report.sent == ["second"]
    assert list(DigestClaim.objects.values_list("user__username", flat=True)) == ["second"]


def test_a_time_zone_this_server_does_not_know_fails_only_that_user():
    for username in ("lost", "found"):
        follow_up_due(seeker(username))
    # The form refuses unknown zones; one may still come from an older zone database.
    Preferences.objects.filter(user__username="lost").update(time_zone="Mars/Olympus")

    report = digest_module.digests_send(now=NOON)

    ((username, error),) = report.failed
    assert username == "lost"
    assert "Mars/Olympus" in error
    assert report.sent == ["found"]


# ----------------------------------------------------------------------------------------
# The command


@pytest.fixture
def real_today():
    """The command reads the clock: data is built relative to today, in UTC."""
    return datetime.datetime.now(tz=UTC).date()


def due_by_the_clock(user, today):
    # Decision date 5 days ago: due from 3 days ago (at most Monday, after a week-end).
    follow_up_due(
        user,
        interview_on=today - datetime.timedelta(days=9),
        decision_by=today - datetime.timedelta(days=5),
    )


def run_command():
    out, err = StringIO(), StringIO()
    try:
        call_command("send_digests", stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_the_command_prints_one_summary_line(real_today):
    for username in ("first", "second"):
        due_by_the_clock(seeker(username), real_today)
    seeker("idle")
    DigestClaim.objects.create(user=seeker("early_bird"), day=real_today)

    out, err, error = run_command()

    assert error is None
    assert out == "sent 2, skipped 1 already sent today, 1 with nothing due, 0 failed\n"
    assert err == ""
    assert len(mail.outbox) == 2


def test_the_command_fails_when_a_send_fails_and_a_later_run_retries(settings, real_today):
    settings.EMAIL_BACKEND = FAILING_BACKEND
    for username in ("broken", "fine"):
        due_by_the_clock(seeker(username), real_today)

    out, err, error = run_command()

    assert out == "sent 1, skipped 0 already sent today, 0 with nothing due, 1 failed\n"
    assert "Could not send the digest of broken: SMTPRecipientsRefused" in err
    assert error is not None
    assert str(error) == "1 digest could not be sent; a later run will retry it."
    assert not DigestClaim.objects.filter(user__username="broken").exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out, err, error = run_command()

    assert (out, err, error) == (
        "sent 1, skipped 1 already sent today, 0 with nothing due, 0 failed\n",
        "",
        None,
    )
    assert [message.to for message in mail.outbox] == [["fine@example.com"], ["broken@example.com"]]


# ----------------------------------------------------------------------------------------
# Cost


def test_each_digest_costs_the_same_queries_for_3_and_for_30_applications():
    def queries_to_send(owner):
        DigestClaim.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            report = digest_module.digests_send(now=NOON)
        assert report.sent == [owner.username]
        return len(captured)

    owner = seeker("maya")
    thank_you_owed(owner)  # so the names of people owed a note are read
    for _ in range(3):
        full_application(owner)  # each due since Dec 7
    with_three = queries_to_send(owner)
    for _ in range(27):
        full_application(owner)
    with_thirty = queries_to_send(owner)

    # 1 opted-in users with their preferences, 2 claims already made for today,
    # 3 applications, 4 the people at each interview, 5 interviews, 6 follow-ups,
    # 7 names of the people owed a thank-you, 8 upcoming interviews, 9-11 the claim in
    # its savepoint, 12 the time it was sent.
    assert with_three == with_thirty == 12
    assert "And 10 more on your dashboard." in mail.outbox[-1].body


# ----------------------------------------------------------------------------------------
# Two runs at once


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent runs need a server database; SQLite's test database is one connection",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("left_by_a_dead_run", [False, True], ids=["fresh", "stale claims"])
def test_two_simultaneous_runs_send_one_email_per_user(left_by_a_dead_run):
    users = [seeker(f"seeker{n:02d}") for n in range(20)]
    for user in users:
        follow_up_due(user)
        if left_by_a_dead_run:  # both runs race to take each claim over
            died_after_claiming(user, minutes_ago=45)

    reports, errors = at_once(lambda: digest_module.digests_send(now=NOON))

    assert errors == []
    expected = sorted(f"{user.username}@example.com" for user in users)
    assert sorted(address for message in mail.outbox for address in message.to) == expected
    first, second = reports
    assert sorted(first.sent + second.sent) == sorted(user.username for user in users)
    assert sorted(first.already_sent + second.already_sent) == sorted(
        user.username for user in users
    )
    assert first.failed == second.failed == []
    assert DigestClaim.objects.filter(sent_at__isnull=False).count() == 20
