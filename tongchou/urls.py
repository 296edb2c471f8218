from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from tongchou.api import api

admin.site.site_header = _("统筹平台 · 系统管理")
admin.site.site_title = _("统筹平台")
admin.site.index_title = _("系统管理")

urlpatterns = [
    path("", include("tongchou.dashboard.urls")),
    path("", include("tongchou.core.urls")),
    path("", include("tongchou.accounts.urls")),
    path("enterprises/", include("tongchou.enterprises.urls")),
    path("policies/", include("tongchou.policies.urls")),
    path("rules/", include("tongchou.rules.urls")),
    path("appeals/", include("tongchou.appeals.urls")),
    path("operations/", include("tongchou.operations.urls")),
    path("epidemic/", include("tongchou.epidemic.urls")),
    path("financing/", include("tongchou.financing.urls")),
    path("projects/", include("tongchou.projects.urls")),
    path("supervision/", include("tongchou.supervision.urls")),
    path("open311/v2/", include("tongchou.appeals.open311_urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler403 = "tongchou.core.views.forbidden"
handler404 = "tongchou.core.views.not_found"
handler500 = "tongchou.core.views.server_error"
