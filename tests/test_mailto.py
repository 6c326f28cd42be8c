"""`mailto:` links come from one function (`drafts.mailto_url`) and its template filter
(`{{ email|mailto }}`), which percent-encode the address, the subject and the body.

An address can be valid and still hold what a `mailto:` link reads as more fields:
`x?cc=evil%40attacker.example&body=hi@example.com` passes the email validator, and
written into a link as it is, it adds a Cc and a body. Encoded, it is one recipient.
"""

import html
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.validators import validate_email
from django.template import engines
from django.urls import reverse

from applications.drafts import mailto_url
from tests.factories import ApplicationFactory, ContactFactory, InterviewFactory
from tests.helpers import days

HOSTILE = "x?cc=evil%40attacker.example&body=hi@example.com"


def recipients_and_fields(url: str) -> tuple[list[str], dict]:
    """What a mail program reads from a `mailto:` link (RFC 6068): the addresses before
    the "?", split at commas, and the fields after it."""
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    to = [unquote(address) for address in parts.path.split(",")]
    return to, parse_qs(parts.query)


def test_the_hostile_address_is_a_valid_email_address():
    validate_email(HOSTILE)  # so forms, the admin and imports all take it


def test_a_link_to_the_hostile_address_has_one_recipient_and_no_field_of_its_own():
    url = mailto_url(email=HOSTILE)

    assert url == "mailto:x%3Fcc%3Devil%2540attacker.example%26body%3Dhi@example.com"
    assert recipients_and_fields(url) == ([HOSTILE], {})


@pytest.mark.parametrize(
    "email",
    [
        HOSTILE,
        "a,b@example.com",  # a comma separates recipients
        "a&to=b@example.com",
        "a#frag@example.com",
        "a%20b@example.com",
        '"a b"@example.com',
    ],
)
def test_any_address_stays_one_recipient_beside_the_drafts_subject_and_body(email):
    url = mailto_url(email=email, subject="Checking in", body="Hello,\n\nThanks")

    to, fields = recipients_and_fields(url)
    assert to == [email]
    assert fields == {"subject": ["Checking in"], "body": ["Hello,\r\n\r\nThanks"]}


def test_a_link_without_subject_or_body_is_the_address_alone():
    assert mailto_url(email="dana@example.com") == "mailto:dana@example.com"


def render(text, **context):
    return engines["django"].from_string("{% load mailto %}" + text).render(context)


def test_the_template_filter_is_the_function():
    assert render("{{ email|mailto }}", email=HOSTILE) == html.escape(mailto_url(email=HOSTILE))
    assert render("{{ email|mailto }}", email="") == ""


# ----------------------------------------------------------------------------------------
# The pages that link to an address


def hrefs(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="(mailto:[^"]*)"', page)]


@pytest.mark.django_db
def test_the_application_page_links_a_hostile_address_as_one_recipient(owner, owner_client, today):
    application = ApplicationFactory(owner=owner, applied_on=days(today, -10))
    ContactFactory(application=application, name="Dana", email=HOSTILE)

    page = owner_client.get(reverse("application_detail", args=[application.pk]))

    assert page.status_code == 200
    (link,) = hrefs(page.content.decode())
    assert recipients_and_fields(link) == ([HOSTILE], {})


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["thank_you", "check_in", "timeline"])
def test_the_draft_links_a_hostile_address_as_one_recipient(owner, owner_client, today, kind):
    application = ApplicationFactory(owner=owner, applied_on=days(today, -10))
    dana = ContactFactory(application=application, name="Dana", email=HOSTILE)
    InterviewFactory(application=application, date=days(today, -2), contacts=[dana])

    page = owner_client.get(reverse("draft", args=[application.pk, kind]) + f"?contact={dana.pk}")

    assert page.status_code == 200
    (link,) = hrefs(page.content.decode())
    to, fields = recipients_and_fields(link)
    assert to == [HOSTILE]
    assert sorted(fields) == ["body", "subject"]
    assert fields["body"] == [page.context["draft"].body.replace("\n", "\r\n")]
