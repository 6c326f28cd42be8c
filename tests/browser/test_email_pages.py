"""The email address pages in a real browser: signing up with an address, the settings
card while it is unverified, the page the emailed link opens, confirming, changing the
address, and a link that does not work."""

import re

from django.core import mail

from tests.browser.conftest import check_page, login
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"  # the factories' password
LINK = re.compile(r"https?://[^/\s]+(/accounts/email/confirm/[^/\s]+/)")


def test_signing_up_with_an_address_then_confirming_it(page, live_server):
    page.goto("/accounts/signup/")
    page.fill("[name=username]", "dana")
    page.fill("[name=email]", "dana@example.com")
    page.fill("[name=password1]", "a long enough passphrase 42")
    page.fill("[name=password2]", "a long enough passphrase 42")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "We sent a link to dana@example.com" in page.inner_text("main")
    check_page(page, "dashboard-link-sent")

    page.goto("/settings/")
    card = page.locator("#email")
    assert "unverified" in card.inner_text()
    assert card.get_by_role("button", name="Send the link again").is_visible()
    check_page(page, "settings-email-unverified")

    (message,) = mail.outbox
    page.goto(LINK.search(message.body)[1])
    assert "Is dana@example.com your address?" in page.inner_text("main")
    check_page(page, "email-confirm")
    page.get_by_role("button", name="Yes, confirm my address").click()

    page.wait_for_url(f"{live_server.url}/settings/")
    assert "dana@example.com is confirmed" in page.inner_text("main")
    assert "confirmed" in page.locator("#email").inner_text()
    check_page(page, "settings-email-confirmed")


def test_the_change_page_and_its_errors(page, live_server):
    login(page, live_server, UserFactory(username="dana", email="dana@example.com"))
    page.goto("/accounts/email/")
    check_page(page, "email-change")

    page.fill("[name=email]", "not an address")
    page.fill("[name=password]", "a guess")
    page.get_by_role("button", name="Save the address").click()
    page.wait_for_load_state()
    assert "That is not your password" in page.inner_text("main")
    check_page(page, "email-change-errors", status=400)


def test_a_link_that_does_not_work_says_so(page):
    page.goto("/accounts/email/confirm/not-a-real-link/")
    assert "This link doesn't work" in page.inner_text("main")
    check_page(page, "email-confirm-broken")
