"""Accounts: sign-up (open by default, closed with HEARBACK_OPEN_SIGNUP=off), account
deletion, and the two hooks django-axes calls (the visitor's address, the lockout page)."""

import ipaddress

from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from applications import holiday_regions, services
from applications.forms import LongSelect, holiday_country_choices


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=gettext_lazy("Email"),
        required=False,
        help_text=gettext_lazy("Optional; only used to reset your password if you forget it."),
    )
    holiday_country = forms.ChoiceField(
        label=gettext_lazy("Public holidays"),
        choices=holiday_country_choices,
        required=False,
        widget=LongSelect,
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def __init__(self, *args, time_zone: str | None = None, **kwargs):
        """`time_zone`: where the new user most likely lives (default: the server's
        TIME_ZONE). The country of public holidays is guessed from it, and offered,
        pre-selected, for the user to see and change: a guess is never applied unseen."""
        super().__init__(*args, **kwargs)
        time_zone = time_zone or settings.TIME_ZONE
        guess = holiday_regions.country_for_time_zone(time_zone)
        field = self.fields["holiday_country"]
        field.initial = guess
        if guess:
            field.help_text = _(
                "Guessed from the time zone %(zone)s. Their public holidays count as days "
                "off, like weekends. Change it if you live elsewhere; Settings has it too."
            ) % {"zone": time_zone}
        else:
            field.help_text = _(
                "Choose your country to count its public holidays as days off, like "
                "weekends. You can change it later in Settings."
            )


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request):
    if not settings.HEARBACK_OPEN_SIGNUP:
        raise Http404("Sign-up is closed on this server.")
    # Sign-up asks for no time zone (yet): the server's own, TIME_ZONE, is the best hint
    # of where its users live, and the public holidays' country is guessed from it.
    form = SignupForm(
        request.POST if request.method == "POST" else None, time_zone=settings.TIME_ZONE
    )
    if request.method == "POST" and form.is_valid():
        user = services.account_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            holiday_country=form.cleaned_data["holiday_country"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("dashboard")
    return render(
        request,
        "registration/signup.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# ----------------------------------------------------------------------------------------
# Deleting an account


class AccountDeleteForm(forms.Form):
    """The signed-in user's password, checked through authenticate() so that guesses
    here count towards the same lockout as on the sign-in page."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        if authenticate(self.request, username=user.get_username(), password=password) != user:
            raise ValidationError(
                gettext_lazy("That is not your password; nothing was deleted."),
                code="password_incorrect",
            )
        return password


@require_http_methods(["GET", "POST"])
def account_delete(request):
    """GET: what will be deleted, and a form asking for the password. POST with the
    right password: delete everything, sign out, and say so on the sign-in page."""
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        messages.success(
            request, _("Your account and everything in it are deleted. Good luck out there!")
        )
        return redirect("login")
    return render(
        request,
        "registration/account_delete.html",
        {"form": form, "application_count": request.user.applications.count()},
        status=400 if request.method == "POST" else 200,
    )


# ----------------------------------------------------------------------------------------
# django-axes hooks (config/settings.py)


def client_ip(request):
    """The visitor's address (AXES_CLIENT_IP_CALLABLE). Each of our HEARBACK_PROXY_COUNT
    proxies appends the address it saw to X-Forwarded-For, so the visitor's is that many
    entries from the right; entries further left came from the visitor and prove nothing.
    REMOTE_ADDR when there are no proxies or the header is short or not an address."""
    count = settings.HEARBACK_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= count:
            candidate = forwarded[-count].strip()
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """The answer to a sign-in refused after too many wrong passwords
    (AXES_LOCKOUT_CALLABLE): a page saying how long to wait, with status 429."""
    cool_off = get_cool_off(request)
    now = timezone.now()
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "wait": timeuntil(now + cool_off, now) if cool_off else None,
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
