"""Login, logout and password change: Django's own views with our templates and access declarations."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

from tongchou.accounts.access import public, require_roles
from tongchou.accounts.roles import Role

LOGGED_IN = [r.value for r in Role]


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # The demo prints its accounts; on a demo install the login page shows them too.
        from tongchou.accounts.demo import demo_accounts_if_enabled

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
