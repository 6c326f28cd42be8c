"""Sign-up: open by default, closed (404) with HEARBACK_OPEN_SIGNUP=off."""

from django import forms
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import UserCreationForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Optional; only used to reset your password if you forget it."),
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request):
    if not settings.HEARBACK_OPEN_SIGNUP:
        raise Http404("Sign-up is closed on this server.")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("dashboard")
    return render(
        request,
        "registration/signup.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )
