"""The publicity record in the admin: where an appeal went out, with retry and cancel."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from appeals.models import AppealPage, SocialPost
from appeals.selectors import appeal_publicity_record
from appeals.services import social_posts
from homeward.admin_views import AdminPageMixin, permission_require

VIEW_PERMISSION = "appeals.view_socialpost"
# Mirrors the Heroes emails' cancel (newsletter.change_campaign): Publishers, administrators.
CHANGE_PERMISSION = "appeals.change_socialpost"


class PublicityRecordView(AdminPageMixin, TemplateView):
    template_name = "appeals/admin/publicity_record.html"
    header_icon = "list-ul"

    def dispatch(self, request, *args, page_id: int, **kwargs):
        permission_require(request, VIEW_PERMISSION)
        self.appeal = get_object_or_404(AppealPage, pk=page_id)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Publicity record: {self.appeal.title}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            record=appeal_publicity_record(appeal=self.appeal),
            can_change=self.request.user.has_perm(CHANGE_PERMISSION),
            **kwargs,
        )


@require_POST
def social_post_retry(request: HttpRequest, post_id: int) -> HttpResponse:
    return _change(request, post_id, social_posts.social_post_retry, "queued to be tried again")


@require_POST
def social_post_cancel(request: HttpRequest, post_id: int) -> HttpResponse:
    return _change(
        request, post_id, social_posts.social_post_cancel, "cancelled: it will not be made"
    )


def _change(request: HttpRequest, post_id: int, service, done: str) -> HttpResponse:
    permission_require(request, CHANGE_PERMISSION)
    post = get_object_or_404(SocialPost, pk=post_id)
    try:
        service(post=post, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The {post.channel} post is {done}.")
    return redirect("appeals_publicity_record", page_id=post.appeal_id)
