from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("numbers/next/", views.number_next, name="number_next"),
    path("ledger/", views.ledger_page, name="ledger"),
    path("lookup/", views.lookup_page, name="lookup"),
]
