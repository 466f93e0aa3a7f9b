from wagtail import hooks
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
