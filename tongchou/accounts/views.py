"""Login, logout and password change (Django's own views with our templates and access
declarations), and the account's notification inbox."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from tongchou.accounts.access import public, require_roles
from tongchou.accounts.roles import LOGGED_IN_ROLES
from tongchou.core import clock
from tongchou.core.notifications import notifications_for

LOGGED_IN = LOGGED_IN_ROLES


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # The demo prints its accounts; on a demo install the login page shows them too.
        from tongchou.core.demo import demo_accounts_if_enabled

        ctx["demo_accounts"] = demo_accounts_if_enabled()
        return ctx


login = public(LoginView.as_view())
logout = public(auth_views.LogoutView.as_view())
password_change = require_roles(*LOGGED_IN)(
    auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html",
        success_url=reverse_lazy("accounts:password_change_done"),
    )
)
password_change_done = require_roles(*LOGGED_IN)(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)


@require_roles(*LOGGED_IN)
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page": page})


@require_roles(*LOGGED_IN)
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    notifications_for(request.user).filter(read_at__isnull=True).update(read_at=clock.now())
    return redirect("accounts:notifications")
