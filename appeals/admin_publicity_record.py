"""The publicity record in the admin: where an appeal went out, with retry and cancel.

Who may read it, and retry or cancel posts, is the social posts' registered permission
policy (Wagtail's model permissions: Publishers, administrators); an appeal or post
someone may not see answers 404, as one that does not exist.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.views import View
from django.views.generic import TemplateView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from appeals.models import SocialPost
from appeals.selectors import appeal_publicity_record, appeals_visible_to
from appeals.services import social_posts
from homeward.admin_views import AdminPageMixin


class PublicityRecordView(PermissionCheckedMixin, AdminPageMixin, TemplateView):
    model = SocialPost
    permission_required = "view"
    template_name = "appeals/admin/publicity_record.html"
    header_icon = "list-ul"

    def get(self, request, *args, page_id: int, **kwargs):
        self.appeal = get_object_or_404(appeals_visible_to(request.user), pk=page_id)
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return f"Publicity record: {self.appeal.title}"

    def get_context_data(self, **kwargs):
        record = appeal_publicity_record(appeal=self.appeal)
        return super().get_context_data(
            record=record,
            sections=[
                (section.heading, render_to_string(section.template_name, section.context))
                for section in record.sections
            ],
            can_change=self.user_has_permission("change"),
            **kwargs,
        )


class SocialPostChangeView(PermissionCheckedMixin, View):
    """Retry or cancel a post, through the fan-out's services."""

    model = SocialPost
    permission_required = "change"
    service = None
    done = ""

    def post(self, request: HttpRequest, post_id: int) -> HttpResponse:
        post = get_object_or_404(
            SocialPost.objects.filter(appeal__in=appeals_visible_to(request.user)), pk=post_id
        )
        try:
            self.service(post=post, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"The {post.get_channel_display()} post is {self.done}.")
        return redirect("appeals_publicity_record", page_id=post.appeal_id)


social_post_retry = SocialPostChangeView.as_view(
    service=social_posts.social_post_retry, done="queued to be tried again"
)
social_post_cancel = SocialPostChangeView.as_view(
    service=social_posts.social_post_cancel, done="cancelled: it will not be made"
)
