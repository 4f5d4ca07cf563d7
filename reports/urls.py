from django.urls import path

from reports import views, views_schools, views_statistics, views_todo
from reports.registration import views as views_registration
from reports.registration import views_committee as views_registration_committee
from reports.submissions import views as views_submissions
from reports.submissions import views_approval, views_exports

app_name = "reports"

urlpatterns = [
    path("notice/", views.notice, name="notice"),
    path("download/<slug:kind>/", views_exports.download, name="download"),
    path("exports/<int:pk>/", views_exports.export_job, name="export_job"),
    path("exports/<int:pk>/file/", views_exports.export_job_download, name="export_job_download"),
    path("verify/", views_exports.verify, name="verify"),
    path("submissions/", views_submissions.submissions, name="submissions"),
    path("submissions/<slug:slug>/submit/", views_submissions.submit, name="submit"),
    path("submissions/<int:pk>/accept/", views_submissions.accept, name="accept"),
    path("submissions/<int:pk>/return/", views_submissions.return_submission, name="return"),
    path("submissions/<int:pk>/reopen/", views_approval.reopen, name="reopen"),
    path("submissions/<int:pk>/changes/", views_approval.changes, name="submission_changes"),
    path("todo/", views_todo.todo, name="todo"),
    path("notifications/", views_todo.notifications, name="notifications"),
    path("notifications/read/", views_todo.notifications_read, name="notifications_read"),
    path("submissions/files/<int:pk>/", views_submissions.submission_file, name="submission_file"),
    path("schools/", views_schools.reconciliation, name="schools"),
    path("schools/explain/", views_schools.explain, name="school_explain"),
    path("registration/", views_registration_committee.overview, name="registration"),
    path(
        "registration/branch/<str:code>/",
        views_registration.branch_page,
        name="registration_branch",
    ),
    path(
        "registration/branch/<str:code>/submit/",
        views_registration.branch_submit,
        name="registration_submit",
    ),
    path(
        "registration/branch/<str:code>/sheet/",
        views_registration.branch_sheet,
        name="registration_sheet",
    ),
    path(
        "registration/branch/<str:code>/errors/<str:token>/",
        views_registration.error_report,
        name="registration_errors",
    ),
    path(
        "registration/<int:pk>/certify/",
        views_registration_committee.certify,
        name="registration_certify",
    ),
    path(
        "registration/<int:pk>/return/",
        views_registration_committee.return_registration,
        name="registration_return",
    ),
    path("breakdown/", views_statistics.breakdown, name="breakdown"),
    path("statistics/", views_statistics.statistics, name="statistics"),
    path("statistics/declines/", views_statistics.declines, name="statistics_declines"),
    path("statistics/explain/", views_statistics.explain, name="statistics_explain"),
]
