"""Test data. `.build()` where no database is needed, `.create()` otherwise."""

import datetime

import factory
from django.contrib.auth import get_user_model

from applications.models import (
    Application,
    Contact,
    FollowUp,
    FollowUpKind,
    Interview,
    InterviewFormat,
    Preferences,
    VerifiedEmail,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"seeker{n}")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def email_verified(user, create, extracted, **kwargs):
        """An address given here counts as confirmed, as an established user's is;
        `email_verified=False` leaves it unverified, as a new address is."""
        if create and user.email and extracted is not False:
            VerifiedEmail.objects.update_or_create(user=user, defaults={"email": user.email})


class PreferencesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preferences
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)


def settled_user(username: str, **fields):
    """A user past their first day, as the browser tests want one: their time zone
    confirmed (no one-time question) and week-ends counted as any day (dates the tests
    name stay where they are). `fields` go to the user."""
    user = UserFactory(username=username, **fields)
    PreferencesFactory(user=user, weekdays_only=False, time_zone_confirmed=True)
    return user


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    owner = factory.SubFactory(UserFactory)
    company = factory.Sequence(lambda n: f"Company {n:04d}")
    role = "Backend Engineer"
    applied_on = datetime.date(2026, 11, 2)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    application = factory.SubFactory(ApplicationFactory)
    name = factory.Sequence(lambda n: f"Person {n}")
    title = "Hiring manager"
    email = factory.Sequence(lambda n: f"person{n}@example.com")


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview
        skip_postgeneration_save = True

    application = factory.SubFactory(ApplicationFactory)
    date = datetime.date(2026, 11, 20)
    format = InterviewFormat.VIDEO

    @factory.post_generation
    def contacts(self, create, extracted, **kwargs):
        if create and extracted:
            self.contacts.set(extracted)


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    application = factory.SubFactory(ApplicationFactory)
    date = datetime.date(2026, 11, 21)
    kind = FollowUpKind.CHECK_IN


def follow_up_due(
    owner,
    company="Acme",
    *,
    applied_on=datetime.date(2026, 11, 20),
    interview_on=datetime.date(2026, 12, 1),
    decision_by=datetime.date(2026, 12, 5),
    **fields,
):
    """The spec's worked example A: interviewed on Tue, Dec 1 and told "we decide by
    Sat, Dec 5", so the follow-up fell due on Mon, Dec 7; as of Thu, Dec 10 it is 3 days
    overdue. `fields` go to the application (a snooze, an outcome)."""
    application = ApplicationFactory(owner=owner, company=company, applied_on=applied_on, **fields)
    InterviewFactory(application=application, date=interview_on, decision_by=decision_by)
    return application


def full_application(owner, *, company=None, applied_on=datetime.date(2026, 11, 2)):
    """An application as the benchmarks size them: 2 contacts, 2 interviews, 3 follow-ups."""
    kwargs = {"owner": owner, "applied_on": applied_on}
    if company is not None:
        kwargs["company"] = company
    application = ApplicationFactory(**kwargs)
    dana, lee = ContactFactory.create_batch(2, application=application)
    InterviewFactory(
        application=application, date=applied_on + datetime.timedelta(days=7), contacts=[dana]
    )
    InterviewFactory(
        application=application,
        date=applied_on + datetime.timedelta(days=14),
        decision_by=applied_on + datetime.timedelta(days=21),
        contacts=[dana, lee],
    )
    FollowUpFactory(
        application=application,
        date=applied_on + datetime.timedelta(days=14),
        kind=FollowUpKind.THANK_YOU,
        contact=dana,
    )
    FollowUpFactory(application=application, date=applied_on + datetime.timedelta(days=24))
    FollowUpFactory(
        application=application,
        date=applied_on + datetime.timedelta(days=26),
        kind=FollowUpKind.RESPONSE,
        new_decision_by=applied_on + datetime.timedelta(days=33),
    )
    return application
