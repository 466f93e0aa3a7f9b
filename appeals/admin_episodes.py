"""Linking an appeal to the same person's other episodes, in the admin.

The page lists the episodes linked, suggests appeals that may be the same person (by name
and date of birth, among the appeals one may see), and searches; staff confirm each link
with a button. The same history shows in the editor, the check and the police's view.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from appeals.episodes import episode_history, episode_matches
from appeals.models import AppealPage
from appeals.selectors import appeal_visible_to, appeals_visible_to
from appeals.services.episodes import appeal_episode_link, appeal_episode_unlink
from homeward.admin_views import AdminPageMixin


def episode_history_context(*, appeal: AppealPage, user) -> dict:
    """What the episode_history.html include needs."""
    episodes = episode_history(appeal=appeal)
    may_link = appeal.pk and appeal.permissions_for_user(user).can_link_episodes()
    return {
        "episodes": episodes,
        "publicised_count": sum(episode.publicised for episode in episodes),
        "episodes_url": reverse("appeals_episodes", args=[appeal.pk]) if may_link else "",
    }


class EpisodeSearchForm(forms.Form):
    name = forms.CharField(label="Name", required=False, max_length=255)
    date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )


class AppealEpisodesView(AdminPageMixin, TemplateView):
    template_name = "appeals/admin/appeal_episodes.html"
    header_icon = "user"

    def dispatch(self, request, *args, **kwargs):
        self.appeal = get_object_or_404(AppealPage, pk=kwargs["page_id"])
        if not appeal_visible_to(appeal=self.appeal, user=request.user):
            raise Http404  # as for an appeal that does not exist
        if not self.appeal.permissions_for_user(request.user).can_link_episodes():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Other episodes: {self.appeal.draft_title}"

    def get_context_data(self, **kwargs):
        form = EpisodeSearchForm(self.request.GET or None)
        searched = form.is_valid() and any(form.cleaned_data.values())
        matches = episode_matches(
            appeal=self.appeal,
            user=self.request.user,
            **(form.cleaned_data if searched else {}),
        )
        return super().get_context_data(
            appeal=self.appeal,
            form=form,
            searched=searched,
            matches=matches,
            linked=hasattr(self.appeal, "person_episode"),
            **episode_history_context(appeal=self.appeal, user=self.request.user),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            if "unlink" in request.POST:
                appeal_episode_unlink(appeal=self.appeal, user=request.user)
                messages.success(request, "This appeal is no longer linked to other episodes.")
            else:
                earlier_id = request.POST.get("earlier", "")
                if not earlier_id.isdigit():
                    raise Http404
                earlier = get_object_or_404(appeals_visible_to(request.user), pk=earlier_id)
                appeal_episode_link(appeal=self.appeal, earlier=earlier, user=request.user)
                messages.success(
                    request, f"Linked: “{earlier.draft_title}” is the same person's episode."
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("appeals_episodes", self.appeal.pk)
