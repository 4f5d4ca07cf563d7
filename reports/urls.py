from django.urls import path

from reports import views, views_schools

app_name = "reports"

urlpatterns = [
    path("notice/", views.notice, name="notice"),
    path("download/<slug:kind>/", views.download, name="download"),
    path("schools/", views_schools.reconciliation, name="schools"),
    path("schools/explain/", views_schools.explain, name="school_explain"),
]
