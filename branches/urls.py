from django.urls import path

from branches import views

app_name = "cadres"

urlpatterns = [
    path("", views.cadre_lists, name="lists"),
]
