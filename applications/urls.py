from django.urls import path

from applications.views import (
    actions,
    api,
    calendar,
    drafts,
    insights,
    pages,
    preferences,
    records,
    spreadsheet,
    transfer,
)

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("closed/", pages.closed_list, name="closed_list"),
    path("applications/new/", records.application_new, name="application_new"),
    path("applications/bulk/", actions.bulk, name="applications_bulk"),
    path("applications/<int:pk>/", pages.application_detail, name="application_detail"),
    path("applications/<int:pk>/history/", pages.application_history, name="application_history"),
    path("applications/<int:pk>/edit/", records.application_edit, name="application_edit"),
    path("applications/<int:pk>/delete/", records.application_delete, name="application_delete"),
    path("applications/<int:pk>/interviews/new/", records.interview_new, name="interview_new"),
    path("applications/<int:pk>/thank-you/", actions.thank_you, name="thank_you"),
    path("applications/<int:pk>/check-in/", actions.check_in, name="check_in"),
    path("applications/<int:pk>/response/", actions.response, name="response"),
    path("applications/<int:pk>/close/", actions.close, name="close"),
    path("applications/<int:pk>/reopen/", actions.reopen, name="reopen"),
    path("applications/<int:pk>/snooze/", actions.snooze, name="snooze"),
    path("applications/<int:pk>/unsnooze/", actions.unsnooze, name="unsnooze"),
    path(
        "applications/<int:pk>/drafts/<slug:kind>/", drafts.draft, name="draft"
    ),
    path(
        "applications/<int:pk>/drafts/<slug:kind>/sent/", drafts.draft_sent, name="draft_sent"
    ),
    path("settings/", preferences.preferences, name="preferences"),
    path("settings/calendar/new/", calendar.calendar_regenerate, name="calendar_regenerate"),
    path("settings/calendar/off/", calendar.calendar_revoke, name="calendar_revoke"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
    path("insights/", insights.insights, name="insights"),
    path("import/csv/", spreadsheet.csv_import, name="csv_import"),
    path("export.csv", spreadsheet.csv_export, name="csv_export"),
    path("export.json", transfer.export_download, name="export_download"),
    path("import/", transfer.import_upload, name="import_upload"),
    path("api/applications.json", api.applications_json, name="api_applications"),
]
