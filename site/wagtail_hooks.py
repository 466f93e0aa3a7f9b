from django.http import Http404
from wagtail import hooks
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from homeward.accounts.user_admin import BULK_ACTIONS
from homeward.models import PoliceForce, PoliceOfficer


class PoliceForceViewSet(SnippetViewSet):
    model = PoliceForce
    icon = "group"
    list_display = ["name", "nation"]
    list_filter = ["nation"]
    search_fields = ["name"]


class PoliceOfficerViewSet(SnippetViewSet):
    model = PoliceOfficer
    icon = "user"
    list_display = ["user", "force"]
    list_filter = ["force"]


class PoliceViewSetGroup(SnippetViewSetGroup):
    menu_label = "Police"
    menu_icon = "group"
    items = (PoliceForceViewSet, PoliceOfficerViewSet)


register_snippet(PoliceViewSetGroup)


# Staff accounts: the bulk actions with the separation of duties replace Wagtail's (a
# later order wins, as the registry keeps the last action registered for a name).
for bulk_action in BULK_ACTIONS:
    hooks.register("register_bulk_action", bulk_action, order=1)


def _switched_off(endpoint):
    class SwitchedOff(endpoint):
        def initial(self, request, *args, **kwargs):
            raise Http404

    return SwitchedOff


@hooks.register("construct_admin_api", order=100)
def switch_off_unused_admin_api_endpoints(router):
    """The admin's JavaScript reads pages over its API (the sidebar's page explorer), never
    images or documents; listed there, every photo was open to any member of staff. The
    endpoints stay registered, answering 404, as the admin's templates name their URLs.
    Runs after Wagtail's own hooks (order), which register them."""
    router.register_endpoint("images", _switched_off(ImagesAdminAPIViewSet))
    router.register_endpoint("documents", _switched_off(DocumentsAdminAPIViewSet))
