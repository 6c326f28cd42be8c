from django.urls import path

from applications.views import api, pages, transfer

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("applications/<int:pk>/", pages.application_detail, name="application_detail"),
    path("export.json", transfer.export_download, name="export_download"),
    path("import/", transfer.import_upload, name="import_upload"),
    path("api/applications.json", api.applications_json, name="api_applications"),
]
