from django.urls import path

from tongchou.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("compare/", views.measure_compare, name="compare"),
    path("upload/", views.document_upload, name="upload"),
    path("<slug:slug>/", views.document_detail, name="document"),
    path("<slug:slug>/source/", views.document_source, name="source"),
    path("<slug:slug>/<str:number>/", views.measure_detail, name="measure"),
]
