"""The pages anyone can reach, and signing up through them, in a real browser."""

from django.contrib.auth import get_user_model

from tests.browser.conftest import check_page, login
from tests.factories import UserFactory


def test_login_page_passes_every_check(page):
    page.goto("/accounts/login/")
    check_page(page, "login")


def test_signup_page_passes_every_check(page):
    page.goto("/accounts/signup/")
    check_page(page, "signup")


def test_a_new_user_signs_up_and_lands_on_the_dashboard(page, live_server):
    page.goto("/accounts/signup/")
    page.fill("[name=username]", "dana")
    page.fill("[name=password1]", "a long enough passphrase 42")
    page.fill("[name=password2]", "a long enough passphrase 42")
    page.get_by_role("button", name="Create account").click()

    page.wait_for_url(f"{live_server.url}/")
    assert get_user_model().objects.filter(username="dana").exists()
    check_page(page, "dashboard-empty")


def test_signing_out_returns_to_the_login_page(page, live_server):
    login(page, live_server, UserFactory(username="dana"))
    page.goto("/")
    assert page.url == f"{live_server.url}/", "the copied session cookie did not sign in"
    page.get_by_role("button", name="Log out").click()

    page.wait_for_url(f"{live_server.url}/accounts/login/")
    page.goto("/")
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
