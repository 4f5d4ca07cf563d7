from django.urls import path

from branches import views_tree

app_name = "tree"

urlpatterns = [
    path("", views_tree.tree, name="page"),
    path("children/", views_tree.tree_children, name="children"),
]
