from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from reports import views as report_views
from reports import views_desk

urlpatterns = [
    path("", views_desk.desk, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("dashboard/", report_views.dashboard, name="dashboard"),
    path("reports/", include("reports.urls")),
    path("moves/", include("members.moves.urls")),
    path("cadres/", include("branches.urls")),
    path("tree/", include("branches.urls_tree")),
    path("admin/", admin.site.urls),
    path("members/", include("members.urls")),
    path("imports/", include("spreadsheets.urls")),
]
