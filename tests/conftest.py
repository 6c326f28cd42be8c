import datetime

import pytest
from django.core.cache import cache

from applications import selectors, services
from tests.factories import (
    ApplicationFactory,
    ContactFactory,
    PreferencesFactory,
    UserFactory,
    full_application,
)
from tests.helpers import Ctx


@pytest.fixture
def owner(db):
    """The user whose data a test is about."""
    return UserFactory(username="owner")


@pytest.fixture
def stranger(db):
    """Another user, who must never see or change the owner's data."""
    return UserFactory(username="stranger")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def stranger_client(client, stranger):
    client.force_login(stranger)
    return client


@pytest.fixture
def today(owner):
    """The owner's local today, with week-end moves off so dates are plain arithmetic."""
    prefs = PreferencesFactory(user=owner, weekdays_only=False)
    return selectors.local_today(prefs=prefs)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: what sign-up counts per visitor lives there
    (applications.services.signup_paused), and every test client is 127.0.0.1."""
    cache.clear()


@pytest.fixture
def ctx(owner, stranger):
    """The owner (with an email address and a calendar feed) has two applications:
    Acme, with two people, two interviews and three follow-ups, due for a check-in; Beta,
    applied for three days ago. The stranger has one, with one person. (The starting data
    of tests/test_hostile_input.py and tests/test_csrf.py.)"""
    prefs = PreferencesFactory(user=owner, weekdays_only=False)
    owner.email = "owner@example.com"
    owner.save(update_fields=["email"])
    today = selectors.local_today(prefs=prefs)
    application = full_application(
        owner, company="Acme", applied_on=today - datetime.timedelta(days=40)
    )
    other = ApplicationFactory(
        owner=owner, company="Beta", applied_on=today - datetime.timedelta(days=3)
    )
    services.calendar_token_regenerate(preferences=prefs)
    theirs = ApplicationFactory(owner=stranger, company="Stranger Co")
    return Ctx(
        owner=owner,
        today=today,
        application=application,
        contact=application.contacts.order_by("pk").first(),
        other_application=other,
        stranger_contact=ContactFactory(application=theirs),
        stranger_application=theirs,
    )
