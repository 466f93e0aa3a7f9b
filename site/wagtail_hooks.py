from django.http import Http404
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.admin.widgets.button import Button
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from homeward.accounts import two_factor
from homeward.accounts.rules import may_manage_user
from homeward.accounts.user_admin import BULK_ACTIONS, StaffLinkForm
from homeward.models import LocalAuthority, LocalAuthorityManager, PoliceForce, PoliceOfficer


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
    edit_handler = ObjectList(PoliceOfficer.panels, base_form_class=StaffLinkForm)


class PoliceViewSetGroup(SnippetViewSetGroup):
    menu_label = "Police"
    menu_icon = "group"
    items = (PoliceForceViewSet, PoliceOfficerViewSet)


register_snippet(PoliceViewSetGroup)


class LocalAuthorityViewSet(SnippetViewSet):
    model = LocalAuthority
    icon = "home"
    list_display = ["name", "return_home_email"]
    search_fields = ["name"]


class LocalAuthorityManagerViewSet(SnippetViewSet):
    model = LocalAuthorityManager
    icon = "user"
    list_display = ["user", "local_authority"]
    list_filter = ["local_authority"]
    edit_handler = ObjectList(LocalAuthorityManager.panels, base_form_class=StaffLinkForm)


class LocalAuthorityViewSetGroup(SnippetViewSetGroup):
    menu_label = "Local authorities"
    menu_icon = "home"
    items = (LocalAuthorityViewSet, LocalAuthorityManagerViewSet)


register_snippet(LocalAuthorityViewSetGroup)


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


@hooks.register("register_admin_urls")
def second_factor_urls():
    return [
        path("second-factor/", two_factor.second_factor, name=two_factor.SECOND_FACTOR_URL_NAME),
        path(
            "second-factor/recovery-codes/",
            two_factor.recovery_codes,
            name="accounts_recovery_codes",
        ),
        path(
            "users/<int:pk>/second-factor/reset/",
            two_factor.second_factor_reset,
            name="accounts_second_factor_reset",
        ),
        path(
            "users/<int:pk>/sign-in/unlock/",
            two_factor.sign_in_unlock,
            name="accounts_sign_in_unlock",
        ),
    ]


@hooks.register("register_account_menu_item")
def recovery_codes_menu_item(request):
    return {
        "url": reverse("accounts_recovery_codes"),
        "label": "New recovery codes",
        "help_text": "Make a new set of single-use codes for when your phone is not to hand.",
    }


@hooks.register("register_user_listing_buttons")
def sign_in_buttons(user, request_user):
    """Someone else's second factor and sign-in pause, for those who may manage them."""
    if user.pk == request_user.pk or not request_user.has_perm("auth.change_user"):
        return []
    if not may_manage_user(request_user, user):
        return []
    return [
        Button(
            "Reset second factor",
            reverse("accounts_second_factor_reset", args=[user.pk]),
            priority=30,
        ),
        Button(
            "Lift sign-in pause", reverse("accounts_sign_in_unlock", args=[user.pk]), priority=40
        ),
    ]
