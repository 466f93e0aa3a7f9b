from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem, WorkflowMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import Button
from wagtail.models import Page

from appeals import admin_views, off_site, views
from appeals.models import AppealPage
from appeals.panels import ClearancesDashboardPanel
from appeals.selectors import TAKEDOWN_REPORT_ROLES, pages_visible_to
from homeward import roles

# Where staff find appeals' clearances on their dashboard.
DASHBOARD_ROLES = {
    roles.EDITORS,
    roles.SAFEGUARDING_LEADS,
    roles.PUBLISHERS,
    roles.ADMINISTRATORS,
}


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "appeals/<int:page_id>/publicity-check/",
            views.PublicityCheckView.as_view(),
            name="appeals_publicity_check",
        ),
        path(
            "appeals/publicity-checks/<int:check_id>/",
            views.PublicityCheckDetailView.as_view(),
            name="appeals_publicity_check_detail",
        ),
        path(
            "appeals/police-authorisation/",
            views.PoliceAuthorisationIndexView.as_view(),
            name="appeals_police_authorisation_index",
        ),
        path(
            "appeals/<int:page_id>/police-authorisation/",
            views.PoliceAuthorisationView.as_view(),
            name="appeals_police_authorisation",
        ),
        path(
            "appeals/<int:page_id>/publicity-record/",
            admin_views.PublicityRecordView.as_view(),
            name="appeals_publicity_record",
        ),
        path(
            "appeals/posts/<int:post_id>/retry/",
            admin_views.social_post_retry,
            name="appeals_social_post_retry",
        ),
        path(
            "appeals/posts/<int:post_id>/cancel/",
            admin_views.social_post_cancel,
            name="appeals_social_post_cancel",
        ),
        path("appeals/<int:page_id>/close/", views.AppealCloseView.as_view(), name="appeals_close"),
        path(
            "appeals/takedowns/", views.TakedownReportView.as_view(), name="appeals_takedown_report"
        ),
        path(
            "appeals/takedowns/<int:takedown_id>/retry/",
            views.TakedownRetryView.as_view(),
            name="appeals_takedown_retry",
        ),
    ]


def _appeal_buttons(page, user, priority):
    """The appeal's publicity record and its closing, for those allowed them."""
    if not issubclass(page.specific_class, AppealPage):
        return
    if user.has_perm(admin_views.VIEW_PERMISSION):
        yield Button(
            "Publicity record",
            reverse("appeals_publicity_record", args=[page.pk]),
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
    def is_shown(self, request):
        return hasattr(request.user, "police_officer")


@hooks.register("register_admin_menu_item")
def register_police_authorisation_menu_item():
    return PoliceMenuItem(
        "Authorise publicity",
        reverse("appeals_police_authorisation_index"),
        icon_name="doc-full",
        order=150,
    )


class PublicityCheckMenuItem(ActionMenuItem):
    """The check's action in the editor leads to the checklist, not to a modal."""

    label = "Complete the publicity safety check"
    name = "action-publicity-check"
    icon_name = "warning"

    def get_url(self, parent_context):
        return reverse("appeals_publicity_check", args=[parent_context["page"].pk])


@hooks.register("construct_page_action_menu")
def link_check_action_to_checklist(menu_items, request, context):
    for index, item in enumerate(menu_items):
        if isinstance(item, WorkflowMenuItem) and item.name == "check":
            menu_items[index] = PublicityCheckMenuItem(order=item.order)


@hooks.register("construct_homepage_panels")
def add_clearances_panel(request, panels):
    user = request.user
    if user.is_superuser or user.groups.filter(name__in=DASHBOARD_ROLES).exists():
        panels.append(ClearancesDashboardPanel(now=timezone.now()))


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
    ]:
        actions.register_action(action, label, message)


class TakedownReportMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        return (
            user.is_superuser
            or hasattr(user, "police_officer")
            or user.groups.filter(name__in=TAKEDOWN_REPORT_ROLES).exists()
        )


@hooks.register("register_admin_menu_item")
def register_takedown_report_menu_item():
    return TakedownReportMenuItem(
        "Takedowns", reverse("appeals_takedown_report"), icon_name="bin", order=160
    )
