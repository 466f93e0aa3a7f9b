"""Wagtail admin views that reach pages or images by id without asking the permission
policies, less the appeals (and their photos) a person may not see.

The explorer and the page chooser show the page they are opened at (its name heads the
listing), the chooser's last step reports pages chosen by id, and a bulk action's
confirmation lists every item it was given, those the person may not act on included;
none of them asks the permission policies (appeals.permission_policies) about those. They
are served here, ahead of Wagtail's admin URLs, wrapped as those are.
"""

from functools import cache

from django.apps import apps
from django.http import Http404
from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.views.chooser import BrowseView, ChosenMultipleView
from wagtail.admin.viewsets.pages import page_viewset_registry
from wagtail.images import get_image_model
from wagtail.models import Page

from appeals.selectors import images_visible_to, pages_visible_to


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


class _VisibleItemsOnly:
    """A bulk action that leaves out the pages and images the person may not see."""

    def get_actionable_objects(self):
        objects, without_access = super().get_actionable_objects()
        return self._visible(objects), {
            **without_access,
            "items_with_no_access": self._visible(without_access["items_with_no_access"]),
        }

    def _visible(self, items):
        Image, user = get_image_model(), self.request.user

        def visible_ids(model, visible_to):
            ids = [item.pk for item in items if isinstance(item, model)]
            found = visible_to(model.objects.filter(pk__in=ids), user=user)
            return set(found.values_list("pk", flat=True))

        visible = {Page: visible_ids(Page, pages_visible_to)}
        visible[Image] = visible_ids(Image, images_visible_to)

        def shown(item):
            kind = next((model for model in visible if isinstance(item, model)), None)
            return kind is None or item.pk in visible[kind]

        return [item for item in items if shown(item)]


@cache
def _scoped_bulk_action(action_class):
    return type(action_class.__name__, (_VisibleItemsOnly, action_class), {})


def bulk_action(request, app_label, model_name, action):
    """Wagtail's bulk action dispatcher, with each action scoped (_VisibleItemsOnly)."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    action_class = bulk_action_registry.get_bulk_action_class(app_label, model_name, action)
    if action_class is None:
        raise Http404
    return _scoped_bulk_action(action_class)(request, model).dispatch(request)


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
    path("admin/bulk/<str:app_label>/<str:model_name>/<str:action>/", _admin(bulk_action)),
]
