"""Confirming an email address: the signed link sent to it, and the email that carries it.

A link names one account and one address, signed with SECRET_KEY (django.core.signing,
with a salt of its own) and stamped with the time it was made. It works for
LINK_LIFETIME, and only while the account still has that address. Opening it shows a
button; pressing it (a POST: mail scanners open links too) records the address as
verified (`services.account_email_verify`). Then the link has nothing left to do, and
a link for an address the account no longer has does nothing at all.
"""

import datetime
import enum
import logging

from axes.helpers import get_client_ip_address
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from applications import services

logger = logging.getLogger(__name__)

SALT = "hearback.email_confirmation"
LINK_LIFETIME = datetime.timedelta(days=3)
# Our tokens are 60-400 characters (an address has at most 254): a longer one is no link
# of ours, refused before any work.
TOKEN_MAX_LENGTH = 1000


class Delivery(enum.Enum):
    SENT = "sent"
    # The hour's allowance for the address, or for the visitor, is used up
    # (services.MAIL_ALLOWANCES["email_confirmation"]).
    TOO_MANY = "too_many"
    # The mail server refused it or could not be reached.
    FAILED = "failed"


def token_make(*, user, email: str) -> str:
    return signing.dumps({"user": user.pk, "email": email}, salt=SALT, compress=True)


def token_read(token: str) -> tuple[int, str] | None:
    """The (user id, address) a link's token names, or None when it is not one of ours,
    was altered, or is older than LINK_LIFETIME."""
    if len(token) > TOKEN_MAX_LENGTH:
        return None
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_LIFETIME)
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not (
        isinstance(data, dict)
        and isinstance(data.get("user"), int)
        and isinstance(data.get("email"), str)
    ):
        return None
    return data["user"], data["email"]


def confirmation_send(*, request, user) -> Delivery:
    """Email `user` a link to confirm their current address, if the hour's allowance for
    that address, and for the visitor making `request`, has room. The link starts with
    the address the visitor reached this server at, as Django's password-reset email's
    does. A failure to send is logged and answered, never raised."""
    email = user.email
    visitor = get_client_ip_address(request)  # as the sign-in throttle sees them
    if not services.mail_slot_claim(kind="email_confirmation", address=email, ip=visitor):
        return Delivery.TOO_MANY
    path = reverse("email_confirm", args=[token_make(user=user, email=email)])
    context = {
        "link": request.build_absolute_uri(path),
        "domain": request.get_host(),
        "days": LINK_LIFETIME.days,
    }
    subject = render_to_string("registration/email_confirmation_subject.txt", context)
    body = render_to_string("registration/email_confirmation_email.txt", context)
    try:
        send_mail("".join(subject.splitlines()), body, None, [email])
    except Exception:  # SMTP down or refusing: the page says so, the address is kept
        logger.exception("Could not send the link to confirm the address of user %s", user.pk)
        return Delivery.FAILED
    return Delivery.SENT
