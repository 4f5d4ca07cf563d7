from django.urls import path

from members.moves import graduation as views_graduation
from members.moves import views, views_transfers

app_name = "moves"

urlpatterns = [
    path("", views.follow_up, name="follow_up"),
    path("inbox/", views.inbox, name="inbox"),
    path("new/", views.move_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/contact/", views.record_contact, name="contact"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/confirm/", views.confirm_report, name="confirm"),
    path("<int:pk>/refuse/", views_transfers.refuse, name="refuse"),
    path("<int:pk>/withdraw/", views_transfers.withdraw, name="withdraw"),
    path("<int:pk>/resend/", views_transfers.resend, name="resend"),
    path("inbox/batch/", views_transfers.batch, name="batch"),
    path("graduation/", views_graduation.graduation_dates, name="graduation"),
    path("graduates/", views_graduation.graduates, name="graduates"),
    path("graduates/<str:code>/", views_graduation.graduating_class, name="class"),
    path("graduates/<str:code>/close/", views_graduation.close_class, name="close_class"),
    path(
        "graduates/<str:code>/template.xlsx", views_graduation.class_template, name="class_template"
    ),
]
