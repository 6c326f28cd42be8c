from django.urls import include, path

from applications.views import accounts

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("delete/", accounts.account_delete, name="account_delete"),
    # Django's own, with the old password counted by the sign-in throttle.
    path("password_change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    # Django's own, with a limit on the emails it sends.
    path("password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]
