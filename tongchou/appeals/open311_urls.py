from django.urls import path

from tongchou.appeals import open311

app_name = "open311"
urlpatterns = [
    path("services.json", open311.services_list, name="services"),
    path("requests.json", open311.requests_view, name="requests"),
    path("requests/<str:number>.json", open311.request_detail, name="request"),
]
