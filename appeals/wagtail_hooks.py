from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem, WorkflowMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.models import Page
from wagtail.permissions import policy_registry

from appeals import (
    admin_close,
    admin_episodes,
    admin_police,
    admin_publicity_check,
    admin_trends,
    off_site,
)
from appeals.admin_page_viewset import AppealPageViewSet
from appeals.admin_return_home import ReturnHomeViewSet
from appeals.admin_social_posts import SocialPostViewSet
from appeals.admin_takedowns import TakedownViewSet
from appeals.models import AppealPage, SocialPost
from appeals.models.permissions import AUTHORISE_PUBLICITY, own_force_id
from appeals.models.risk import REVIEW_RISK
from appeals.panels import ClearancesDashboardPanel, NextStepsDashboardPanel
from appeals.selectors import pages_visible_to
from homeward.capabilities import READ_PUBLICITY_CHECKS


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "appeals/<int:page_id>/publicity-check/",
            admin_publicity_check.PublicityCheckView.as_view(),
            name="appeals_publicity_check",
        ),
        path(
            "appeals/publicity-checks/<int:check_id>/",
            admin_publicity_check.PublicityCheckDetailView.as_view(),
            name="appeals_publicity_check_detail",
        ),
        path(
            "appeals/police-authorisation/",
            admin_police.PoliceAuthorisationIndexView.as_view(),
            name="appeals_police_authorisation_index",
        ),
        path(
            "appeals/<int:page_id>/police-authorisation/",
            admin_police.PoliceAuthorisationView.as_view(),
            name="appeals_police_authorisation",
        ),
        path(
            "appeals/risk-reviews/",
            admin_police.RiskReviewIndexView.as_view(),
            name="appeals_risk_reviews",
        ),
        path(
            "appeals/<int:page_id>/risk-review/",
            admin_police.RiskReviewView.as_view(),
            name="appeals_risk_review",
        ),
        path(
            "appeals/<int:page_id>/close/",
            admin_close.AppealCloseView.as_view(),
            name="appeals_close",
        ),
        path(
            "appeals/<int:page_id>/episodes/",
            admin_episodes.AppealEpisodesView.as_view(),
            name="appeals_episodes",
        ),
        path("appeals/trends/", admin_trends.TrendsView.as_view(), name="appeals_trends"),
        path(
            "appeals/trends/csv/", admin_trends.TrendsCsvView.as_view(), name="appeals_trends_csv"
        ),
        path(
            "appeals/our-children/",
            admin_trends.LocalAuthorityEpisodesView.as_view(),
            name="appeals_local_authority_episodes",
        ),
    ]


@hooks.register("register_admin_viewset")
def register_appeal_page_viewset():
    return AppealPageViewSet("appeal_pages")


@hooks.register("register_admin_viewset")
def register_takedowns_viewset():
    return TakedownViewSet()


@hooks.register("register_admin_viewset")
def register_social_posts_viewset():
    return SocialPostViewSet()


@hooks.register("register_admin_viewset")
def register_return_home_viewset():
    return ReturnHomeViewSet()


def _appeal_buttons(page, user, priority):
    """The appeal's publicity record and its closing, for those allowed them."""
    if not issubclass(page.specific_class, AppealPage):
        return
    if policy_registry.get_by_type(SocialPost).user_has_permission(user, "view"):
        yield Button(
            "Publicity record",
            reverse("appeals_social_posts:appeal", args=[page.pk]),
            icon_name="list-ul",
            priority=priority,
        )
    if page.specific_deferred.permissions_for_user(user).can_close():
        yield Button(
            "Close appeal",
            reverse("appeals_close", args=[page.pk]),
            icon_name="bin",
            priority=priority + 1,
        )


@hooks.register("construct_page_chooser_queryset")
def page_chooser_shows_only_visible_appeals(pages, request):
    # The chooser lists pages without asking the page permission policy (see
    # appeals.permission_policies), so it is given the same rule here.
    return pages_visible_to(pages, user=request.user)


@hooks.register("register_page_header_buttons")
def appeal_header_buttons(page, user, view_name, next_url=None):
    yield from _appeal_buttons(page, user, priority=66)


@hooks.register("register_page_listing_more_buttons")
def appeal_listing_buttons(page, user, next_url=None):
    yield from _appeal_buttons(page, user, priority=52)


# Wagtail's Unpublish, Delete and Move of an appeal, or of a page above appeals, would take
# appeals off the site without their takedown: the model refuses them (appeals.off_site);
# here the admin says why, and points to closing, before anything is done.


def _refused(request, page, refusal: str):
    if refusal:
        messages.error(request, refusal)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


def _unpublish_refusal(page) -> str:
    return off_site.unpublish_refusal(page) if page.live else ""


def _move_refusal(page, destination) -> str:
    return off_site.move_refusal(
        page, url_path_before=page.url_path, url_path_after=f"{destination.url_path}{page.slug}/"
    )


@hooks.register("before_unpublish_page")
def refuse_unpublishing_appeals(request, page):
    return _refused(request, page, _unpublish_refusal(page))


@hooks.register("before_delete_page")
def refuse_deleting_public_appeals(request, page):
    return _refused(request, page, off_site.delete_refusal(page))


@hooks.register("before_move_page")
def refuse_moving_appeals(request, page, destination):
    return _refused(request, page, _move_refusal(page, destination))


@hooks.register("before_bulk_action")
def refuse_bulk_takedowns(request, action_type, objects, action):
    for page in objects:
        if not isinstance(page, Page):
            return None  # not a bulk action on pages
        if response := _bulk_refused(request, action_type, page, action):
            return response
    return None


def _bulk_refused(request, action_type, page, action):
    if action_type == "unpublish":
        return _refused(request, page, _unpublish_refusal(page))
    if action_type == "delete":
        return _refused(request, page, off_site.delete_refusal(page))
    if action_type == "move":
        destination = action.cleaned_form.cleaned_data["chooser"]
        return _refused(request, page, _move_refusal(page, destination))
    return None


class PoliceMenuItem(MenuItem):
    """Shown to officers whose role lets them do this (``permission``) to their own
    force's cases."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return own_force_id(request.user, self.permission) is not None


@hooks.register("register_admin_menu_item")
def register_police_authorisation_menu_item():
    return PoliceMenuItem(
        "Authorise publicity",
        reverse("appeals_police_authorisation_index"),
        icon_name="doc-full",
        order=150,
        permission=AUTHORISE_PUBLICITY,
    )


@hooks.register("register_admin_menu_item")
def register_risk_review_menu_item():
    return PoliceMenuItem(
        "Risk reviews",
        reverse("appeals_risk_reviews"),
        icon_name="warning",
        order=151,
        permission=REVIEW_RISK,
    )


@hooks.register("register_admin_menu_item")
def register_trends_menu_item():
    return admin_trends.TrendsMenuItem(
        "Trends", reverse("appeals_trends"), icon_name="table", order=180
    )


@hooks.register("register_admin_menu_item")
def register_local_authority_episodes_menu_item():
    return admin_trends.LocalAuthorityEpisodesMenuItem(
        "Our children", reverse("appeals_local_authority_episodes"), icon_name="user", order=140
    )


class PublicityCheckMenuItem(ActionMenuItem):
    """The check's action in the editor leads to the checklist, not to a modal; it is the
    editor's main button for the safeguarding lead, not hidden under Save draft."""

    label = "Complete the publicity safety check"
    name = "action-publicity-check"
    icon_name = "warning"

    def get_url(self, parent_context):
        return reverse("appeals_publicity_check", args=[parent_context["page"].pk])


@hooks.register("insert_global_admin_css")
def appeals_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("appeals/css/admin.css"))


@hooks.register("construct_page_action_menu")
def publicity_actions_first(menu_items, request, context):
    """The task's action is the editor's main button, not "Save draft": the checklist for
    a safeguarding lead, approving for a publisher (which asks first: the task offers it
    only through Wagtail's modal, see PublisherApprovalTask.get_actions)."""
    for index, item in enumerate(menu_items):
        if isinstance(item, WorkflowMenuItem) and item.name in {"check", "approve"}:
            menu_items.pop(index)
            if item.name == "check":
                item = PublicityCheckMenuItem(order=item.order)
            menu_items.insert(0, item)
            return


@hooks.register("construct_homepage_panels")
def add_appeals_panels(request, panels):
    user = request.user
    panels.append(NextStepsDashboardPanel(user=user))
    # Clearances are renewed by editing the appeal and checking it again.
    may_renew = policy_registry.get_by_type(Page).user_has_permission(user, "change")
    if may_renew or user.has_perm(READ_PUBLICITY_CHECKS):
        panels.append(ClearancesDashboardPanel(now=timezone.now(), user=user))


@hooks.register("register_log_actions")
def register_publicity_log_actions(actions):
    for action, label, message in [
        (
            "homeward.publicity.police_authorised",
            "Police authorisation",
            "Publicity authorised by the police",
        ),
        (
            "homeward.publicity.checked",
            "Publicity safety check",
            "Publicity safety check completed",
        ),
        ("homeward.publicity.approved", "Publicity approval", "Publicity safety check approved"),
        (
            "homeward.publicity.approval_refused",
            "Publicity approval refused",
            "Approval of the publicity safety check refused",
        ),
        (
            "homeward.publicity.withheld",
            "Publicity withheld",
            "Approved without a public page: restricted briefing or no publicity",
        ),
        (
            "homeward.publicity.refused",
            "Publicity refused",
            "Refused to go public without a valid publicity safety check",
        ),
        (
            "homeward.unpublishing.refused",
            "Scheduled unpublishing refused",
            "Its scheduled unpublishing was cancelled: it holds live appeals",
        ),
        ("homeward.social.retried", "Social post retried", "A social post was tried again"),
        ("homeward.social.cancelled", "Social post cancelled", "A social post was cancelled"),
        (
            "homeward.publicity.expired",
            "Publicity clearance ended",
            "Taken off the public site: the publicity clearance ended",
        ),
        (
            "homeward.publicity.renewed",
            "Publicity renewed",
            "Public again on a renewed publicity clearance: the takedown ended",
        ),
        ("homeward.appeal.closed", "Appeal closed", "Closed: taken down"),
        ("homeward.appeal.takedown_retried", "Takedown retried", "The takedown was run again"),
        ("homeward.appeal.purged", "Personal data purged", "Personal data purged (retention)"),
        (
            "homeward.return_home.recorded",
            "Return home interview recorded",
            "Return home interview: offer or outcome recorded",
        ),
        ("homeward.risk.reviewed", "Risk reviewed", "Risk level reviewed by the police"),
        (
            "homeward.episode.linked",
            "Episodes linked",
            "Linked to another episode of the same person",
        ),
        (
            "homeward.episode.unlinked",
            "Episodes unlinked",
            "No longer linked to the same person's other episodes",
        ),
    ]:
        actions.register_action(action, label, message)
