"""The Django admin, for administrators only. Everyone else gets the same "page not found"
as for any page they may not use, so the admin's existence is not even confirmed."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect

from .roles import Capability, has_capability


class AdministratorsAdminSite(admin.AdminSite):
    site_header = "Stalking Advocacy Service administration"
    site_title = "Administration"
    index_title = "Accounts and reference data"

    def has_permission(self, request):
        return has_capability(request.user, Capability.MANAGE_ACCOUNTS)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request, extra_context=None):
        # The product's own sign-in page (with lock-out and 2FA) is the only way in.
        if self.has_permission(request):
            return redirect("admin:index")
        if request.user.is_authenticated:
            raise Http404
        return redirect_to_login(request.GET.get("next") or request.path)
