from django.urls import path

from members import views_detail, views_entry
from members.numbers import views
from members.status import views as views_status

app_name = "members"

urlpatterns = [
    path("numbers/next/", views.number_next, name="number_next"),
    path("numbers/release/", views_entry.reservation_release, name="reservation_release"),
    path("entry/check/", views_entry.entry_check, name="entry_check"),
    path("<int:pk>/", views_detail.member_detail, name="detail"),
    path("ledger/", views.ledger_page, name="ledger"),
    path("lookup/", views.lookup_page, name="lookup"),
    path("<int:pk>/status/", views_status.member_status, name="status"),
    path("status/", views_status.status_changes, name="status_changes"),
    path("reaching-28/", views_status.reaching_28, name="reaching_28"),
]
