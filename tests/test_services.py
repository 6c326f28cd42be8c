"""The writes (`applications.services`): each changes one user's data in one transaction,
links only the application's own people, and records a double-submitted action once."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection

from applications import services
from applications.models import Application, Contact, FollowUp, Interview, Preferences
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    PreferencesFactory,
    full_application,
)
from tests.helpers import at_once

pytestmark = pytest.mark.django_db

D = datetime.date


def test_recording_an_application_with_its_interview_saves_the_people_met(owner):
    application, _created = services.application_record(
        user=owner,
        company="Acme",
        role="Backend Engineer",
        applied_on=D(2026, 11, 2),
        posting_url="https://example.com/jobs/1",
        interview=services.NewInterview(
            date=D(2026, 11, 20),
            format="onsite",
            next_steps="Panel next",
            decision_by=D(2026, 11, 27),
            new_contacts=(
                services.NewContact(
                    name="Dana Reyes", title="Hiring manager", email="dana@example.com"
                ),
                services.NewContact(name="Lee Chen"),
            ),
        ),
    )

    application.refresh_from_db()
    assert (application.owner, application.company, application.posting_url) == (
        owner,
        "Acme",
        "https://example.com/jobs/1",
    )
    (interview,) = application.interviews.all()
    assert (interview.date, interview.format, interview.next_steps, interview.decision_by) == (
        D(2026, 11, 20),
        "onsite",
        "Panel next",
        D(2026, 11, 27),
    )
    assert sorted(c.name for c in interview.contacts.all()) == ["Dana Reyes", "Lee Chen"]
    assert sorted(application.contacts.values_list("name", "title", "email")) == [
        ("Dana Reyes", "Hiring manager", "dana@example.com"),
        ("Lee Chen", "", ""),
    ]


def test_recording_an_application_without_an_interview_saves_only_the_application(owner):
    application, created = services.application_record(
        user=owner, company="Acme", role="Engineer", applied_on=D(2026, 11, 2)
    )

    assert created
    assert Application.objects.get() == application
    assert (Interview.objects.count(), Contact.objects.count()) == (0, 0)


def test_an_interview_the_database_refuses_leaves_no_half_recorded_application(owner):
    # A decision before the interview breaks a database constraint after the application
    # row is written: the whole record must roll back, not leave an orphan application.
    with pytest.raises(IntegrityError):
        services.application_record(
            user=owner,
            company="Acme",
            role="Engineer",
            applied_on=D(2026, 11, 2),
            interview=services.NewInterview(
                date=D(2026, 11, 20),
                decision_by=D(2026, 11, 19),
                new_contacts=(services.NewContact(name="Dana"),),
            ),
        )

    assert (Application.objects.count(), Contact.objects.count()) == (0, 0)


def test_a_later_round_links_only_the_applications_own_people(owner, stranger):
    application = ApplicationFactory(owner=owner)
    dana = ContactFactory(application=application, name="Dana")
    other_application = ContactFactory(application=ApplicationFactory(owner=owner))
    strangers = ContactFactory(application=ApplicationFactory(owner=stranger))

    interview, _created = services.interview_add(
        application=application,
        interview=services.NewInterview(
            date=D(2026, 11, 27),
            new_contacts=(services.NewContact(name="Sam"),),
            existing_contact_ids=(dana.pk, other_application.pk, strangers.pk),
        ),
    )

    assert sorted(c.name for c in interview.contacts.all()) == ["Dana", "Sam"]
    assert sorted(application.contacts.values_list("name", flat=True)) == ["Dana", "Sam"]
    # Nobody else's people were touched.
    assert other_application.interviews.count() == strangers.interviews.count() == 0


def test_adding_an_interview_marks_the_application_as_changed(owner):
    application = ApplicationFactory(owner=owner)
    before = Application.objects.get(pk=application.pk).updated_at

    services.interview_add(
        application=application, interview=services.NewInterview(date=D(2026, 11, 27))
    )

    assert Application.objects.get(pk=application.pk).updated_at > before


# ----------------------------------------------------------------------------------------
# Follow-ups


def test_a_follow_up_is_recorded_once_however_often_it_is_sent(owner):
    application = ApplicationFactory(owner=owner)
    dana = ContactFactory(application=application)

    def thank_dana():
        return services.follow_up_log(
            application=application, kind="thank_you", date=D(2026, 11, 21), contact=dana
        )

    first, created = thank_dana()
    again, created_again = thank_dana()

    assert (created, created_again) == (True, False)
    assert again == first
    assert list(application.follow_ups.all()) == [first]


def test_different_touchpoints_of_one_day_are_each_recorded(owner):
    application = ApplicationFactory(owner=owner)
    dana, lee = ContactFactory.create_batch(2, application=application)
    day = D(2026, 11, 21)

    results = [
        services.follow_up_log(application=application, kind="thank_you", date=day, contact=dana),
        services.follow_up_log(application=application, kind="thank_you", date=day, contact=lee),
        services.follow_up_log(application=application, kind="check_in", date=day),
        services.follow_up_log(application=application, kind="response", date=day),
        services.follow_up_log(
            application=application, kind="response", date=day, new_decision_by=D(2026, 12, 1)
        ),
    ]

    assert [created for _, created in results] == [True] * 5
    assert application.follow_ups.count() == 5


def test_a_follow_up_cannot_name_someone_from_another_application(owner):
    application = ApplicationFactory(owner=owner)
    elsewhere = ContactFactory(application=ApplicationFactory(owner=owner))

    with pytest.raises(ValueError, match="another application"):
        services.follow_up_log(
            application=application, kind="thank_you", date=D(2026, 11, 21), contact=elsewhere
        )
    assert FollowUp.objects.count() == 0


@pytest.mark.parametrize("extra", [{"outcome": "offer"}, {"new_decision_by": D(2026, 12, 1)}])
def test_only_a_response_carries_a_verdict_or_a_new_date(owner, extra):
    application = ApplicationFactory(owner=owner)

    with pytest.raises(ValueError, match="only a response"):
        services.follow_up_log(
            application=application, kind="check_in", date=D(2026, 11, 21), **extra
        )
    assert FollowUp.objects.count() == 0


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need a server database; SQLite's test database is one connection",
)
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_clicks_record_one_follow_up(owner):
    application = ApplicationFactory(owner=owner)

    results, errors = at_once(
        lambda: services.follow_up_log(
            application=application, kind="check_in", date=D(2026, 11, 21)
        )
    )

    assert errors == []
    assert sorted(created for _, created in results) == [False, True]
    assert FollowUp.objects.filter(application=application).count() == 1


# ----------------------------------------------------------------------------------------
# Closing, snoozing, deleting


def test_closing_sets_the_outcome_and_drops_the_snooze_and_reopening_undoes_it(owner):
    application = ApplicationFactory(owner=owner, snoozed_until=D(2026, 12, 1))

    services.application_close(application=application, outcome="rejected")
    application.refresh_from_db()
    assert (application.outcome, application.snoozed_until) == ("rejected", None)

    services.application_reopen(application=application)
    application.refresh_from_db()
    assert application.outcome == ""


def test_snoozing_sets_and_clears_the_reminder_date(owner):
    application = ApplicationFactory(owner=owner)

    services.application_snooze(application=application, until=D(2026, 12, 1))
    assert Application.objects.get(pk=application.pk).snoozed_until == D(2026, 12, 1)

    services.application_snooze(application=application, until=None)
    assert Application.objects.get(pk=application.pk).snoozed_until is None


def test_bulk_actions_change_only_the_users_own_applications(owner, stranger):
    mine = ApplicationFactory.create_batch(2, owner=owner, snoozed_until=D(2026, 12, 1))
    untouched = ApplicationFactory(owner=owner)
    theirs = ApplicationFactory(owner=stranger)
    ids = [mine[0].pk, mine[1].pk, theirs.pk]

    assert services.applications_snooze(user=owner, ids=ids, until=D(2026, 12, 24)) == 2
    assert services.applications_close(user=owner, ids=ids, outcome="withdrawn") == 2

    assert sorted(
        Application.objects.filter(owner=owner).values_list("pk", "outcome", "snoozed_until")
    ) == sorted(
        [(mine[0].pk, "withdrawn", None), (mine[1].pk, "withdrawn", None), (untouched.pk, "", None)]
    )
    theirs.refresh_from_db()
    assert (theirs.outcome, theirs.snoozed_until) == ("", None)


@pytest.mark.parametrize("outcome", ["offer", "rejected", "withdrawn"])
def test_closing_one_or_several_is_the_same_write(owner, outcome):
    one, *several = ApplicationFactory.create_batch(3, owner=owner, snoozed_until=D(2026, 12, 1))

    services.application_close(application=one, outcome=outcome)
    services.applications_close(user=owner, ids=[app.pk for app in several], outcome=outcome)

    assert set(Application.objects.values_list("outcome", "snoozed_until")) == {(outcome, None)}
    assert (one.outcome, one.snoozed_until) == (outcome, None)  # the instance is current


@pytest.mark.parametrize("outcome", ["", "offer_coming", "next_round", "Rejected"])
def test_closing_with_anything_but_an_outcome_is_refused_and_changes_nothing(owner, outcome):
    application = ApplicationFactory(owner=owner, snoozed_until=D(2026, 12, 1))

    with pytest.raises(ValueError, match="not an outcome"):
        services.applications_close(user=owner, ids=[application.pk], outcome=outcome)
    with pytest.raises(ValueError, match="not an outcome"):
        services.application_close(application=application, outcome=outcome)

    assert Application.objects.values_list("outcome", "snoozed_until").get() == (
        "",
        D(2026, 12, 1),
    )


@pytest.mark.parametrize(
    "write",
    [
        lambda user, ids: services.applications_close(user=user, ids=ids, outcome="offer"),
        lambda user, ids: services.applications_snooze(user=user, ids=ids, until=D(2026, 12, 9)),
    ],
    ids=["close", "snooze"],
)
def test_another_users_applications_cannot_be_closed_or_snoozed(owner, stranger, write):
    theirs = full_application(stranger)
    before = Application.objects.values().get(pk=theirs.pk)

    assert write(owner, [theirs.pk]) == 0

    assert Application.objects.values().get(pk=theirs.pk) == before  # not even updated_at


def test_closing_and_snoozing_mark_the_applications_as_changed(owner):
    closed, snoozed = ApplicationFactory.create_batch(2, owner=owner)
    before = dict(Application.objects.values_list("pk", "updated_at"))

    services.applications_close(user=owner, ids=[closed.pk], outcome="offer")
    services.applications_snooze(user=owner, ids=[snoozed.pk], until=D(2026, 12, 9))

    after = dict(Application.objects.values_list("pk", "updated_at"))
    assert after[closed.pk] > before[closed.pk] and after[snoozed.pk] > before[snoozed.pk]


def test_editing_an_application_writes_what_was_typed_and_keeps_a_close_made_meanwhile(owner):
    application = ApplicationFactory(owner=owner, company="Acme", notes="")
    other = ApplicationFactory(owner=owner, company="Globex")
    # Closed in another tab after this page was loaded: the edit must not reopen it.
    services.applications_close(user=owner, ids=[application.pk], outcome="rejected")

    services.application_update(
        application=application,
        company="Acme Corp",
        role="Staff Engineer",
        applied_on=D(2026, 11, 3),
        posting_url="https://example.com/jobs/2",
        notes="Referred by Sam",
    )

    assert Application.objects.values_list(
        "company", "role", "applied_on", "posting_url", "notes", "outcome"
    ).get(pk=application.pk) == (
        "Acme Corp",
        "Staff Engineer",
        D(2026, 11, 3),
        "https://example.com/jobs/2",
        "Referred by Sam",
        "rejected",
    )
    assert Application.objects.get(pk=other.pk).company == "Globex"


def test_deleting_an_application_deletes_everything_recorded_under_it(owner):
    doomed = full_application(owner)
    kept = full_application(owner)

    services.application_delete(application=doomed)

    assert list(Application.objects.all()) == [kept]
    assert Contact.objects.exclude(application=kept).count() == 0
    assert Interview.objects.exclude(application=kept).count() == 0
    assert FollowUp.objects.exclude(application=kept).count() == 0
    assert Interview.contacts.through.objects.exclude(interview__application=kept).count() == 0
    assert (kept.contacts.count(), kept.interviews.count(), kept.follow_ups.count()) == (2, 2, 3)


# ----------------------------------------------------------------------------------------
# Preferences


def test_preferences_are_updated_when_valid(owner):
    prefs = PreferencesFactory(user=owner)

    services.preferences_update(preferences=prefs, time_zone="Asia/Tokyo", grace_days=5)

    assert Preferences.objects.values_list("time_zone", "grace_days").get(user=owner) == (
        "Asia/Tokyo",
        5,
    )


@pytest.mark.parametrize(
    "values", [{"grace_days": 91}, {"max_check_ins": 0}, {"time_zone": "Mars/Olympus_Mons"}]
)
def test_invalid_preferences_are_refused_and_nothing_is_saved(owner, values):
    prefs = PreferencesFactory(user=owner)

    with pytest.raises(ValidationError):
        services.preferences_update(preferences=prefs, **values)

    assert Preferences.objects.values_list("time_zone", "grace_days", "max_check_ins").get(
        user=owner
    ) == ("UTC", 2, 2)


def test_a_setting_that_is_not_one_is_refused(owner):
    prefs = PreferencesFactory(user=owner)

    with pytest.raises(TypeError, match="calendar_token"):
        services.preferences_update(preferences=prefs, calendar_token="chosen-by-me")

    assert Preferences.objects.get(user=owner).calendar_token == ""


def test_saving_settings_keeps_a_calendar_address_made_meanwhile(owner):
    prefs = PreferencesFactory(user=owner)
    # The settings page was loaded, then the calendar feed turned on in another tab.
    token = services.calendar_token_regenerate(preferences=Preferences.objects.get(user=owner))

    services.preferences_update(preferences=prefs, grace_days=4)

    assert Preferences.objects.values_list("grace_days", "calendar_token").get(user=owner) == (
        4,
        token,
    )


def test_changing_the_calendar_address_changes_only_that_users(owner, stranger):
    mine, theirs = PreferencesFactory(user=owner), PreferencesFactory(user=stranger)
    their_token = services.calendar_token_regenerate(preferences=theirs)

    services.calendar_token_regenerate(preferences=mine)
    services.calendar_token_revoke(preferences=mine)

    assert Preferences.objects.get(user=stranger).calendar_token == their_token
    assert Preferences.objects.get(user=owner).calendar_token == ""


# ----------------------------------------------------------------------------------------
# Accounts


def test_a_new_account_signs_in_with_its_password_which_is_stored_hashed(db):
    user = services.account_create(
        username="dana", email="dana@example.com", password="correct horse battery staple"
    )

    stored = get_user_model().objects.get(username="dana")
    assert (stored.pk, stored.email) == (user.pk, "dana@example.com")
    assert stored.password != "correct horse battery staple"
    assert stored.check_password("correct horse battery staple")


def test_deleting_an_account_deletes_everything_of_that_user_only(owner, stranger):
    full_application(owner), full_application(stranger)
    PreferencesFactory(user=owner), PreferencesFactory(user=stranger)
    for user in (owner, stranger):
        AccessAttempt.objects.create(
            username=user.username, ip_address="203.0.113.9", failures_since_start=1
        )

    services.account_delete(user=owner)

    assert not get_user_model().objects.filter(pk=owner.pk).exists()
    assert (Application.objects.count(), Preferences.objects.count()) == (1, 1)
    assert Application.objects.get().owner == stranger
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["stranger"]


# ----------------------------------------------------------------------------------------
# Rules v2: the words they said about timing become dates where the interview is recorded

# Tue, Dec 1, 2026: the dates each phrase means, worked out by hand from the table of
# docs/status-rules.md (Friday of that week; Monday to Friday of the next; day spans).
TUESDAY = D(2026, 12, 1)
PHRASE_DATES = [
    ("end_of_today", None, D(2026, 12, 1)),
    ("end_of_week", None, D(2026, 12, 4)),
    ("next_week", D(2026, 12, 7), D(2026, 12, 11)),
    ("few_days", D(2026, 12, 3), D(2026, 12, 6)),
    ("week_or_two", D(2026, 12, 8), D(2026, 12, 15)),
    ("two_to_three_weeks", D(2026, 12, 15), D(2026, 12, 22)),
    ("about_a_month", D(2026, 12, 22), D(2026, 12, 31)),
    ("none", None, None),
    ("not_asked", None, None),
]


@pytest.mark.parametrize("timing, decision_from, decision_by", PHRASE_DATES)
def test_each_phrase_becomes_the_dates_it_means_from_the_interviews_day(
    timing, decision_from, decision_by
):
    assert services.interview_decision_dates(timing=timing, date=TUESDAY) == (
        decision_from,
        decision_by,
    )


@pytest.mark.parametrize(
    "timing, given",
    [
        ("date", (None, D(2026, 12, 9))),
        ("range", (D(2026, 12, 7), D(2026, 12, 9))),
        ("", (None, D(2026, 12, 9))),  # no words kept: the dates as they are
        ("", (None, None)),
    ],
)
def test_a_date_or_a_range_keeps_the_dates_given(timing, given):
    decision_from, decision_by = given

    assert services.interview_decision_dates(
        timing=timing, date=TUESDAY, decision_from=decision_from, decision_by=decision_by
    ) == (decision_from, decision_by)


@pytest.mark.parametrize("timing", ["next_week", "none", "not_asked"])
def test_dates_given_with_words_that_decide_them_are_a_mistake(timing):
    with pytest.raises(ValueError):
        services.interview_decision_dates(timing=timing, date=TUESDAY, decision_by=D(2026, 12, 9))


def test_an_unknown_timing_is_a_mistake():
    with pytest.raises(ValueError):
        services.interview_decision_dates(timing="soonish", date=TUESDAY)


@pytest.mark.parametrize("timing, decision_from, decision_by", PHRASE_DATES)
def test_recording_an_application_stores_the_words_and_their_dates(
    owner, timing, decision_from, decision_by
):
    application, _created = services.application_record(
        user=owner,
        company="Acme",
        role="Engineer",
        applied_on=D(2026, 11, 20),
        interview=services.NewInterview(date=TUESDAY, timing=timing),
    )

    assert application.interviews.values_list("timing", "decision_from", "decision_by").get() == (
        timing,
        decision_from,
        decision_by,
    )


def test_a_later_round_stores_the_words_and_their_dates(owner):
    application = ApplicationFactory(owner=owner)

    interview, created = services.interview_add(
        application=application,
        interview=services.NewInterview(date=D(2026, 12, 3), timing="end_of_week"),
    )

    assert created
    assert (interview.timing, interview.decision_from, interview.decision_by) == (
        "end_of_week",
        None,
        D(2026, 12, 4),  # Thursday's "end of this week": the Friday after
    )


def test_the_new_settings_are_updated_and_checked(owner):
    prefs = PreferencesFactory(user=owner)

    services.preferences_update(
        preferences=prefs,
        applied_gives_up_days=0,
        last_try_after_days=365,
        holiday_country="US",
        holiday_subdivision="CA",
    )

    assert Preferences.objects.values_list(
        "applied_gives_up_days", "last_try_after_days", "holiday_country", "holiday_subdivision"
    ).get(user=owner) == (0, 365, "US", "CA")


@pytest.mark.parametrize(
    "values",
    [
        {"applied_gives_up_days": 366},
        {"last_try_after_days": -1},
        {"holiday_country": "XX"},
        {"holiday_country": "US", "holiday_subdivision": "BY"},
        {"holiday_subdivision": "CA"},  # a region without its country
    ],
)
def test_invalid_new_settings_are_refused_and_nothing_is_saved(owner, values):
    prefs = PreferencesFactory(user=owner)

    with pytest.raises(ValidationError):
        services.preferences_update(preferences=prefs, **values)

    assert Preferences.objects.values_list(
        "applied_gives_up_days", "last_try_after_days", "holiday_country", "holiday_subdivision"
    ).get(user=owner) == (42, 21, "", "")


def test_a_new_account_keeps_the_country_of_public_holidays_it_was_shown(db):
    user = services.account_create(
        username="dana", email="", password="correct horse battery staple", holiday_country="DE"
    )

    assert Preferences.objects.values_list("holiday_country", "holiday_subdivision").get(
        user=user
    ) == ("DE", "")


def test_a_new_account_with_no_country_counts_no_public_holidays(db):
    user = services.account_create(
        username="dana", email="", password="correct horse battery staple"
    )

    assert Preferences.objects.get(user=user).holiday_country == ""
