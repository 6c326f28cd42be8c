"""The calendar section of the settings page, in a real browser: turned on, the address
passes every check and its Copy button copies it; without JavaScript there is no dead
button, and the address can still be selected."""

import pytest

from applications import services
from tests.browser.conftest import check_page, login
from tests.factories import ApplicationFactory, PreferencesFactory, UserFactory


@pytest.fixture
def subscriber(db):
    user = UserFactory(username="subscriber")
    ApplicationFactory(owner=user, company="Acme")
    services.calendar_token_regenerate(preferences=PreferencesFactory(user=user))
    return user


def _address(live_server, user):
    user.preferences.refresh_from_db()
    return f"{live_server.url}/calendar/{user.preferences.calendar_token}.ics"


def test_the_address_passes_every_check_and_the_button_copies_it(page, live_server, subscriber):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    login(page, live_server, subscriber)
    page.goto("/settings/")
    check_page(page, "settings-calendar-on")

    field = page.get_by_label("Your calendar address")
    assert field.input_value() == _address(live_server, subscriber)
    assert field.get_attribute("readonly") is not None
    page.get_by_role("button", name="Copy address").click()

    status = page.locator("#calendar-copy-status")
    status.filter(has_text="Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == _address(live_server, subscriber)


def test_a_new_address_and_turning_off_work_from_the_page(page, live_server, subscriber):
    login(page, live_server, subscriber)
    page.goto("/settings/")
    old = page.get_by_label("Your calendar address").input_value()

    page.get_by_role("button", name="Get a new address").click()
    page.get_by_text("The old one has stopped working").wait_for()
    new = page.get_by_label("Your calendar address").input_value()
    assert new != old and new == _address(live_server, subscriber)

    page.get_by_role("button", name="Turn off").click()
    page.get_by_text("Your calendar feed is off. Its address").wait_for()
    assert page.get_by_label("Your calendar address").count() == 0
    check_page(page, "settings-calendar-off")


def test_without_javascript_the_address_is_there_and_no_button_is_dead(
    browser, live_server, subscriber
):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    try:
        page = context.new_page()
        login(page, live_server, subscriber)
        page.goto("/settings/")
        assert page.get_by_label("Your calendar address").input_value() == _address(
            live_server, subscriber
        )
        assert page.get_by_role("button", name="Copy address").count() == 0  # hidden
    finally:
        context.close()
