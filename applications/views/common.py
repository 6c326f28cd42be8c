"""What every page needs: the user's today and rules, and their own application; and
what every page that asks for the password again needs."""

import datetime
import functools

from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from applications import selectors
from applications.models import FollowUpKind


def today_and_rules(user):
    """The user's local today (the engine's `as_of`) and their rule settings."""
    prefs = selectors.preferences_get(user=user)
    return selectors.local_today(prefs=prefs), selectors.rules_from(prefs)


def own_application(*methods):
    """Fetch the user's application before anything else, so that anyone else gets 404
    whatever the method; then allow only `methods`. The view receives the application."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, pk):
            application = selectors.application_get(user=request.user, pk=pk)
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, application)

        return wrapper

    return decorator


def checked_in_on(row: selectors.ApplicationRow, day: datetime.date) -> bool:
    """Is a check-in recorded on `day` among the facts of `row` (`application_rows`)?
    A second check-in that day is the same one sent twice, whoever it went to."""
    return any(
        follow_up.kind == FollowUpKind.CHECK_IN and follow_up.date == day
        for follow_up in row.facts.follow_ups
    )


@sensitive_variables("password")
def is_their_password(request, password: str) -> bool:
    """Whether `password` is the signed-in user's. Asked through authenticate(), never
    check_password(), so that django-axes counts a wrong one towards the same lockout as
    on the sign-in page (username and address), and refuses even the right one while
    that lockout lasts; the middleware then answers with the lockout page."""
    user = request.user
    return authenticate(request, username=user.get_username(), password=password) == user


class PasswordCheckedForm(forms.Form):
    """A form that asks the signed-in user for their password again (to delete the
    account, to change the email address), checked by `is_their_password`. Each form
    says in `wrong_password` what a wrong one left unchanged."""

    wrong_password = gettext_lazy("That is not your password.")

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
        if not is_their_password(self.request, password):
            raise ValidationError(self.wrong_password, code="password_incorrect")
        return password
