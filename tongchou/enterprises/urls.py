from django.urls import path

from tongchou.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("export.xlsx", views.enterprise_export, name="export"),
    path("mine/", views.my_enterprise, name="mine"),
    path("import/", views.enterprise_import, name="import"),
    path("import/template.xlsx", views.import_template, name="template"),
    path("<int:enterprise_id>/", views.enterprise_detail, name="detail"),
]
