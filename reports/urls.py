from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("notice/", views.notice, name="notice"),
    path("download/<slug:kind>/", views.download, name="download"),
]
