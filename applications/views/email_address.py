"""The account's email address: changing it (with the password), sending the link that
confirms it again, and the page that link opens (applications/email_confirmation.py).
Until its link is opened, an address is sent no digest and no password-reset link."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from applications import selectors, services
from applications.email_confirmation import (
    LINK_LIFETIME,
    Delivery,
    confirmation_send,
    token_read,
)
from applications.models import EMAIL_TEXT
from applications.views.common import PasswordCheckedForm


def say_how_the_link_went(request, delivery: Delivery, email: str) -> None:
    """Tell the user whether the link to confirm `email` is on its way."""
    if delivery is Delivery.SENT:
        messages.success(
            request,
            _(
                "We sent a link to %(email)s. Open it to confirm the address: until then "
                "Hearback sends it no daily digest and no password-reset link."
            )
            % {"email": email},
        )
    elif delivery is Delivery.TOO_MANY:
        messages.warning(
            request,
            _(
                "We have sent several links to %(email)s this hour already: please use one "
                "of them, or ask for another in an hour."
            )
            % {"email": email},
        )
    else:
        messages.error(
            request,
            _(
                "We could not send the link to %(email)s just now. Please try again later "
                "from Settings."
            )
            % {"email": email},
        )


def _to_the_email_settings():
    return redirect(reverse("preferences") + "#email")


class EmailChangeForm(PasswordCheckedForm):
    wrong_password = gettext_lazy("That is not your password; your address is unchanged.")
    field_order = ["email", "password"]

    email = forms.EmailField(
        label=gettext_lazy("New email address"),
        required=False,
        max_length=EMAIL_TEXT,
        help_text=gettext_lazy(
            "We'll send it a link to confirm it. Leave it empty to remove your address."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


@require_http_methods(["GET", "POST"])
def email_change(request):
    form = EmailChangeForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if email == request.user.email:
            messages.info(request, _("That is your address already; nothing changed."))
        else:
            services.account_email_change(user=request.user, email=email)
            if email:
                delivery = confirmation_send(request=request, user=request.user)
                say_how_the_link_went(request, delivery, email)
            else:
                messages.success(
                    request,
                    _("Your address is removed: Hearback sends you no email from now on."),
                )
        return _to_the_email_settings()
    return render(
        request,
        "registration/email_change.html",
        {"form": form, "email": selectors.email_address_get(user=request.user)},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def email_confirmation_resend(request):
    email = selectors.email_address_get(user=request.user)
    if email.verified:
        messages.info(request, _("%(email)s is confirmed already.") % {"email": email.address})
    elif email.address:
        delivery = confirmation_send(request=request, user=request.user)
        say_how_the_link_went(request, delivery, email.address)
    return _to_the_email_settings()


@login_not_required
@require_http_methods(["GET", "POST"])
def email_confirm(request, token):
    """GET: the address the link confirms, and a button (opening a link must not
    confirm: mail scanners open links). POST: confirm it. The link decides the account,
    signed in or not. A link that is not ours, altered, expired, or for an address the
    account no longer has: a page saying so (400 to the button)."""
    named = token_read(token)
    user = named and selectors.email_confirmation_user_get(user_id=named[0], email=named[1])
    if user is None:
        status = 400 if request.method == "POST" else 200
        context = {"broken": True, "days": LINK_LIFETIME.days}
        return render(request, "registration/email_confirm.html", context, status=status)
    email = selectors.email_address_get(user=user)
    if request.method == "POST":
        if not email.verified:
            services.account_email_verify(user=user, email=email.address)
        messages.success(
            request, _("Thank you: %(email)s is confirmed.") % {"email": email.address}
        )
        return redirect("preferences" if request.user == user else "login")
    return render(request, "registration/email_confirm.html", {"email": email})
