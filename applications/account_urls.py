from django.urls import include, path

from applications.views import accounts

urlpatterns = [
    path("signup/", accounts.signup, name="signup"),
    path("delete/", accounts.account_delete, name="account_delete"),
    path("", include("django.contrib.auth.urls")),
]
