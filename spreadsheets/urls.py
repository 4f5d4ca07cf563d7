from django.urls import path

from spreadsheets import views

app_name = "spreadsheets"

urlpatterns = [
    path("<int:pk>/", views.import_job, name="import_job"),
    path("<int:pk>/confirm/", views.import_job_confirm_view, name="import_job_confirm"),
]
