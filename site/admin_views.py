"""Pieces shared by Homeward's own Wagtail admin views."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet


def permission_require(request: HttpRequest, permission: str) -> None:
    """Refuse the request unless its user holds the model permission."""
    if not request.user.has_perm(permission):
        raise PermissionDenied


class AdminPageMixin(WagtailAdminTemplateMixin):
    """A Wagtail admin page whose header names it (Home, then this page)."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


class RecordViewSet(ModelViewSet):
    """Records that services write (sightings, takedowns, campaigns, social posts): listed,
    filtered, exported and inspected in the admin, never added, edited or deleted by hand.
    No view links to those views; each subclass routes only the views it has."""

    copy_view_enabled = False

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )
