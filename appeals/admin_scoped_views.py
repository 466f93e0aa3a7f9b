"""Wagtail admin views that reach a page by its id without asking the page permission
policy, less the appeals a person may not see.

The explorer and the page chooser show the page they are opened at (its name heads the
listing), and the chooser's last step reports pages chosen by id; none of them asks the
permission policy (appeals.permission_policies) about those pages. They are served here,
ahead of Wagtail's admin URLs, wrapped as those are.
"""

from django.http import Http404
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import BrowseView, ChosenMultipleView
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.models import Page

from appeals.selectors import pages_visible_to


def _visible_page_ids(request, ids):
    return pages_visible_to(Page.objects.filter(pk__in=ids), user=request.user).values_list(
        "pk", flat=True
    )


def _at_a_visible_page(view):
    """The view, for a page the person may see; a 404 for any other, as for no page."""

    def scoped(request, *args, parent_page_id, **kwargs):
        if not _visible_page_ids(request, [parent_page_id]).exists():
            raise Http404
        return view(request, *args, parent_page_id=parent_page_id, **kwargs)

    return scoped


class PageChosenMultipleView(ChosenMultipleView):
    def get(self, request):
        ids = request.GET.getlist("id")
        if not all(id.isdigit() for id in ids):
            raise Http404
        request.GET = request.GET.copy()
        request.GET.setlist("id", [str(pk) for pk in _visible_page_ids(request, ids)])
        return super().get(request)


def _admin(view):
    return never_cache(require_admin_access(view))


urlpatterns = [
    path(
        "admin/pages/<int:parent_page_id>/",
        _admin(
            _at_a_visible_page(
                page_viewset_registry.as_view("index", parent_page_id_kwarg="parent_page_id")
            )
        ),
    ),
    path(
        "admin/pages/<int:parent_page_id>/results/",
        _admin(
            _at_a_visible_page(
                page_viewset_registry.as_view(
                    "index_results", parent_page_id_kwarg="parent_page_id"
                )
            )
        ),
    ),
    path(
        "admin/choose-page/<int:parent_page_id>/",
        _admin(_at_a_visible_page(BrowseView.as_view())),
    ),
    path("admin/choose-page/chosen-multiple/", _admin(PageChosenMultipleView.as_view())),
]
