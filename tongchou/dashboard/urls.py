from django.urls import path

from tongchou.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.command, name="command"),
]
