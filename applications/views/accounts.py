"""Sign-up: open by default, closed (404) with HEARBACK_OPEN_SIGNUP=off."""

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import UserCreationForm
from django.http import Http404
from django.shortcuts import redirect, render


@login_not_required
def signup(request):
    if not settings.HEARBACK_OPEN_SIGNUP:
        raise Http404("Sign-up is closed on this server.")
    form = UserCreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("dashboard")
    return render(request, "registration/signup.html", {"form": form})
