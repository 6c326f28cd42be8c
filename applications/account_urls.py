from django.urls import include, path

from applications.views import accounts, email_address

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("delete/", accounts.account_delete, name="account_delete"),
    # Django's own, with: the username's length checked (accounts.UsernameLengthChecked);
    # the old password counted by the sign-in throttle; a new calendar address with a new
    # password; reset links sent to confirmed addresses only, a few an hour.
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("password_change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("email/", email_address.email_change, name="email_change"),
    path(
        "email/send-again/",
        email_address.email_confirmation_resend,
        name="email_confirmation_resend",
    ),
    path("email/confirm/<str:token>/", email_address.email_confirm, name="email_confirm"),
    path("", include("django.contrib.auth.urls")),
]
