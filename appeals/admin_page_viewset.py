"""The appeal's page editor: Wagtail's, with one appeal's changes made one at a time.

Wagtail's edit view reads the page and its workflow, then writes: a form save, a revision,
then the workflow action it checked at the start. A second request for the same appeal
(a double click, a browser sending a POST again, a colleague's save) that read the page
before the first one's approval committed would save its stale copy over the page just
published, taking it off the site, then fail on the task that no longer exists. Each
request that changes an appeal therefore holds the appeal's row from before it reads to
its commit; the next one reads what the first left.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.viewsets.pages import PageViewSet

from appeals.models import AppealPage, page_hold


class AppealEditView(EditView):
    def dispatch(self, request, page_id, **kwargs):
        if request.method != "POST":
            return super().dispatch(request, page_id, **kwargs)
        with transaction.atomic():
            page_hold(page_id)
            try:
                return super().dispatch(request, page_id, **kwargs)
            except PermissionDenied as error:
                # A refusal keeps what was written before it, as without the lock: the
                # approval's refusal is logged before it is raised (services.publicity).
                refusal = error
        raise refusal


class AppealPageViewSet(PageViewSet):
    model = AppealPage
    edit_view_class = AppealEditView
