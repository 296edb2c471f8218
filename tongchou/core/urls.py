from django.urls import path

from tongchou.core import care, views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("care-mode/", care.care_mode_toggle, name="care_mode"),
]
