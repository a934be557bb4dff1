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

    def get_urls(self):
        from django.urls import path

        # Django's "view on site" follows any content type to the object's page, which
        # would tell an administrator whether a case with a given id exists. Here it is
        # only for the models registered in this admin.
        return [
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            )
            if getattr(url, "name", None) == "view_on_site"
            else url
            for url in super().get_urls()
        ]

    def view_on_site(self, request, content_type_id, object_id):
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        try:
            model = ContentType.objects.get(pk=content_type_id).model_class()
        except (ContentType.DoesNotExist, ValueError):
            raise Http404 from None
        if model not in self._registry:
            raise Http404
        return shortcut(request, content_type_id, object_id)

    def password_change(self, request, extra_context=None):
        # Your own password, on the product's page (its rules, its audit row, an email to
        # you); the admin has no page that sets anyone's password (issue 13, point 5).
        return redirect("password_change")

    def password_change_done(self, request, extra_context=None):
        return redirect("home")

    def login(self, request, extra_context=None):
        # The product's own sign-in page (with lock-out and 2FA) is the only way in.
        if self.has_permission(request):
            return redirect("admin:index")
        if request.user.is_authenticated:
            raise Http404
        return redirect_to_login(request.GET.get("next") or request.path)
