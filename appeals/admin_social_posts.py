"""Social posts in the admin, on Wagtail's generic listing: every appeal's posts by network,
state and date, with export; and each appeal's publicity record, its own posts (paged, to
try again or cancel) with what other apps sent it out as below them.

Who may see posts, and try them again or cancel them, is their registered permission
policy (the model permissions: Publishers, Administrators), and only the posts of appeals
they may see (appeals_visible_to): an appeal or post someone may not see answers 404, as
one that does not exist.
"""

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.views import View
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BaseColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permissions import policy_registry

from appeals.models import SocialPost
from appeals.selectors import appeal_publicity_record, appeals_visible_to
from appeals.services import social_posts
from homeward.admin_views import RecordViewSet


def _record_url(appeal_id: int) -> str:
    return reverse("appeals_social_posts:appeal", args=[appeal_id])


class SocialPostFilterSet(WagtailFilterSet):
    channel = django_filters.ChoiceFilter(label="Network", choices=SocialPost.Channel.choices)
    status = django_filters.ChoiceFilter(choices=SocialPost.Status.choices)
    deletion = django_filters.ChoiceFilter(choices=SocialPost.Deletion.choices)
    created_at = django_filters.DateFromToRangeFilter(label="Queued", widget=DateRangePickerWidget)

    class Meta:
        model = SocialPost
        fields = []


class SocialPostIndexView(IndexView):
    page_title = "Social posts"
    header_icon = "list-ul"
    default_ordering = "-created_at"
    columns = [
        TitleColumn("appeal", label="Appeal", get_url=lambda post: _record_url(post.appeal_id)),
        Column("channel", label="Network", accessor="get_channel_display"),
        Column("status", label="Status", accessor="get_status_display"),
        Column("deletion", label="Deletion", accessor="get_deletion_display"),
        Column("attempts", label="Attempts"),
        DateColumn("posted_at", label="Posted"),
        Column("error", label="Last error"),
    ]

    def get_base_queryset(self):
        posts = super().get_base_queryset().select_related("appeal")
        return posts.filter(appeal__in=appeals_visible_to(self.request.user))


def _when(moment) -> str:
    return date_format(localtime(moment), "j M Y H:i")


def _status(post: SocialPost) -> str:
    if post.retry_at and post.status == SocialPost.Status.QUEUED:
        return f"{post.get_status_display()}: next try {_when(post.retry_at)}"
    return post.get_status_display()


def _deletion(post: SocialPost) -> str:
    if post.deleted_at:
        return f"{post.get_deletion_display()}: {_when(post.deleted_at)}"
    return post.get_deletion_display()


def _post_link(post: SocialPost):
    if not post.url:
        return post.reference or "—"
    return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', post.url, post.reference)


class PostActionsColumn(BaseColumn):
    """Try again or cancel, as forms posting to the viewset's views, for those who may."""

    cell_template_name = "appeals/admin/social_post_actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        request = parent_context["request"]
        policy = policy_registry.get_by_type(SocialPost)
        return {
            **super().get_cell_context_data(instance, parent_context),
            "csrf_token": get_token(request),
            "can_change": policy.user_has_permission(request.user, "change"),
        }


class AppealPublicityRecordView(SocialPostIndexView):
    """Everywhere one appeal went out: its posts and other apps' sections below them."""

    template_name = "appeals/admin/publicity_record.html"
    columns = [
        Column("channel", label="Network", accessor="get_channel_display"),
        Column("status", label="Status", accessor=_status),
        Column("reference", label="Post", accessor=_post_link),
        DateColumn("posted_at", label="Posted"),
        Column("deletion", label="Deletion", accessor=_deletion),
        Column("attempts", label="Attempts"),
        Column("error", label="Last error", accessor=lambda post: post.error or "—"),
        PostActionsColumn("actions", label="Actions"),
    ]
    no_results_message = "Not posted anywhere."

    def get(self, request, *args, page_id: int, **kwargs):
        self.appeal = get_object_or_404(appeals_visible_to(request.user), pk=page_id)
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return f"Publicity record: {self.appeal.title}"

    def get_index_url(self):
        return _record_url(self.appeal.pk)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("appeals_social_posts:index"), "label": "Social posts"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_base_queryset(self):
        return super().get_base_queryset().filter(appeal=self.appeal)

    def get_context_data(self, **kwargs):
        record = appeal_publicity_record(appeal=self.appeal)
        return super().get_context_data(
            channels_off=record.channels_off,
            sections=[
                (section.heading, render_to_string(section.template_name, section.context))
                for section in record.sections
            ],
            **kwargs,
        )


class SocialPostChangeView(PermissionCheckedMixin, View):
    """Try a post again or cancel it, through the social posts' services."""

    model = SocialPost  # whose registered permission policy decides
    permission_required = "change"
    service = None
    done = ""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        post = get_object_or_404(
            SocialPost.objects.filter(appeal__in=appeals_visible_to(request.user)), pk=pk
        )
        try:
            self.service(post=post, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"The {post.get_channel_display()} post is {self.done}.")
        return redirect(_record_url(post.appeal_id))


class SocialPostViewSet(RecordViewSet):
    """Posts are made and deleted by the social posts' ledger (services.social_posts)."""

    model = SocialPost
    icon = "list-ul"
    menu_label = "Social posts"
    menu_order = 155
    add_to_admin_menu = True
    url_prefix = "appeals/social-posts"
    name = "appeals_social_posts"
    index_view_class = SocialPostIndexView
    filterset_class = SocialPostFilterSet
    list_per_page = 50
    list_export = [
        "appeal",
        "channel",
        "status",
        "deletion",
        "reference",
        "url",
        "attempts",
        "created_at",
        "posted_at",
        "deleted_at",
        "error",
    ]
    export_headings = {"reference": "Id on the network", "url": "Address"}
    export_filename = "social-posts"

    @property
    def appeal_record_view(self):
        return self.construct_view(
            AppealPublicityRecordView,
            **{
                **self.get_index_view_kwargs(),
                "template_name": AppealPublicityRecordView.template_name,
                "filterset_class": None,
                "list_export": [],
                "index_results_url_name": None,
            },
        )

    def change_view(self, service, done: str):
        return self.construct_view(SocialPostChangeView, service=service, done=done)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("appeal/<int:page_id>/", self.appeal_record_view, name="appeal"),
            path(
                "<int:pk>/retry/",
                self.change_view(social_posts.social_post_retry, done="queued to be tried again"),
                name="retry",
            ),
            path(
                "<int:pk>/cancel/",
                self.change_view(
                    social_posts.social_post_cancel, done="cancelled: it will not be made"
                ),
                name="cancel",
            ),
        ]
