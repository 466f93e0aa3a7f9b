"""Pieces shared by Homeward's own Wagtail admin views."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


def permission_require(request: HttpRequest, permission: str) -> None:
    """Refuse the request unless its user holds the model permission."""
    if not request.user.has_perm(permission):
        raise PermissionDenied


class AdminPageMixin(WagtailAdminTemplateMixin):
    """A Wagtail admin page whose header names it (Home, then this page)."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]
