from django.urls import path

from tongchou.rules import views

app_name = "rules"
urlpatterns = [
    # enterprise
    path("mine/", views.my_policies, name="my_policies"),
    path("mine/deliveries/<int:delivery_id>/confirm/", views.delivery_confirm, name="delivery_confirm"),
    path("mine/deliveries/<int:delivery_id>/decline/", views.delivery_decline, name="delivery_decline"),
    # public
    path("publicity/", views.publicity, name="publicity"),
    path("publicity/<int:delivery_id>/objection/", views.objection_new, name="objection_new"),
    # staff
    path("", views.index, name="index"),
    path("new/", views.rule_new, name="rule_new"),
    path("preview/", views.preview, name="preview"),
    path("enterprises/<str:uscc>/", views.enterprise_policies, name="enterprise_policies"),
    path("runs/", views.runs, name="runs"),
    path("runs/start/", views.run_start, name="run_start"),
    path("runs/<int:run_id>/", views.run_detail, name="run_detail"),
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/publicity-batch/", views.publicity_batch, name="publicity_batch"),
    path("deliveries/<int:delivery_id>/", views.delivery_detail, name="delivery_detail"),
    path("deliveries/<int:delivery_id>/<str:action>/", views.delivery_action, name="delivery_action"),
    path("objections/<int:objection_id>/resolve/", views.objection_resolve, name="objection_resolve"),
    path("exports/publicity.xlsx", views.export_publicity, name="export_publicity"),
    path("exports/ledger.xlsx", views.export_ledger, name="export_ledger"),
    path("facts/upload/", views.facts_upload, name="facts_upload"),
    path("simulate/", views.simulate, name="simulate"),
    path("simulate/export.xlsx", views.simulate_export, name="simulate_export"),
    path("r/<str:rule_id>/", views.rule_detail, name="rule_detail"),
    path("r/<str:rule_id>/edit/", views.rule_edit, name="rule_edit"),
    path("r/<str:rule_id>/v/<int:number>/publish/", views.version_publish, name="version_publish"),
    path("r/<str:rule_id>/v/<int:number>/retire/", views.version_retire, name="version_retire"),
]
