"""An application with a long history: its page (the latest events, a link to the rest)
and its whole history (a page of it, with the pager) pass every check."""

import pytest

from applications import selectors
from applications.models import Preferences
from tests.browser.conftest import check_page, login
from tests.factories import PreferencesFactory, UserFactory
from tests.test_long_history import long_history


@pytest.fixture
def long_application(db):
    user = UserFactory(username="keeper")
    PreferencesFactory(user=user, weekdays_only=False)
    today = selectors.local_today(prefs=Preferences(time_zone="UTC"))
    return user, long_history(user, today, follow_ups=330)


@pytest.mark.parametrize(
    "name, path",
    [
        ("application-long-history", "/applications/{pk}/"),
        ("history-first-page", "/applications/{pk}/history/"),
        ("history-middle-page", "/applications/{pk}/history/?page=2"),
    ],
)
def test_a_long_history_passes_every_check(page, live_server, long_application, name, path):
    user, application = long_application
    login(page, live_server, user)
    page.goto(path.format(pk=application.pk))
    check_page(page, name)
