import pytest
from django.core.cache import cache

from applications import selectors
from tests.factories import PreferencesFactory, UserFactory


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
