from django.urls import include, path

from applications.views import accounts, email_address

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("delete/", accounts.account_delete, name="account_delete"),
    # Django's own, with the old password counted by the sign-in throttle.
    path("password_change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    # Django's own, sending to confirmed addresses only, a few emails an hour.
    path("password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path("email/", email_address.email_change, name="email_change"),
    path(
        "email/send-again/",
        email_address.email_confirmation_resend,
        name="email_confirmation_resend",
    ),
    path("email/confirm/<str:token>/", email_address.email_confirm, name="email_confirm"),
    path("", include("django.contrib.auth.urls")),
]
