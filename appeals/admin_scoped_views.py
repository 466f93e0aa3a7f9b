"""Wagtail's page chooser, less the appeals a person may not see.

Browsing and searching call the ``construct_page_chooser_queryset`` hook (see
wagtail_hooks); the step that reports pages chosen by id does not, so it is replaced.
"""

from django.http import Http404
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.chooser import ChosenMultipleView
from wagtail.models import Page

from appeals.selectors import pages_visible_to


class PageChosenMultipleView(ChosenMultipleView):
    def get(self, request):
        ids = request.GET.getlist("id")
        if not all(id.isdigit() for id in ids):
            raise Http404
        visible = pages_visible_to(Page.objects.filter(pk__in=ids), user=request.user)
        request.GET = request.GET.copy()
        request.GET.setlist("id", [str(pk) for pk in visible.values_list("pk", flat=True)])
        return super().get(request)


# Served ahead of Wagtail's admin URLs, so it carries what they are wrapped in.
page_chosen_multiple = never_cache(require_admin_access(PageChosenMultipleView.as_view()))
