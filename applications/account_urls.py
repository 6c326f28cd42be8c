from django.urls import include, path

from applications.views import accounts

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("delete/", accounts.account_delete, name="account_delete"),
    # Django's own, with the username's length checked (accounts.UsernameLengthChecked)
    # and a new calendar address with a new password; the rest as Django has them.
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("password_change/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path(
        "reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("", include("django.contrib.auth.urls")),
]
