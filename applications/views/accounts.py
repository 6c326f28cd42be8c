"""Accounts: sign-in, sign-up (open by default, closed with HEARBACK_OPEN_SIGNUP=off),
password change and reset, account deletion, and the two hooks django-axes calls (the
visitor's address, the lockout page)."""

import ipaddress

from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods

from applications import holiday_regions, selectors, services, time_zones
from applications.email_confirmation import confirmation_send
from applications.forms import (
    LongSelect,
    TimeZoneField,
    ask_the_browser,
    holiday_country_choices,
)
from applications.middleware import trusted_proxy
from applications.views.common import PasswordCheckedForm, is_their_password
from applications.views.email_address import say_how_the_link_went

# ----------------------------------------------------------------------------------------
# Signing in


class UsernameLengthChecked:
    """A sign-in form whose username is checked against its length (150 characters, the
    User model's) before any password check. Django's AuthenticationForm sets that
    length after making the field, so it reaches the page's `maxlength` but is never
    checked: a name of any length went on to authenticate(), and django-axes stored it
    whole with each failure (on PostgreSQL, longer than its column: a 500)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class SignInForm(UsernameLengthChecked, AuthenticationForm):
    pass


class AdminSignInForm(UsernameLengthChecked, AdminAuthenticationForm):
    pass


class LoginView(auth_views.LoginView):
    """Django's sign-in page, with the username's length checked."""

    authentication_form = SignInForm


# ----------------------------------------------------------------------------------------
# Signing up

USERNAME_UNAVAILABLE = gettext_lazy("This username is not available. Please choose another.")


class SignupForm(UserCreationForm):
    """Django's sign-up form, telling about a taken username no more than it must.

    A username is how one signs in, so sign-up has to say when one is taken, and so
    tells that an account has it. It says so in the one sentence it has for any name it
    cannot give, on the username alone: every other field is judged as for a free name
    (the password against the name typed, which Django skips for a taken one). How many
    taken names one visitor may meet is bounded (`services.signup_paused`)."""

    email = forms.EmailField(
        label=gettext_lazy("Email"),
        required=False,
        help_text=gettext_lazy(
            "Optional; for your daily digest and to reset your password. We'll send it a "
            "link to confirm it."
        ),
    )
    # Not required: a sign-up page from before the question (open in a tab during an
    # upgrade) posts none, and the account is then asked on its dashboard.
    time_zone = TimeZoneField(
        required=False,
        help_text=gettext_lazy(
            "Your “today” follows it: follow-ups fall due at your midnight. Type a city's "
            "first letters to find it."
        ),
    )
    holiday_country = forms.ChoiceField(
        label=gettext_lazy("Public holidays"),
        choices=holiday_country_choices,
        required=False,
        widget=LongSelect,
    )
    unavailable_username = None
    field_order = ("username", "email", "password1", "password2", "time_zone", "holiday_country")

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")

    def __init__(self, *args, time_zone: str | None = None, **kwargs):
        """`time_zone`: where the new user most likely lives (default: the server's
        TIME_ZONE). It is offered, pre-selected, and the country of public holidays
        guessed from it, for the user to see and change: a guess is never applied
        unseen. In the browser, static/js/time_zone.js pre-selects the browser's own
        zone instead, and the country with it (until the user picks one)."""
        super().__init__(*args, **kwargs)
        time_zone = time_zones.current(time_zone or settings.TIME_ZONE)
        zone_field = self.fields["time_zone"]
        zone_field.initial = time_zone if time_zone in time_zones.zones() else "UTC"
        if not self.is_bound:
            ask_the_browser(zone_field.widget)
            zone_field.widget.attrs["data-country-field"] = "id_holiday_country"
        guess = holiday_regions.country_for_time_zone(time_zone)
        field = self.fields["holiday_country"]
        field.initial = guess
        if guess:
            field.help_text = _(
                "Guessed from your time zone. Their public holidays count as days off, like "
                "weekends. Change it if you live elsewhere; Settings has it too."
            )
        else:
            field.help_text = _(
                "Choose your country to count its public holidays as days off, like "
                "weekends. You can change it later in Settings."
            )

    def clean_username(self):
        """Any case of a taken name is taken (as Django's own check)."""
        username = self.cleaned_data.get("username")
        if username and get_user_model().objects.filter(username__iexact=username).exists():
            self.unavailable_username = username
            raise ValidationError(USERNAME_UNAVAILABLE, code="unavailable")
        return username

    def validate_password_for_user(self, user, *args, **kwargs):
        if self.unavailable_username:
            user.username = self.unavailable_username  # never saved: the form is invalid
        super().validate_password_for_user(user, *args, **kwargs)


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request):
    """GET: the form. POST: the account, signed in. 400 with the form's errors; 429,
    checking nothing, once this visitor met too many taken usernames this hour."""
    if not settings.HEARBACK_OPEN_SIGNUP:
        raise Http404("Sign-up is closed on this server.")
    if request.method == "GET":
        return render(request, "registration/signup.html", {"form": SignupForm()})
    ip = client_ip(request)
    if services.signup_paused(ip=ip):
        typed = {name: request.POST.get(name, "")[:150] for name in ("username", "email")}
        return render(
            request,
            "registration/signup.html",
            {"form": SignupForm(initial=typed), "paused": True},
            status=429,
        )
    form = SignupForm(request.POST)
    if form.is_valid():
        user = services.account_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            holiday_country=form.cleaned_data["holiday_country"],
            time_zone=form.cleaned_data["time_zone"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if user.email:
            delivery = confirmation_send(request=request, user=user)
            say_how_the_link_went(request, delivery, user.email)
        return redirect("dashboard")
    if form.unavailable_username:
        services.signup_unavailable_count(ip=ip)
    return render(request, "registration/signup.html", {"form": form}, status=400)


# ----------------------------------------------------------------------------------------
# A new password: the calendar feed gets a new address too


NEW_CALENDAR_ADDRESS = gettext_lazy(
    "Your calendar feed has a new address too, and the old one has stopped working: "
    "copy the new one from Settings into your calendar app."
)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page for a reset link; the new password gives the feed a new address."""

    def form_valid(self, form):
        response = super().form_valid(form)
        if services.calendar_token_renew(user=form.user):
            messages.info(self.request, NEW_CALENDAR_ADDRESS)
        return response


# ----------------------------------------------------------------------------------------
# Asking a signed-in user for their password again (views.common.is_their_password)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with the old password checked by `is_their_password`."""

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    @sensitive_variables("old_password")
    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not is_their_password(self.request, old_password):
            raise ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page: the old password is counted with sign-in's wrong passwords, and a
    new password also gives the calendar feed a new address."""

    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        if services.calendar_token_renew(user=form.user):
            messages.info(self.request, NEW_CALENDAR_ADDRESS)
        return response


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, sending only to an address its account has confirmed."""

    def get_users(self, email):
        return (
            user
            for user in super().get_users(email)
            if selectors.email_address_get(user=user).verified
        )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, sending at most a few links an hour to one address, on at
    most a few requests an hour from one visitor (services.MAIL_ALLOWANCES). Beyond,
    the same "check your email" page and no email: the page never tells whether an
    account has the address, nor whether a limit was reached."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        if services.mail_slot_claim(
            kind="password_reset", address=form.cleaned_data["email"], ip=client_ip(self.request)
        ):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


# ----------------------------------------------------------------------------------------
# Deleting an account


class AccountDeleteForm(PasswordCheckedForm):
    wrong_password = gettext_lazy("That is not your password; nothing was deleted.")


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
    REMOTE_ADDR when there are no proxies, the request did not come from one of them
    (FORWARDED_ALLOW_IPS: anyone else may write the header), or the header is short or
    not an address."""
    count = settings.HEARBACK_PROXY_COUNT
    if count and trusted_proxy(request):
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
