"""Social posts across appeals in the admin: Wagtail's generic listing of every post, by
network, state and date, with export; each row leads to its appeal's publicity record,
where a failed post is tried again or one not yet made is cancelled.

Who may see posts is their model permission (Publishers, Administrators), and only the
posts of appeals they may see (appeals_visible_to).
"""

import django_filters
from django.urls import path, reverse
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView

from appeals.models import SocialPost
from appeals.selectors import appeals_visible_to
from homeward.admin_views import RecordViewSet


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
        TitleColumn(
            "appeal",
            label="Appeal",
            get_url=lambda post: reverse("appeals_publicity_record", args=[post.appeal_id]),
        ),
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

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]
