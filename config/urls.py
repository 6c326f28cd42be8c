from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from applications.views import pages

urlpatterns = [
    # The admin's own password change checks the old password uncounted: staff change
    # theirs on the page that counts wrong ones with the sign-in throttle.
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
    path("favicon.ico", pages.favicon),
    path("accounts/", include("applications.account_urls")),
    path("", include("applications.urls")),
]
