from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("applications.account_urls")),
    path("", include("applications.urls")),
]
