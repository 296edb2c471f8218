from django.urls import path

from tongchou.appeals import views

app_name = "appeals"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("public/new/", views.public_new, name="public_new"),
    path("lookup/", views.lookup, name="lookup"),
    path("figures/", views.figures, name="figures"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:pk>.xlsx", views.batch_xlsx, name="batch_xlsx"),
    path("common/", views.common, name="common"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/act/<str:action>/", views.act, name="act"),
    path("<str:number>/phone/", views.phone, name="phone"),
    path("<str:number>/attachments/", views.attach, name="attach"),
    path("<str:number>/attachments/<int:pk>/", views.attachment, name="attachment"),
]
