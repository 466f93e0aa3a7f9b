"""The publicity safety check in the admin: the checklist, and a completed check's answers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from appeals.admin_episodes import episode_history_context
from appeals.forms import PublicityCheckForm
from appeals.models import AppealPage, PublicityCheck, PublicityCheckTask, PublicitySettings
from appeals.models.publicity import review_days_for
from appeals.selectors import police_authorisation_latest, publicity_check_readable_by
from appeals.services import StaleRevision, publicity_check_complete
from homeward.admin_views import AdminPageMixin


class PublicityCheckView(AdminPageMixin, FormView):
    """The checklist, beside the version of the appeal it checks."""

    template_name = "appeals/admin/publicity_check.html"
    form_class = PublicityCheckForm
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        self.appeal = get_object_or_404(AppealPage, pk=kwargs["page_id"])
        self.task_state = self.appeal.current_workflow_task_state
        task = self.task_state.task.specific if self.task_state else None
        if not isinstance(task, PublicityCheckTask):
            messages.error(request, "This appeal is not waiting for a publicity safety check.")
            return redirect("wagtailadmin_home")
        if "check" not in [name for name, *_ in task.get_actions(self.appeal, request.user)]:
            raise PermissionDenied
        self.revision = self.appeal.get_latest_revision()
        self.draft = self.revision.as_object()
        self.authorisation = police_authorisation_latest(appeal=self.appeal)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Publicity safety check: {self.draft.title}"

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "appeal": self.draft,
            "authorisation": self.authorisation,
            "max_review_days": review_days_for(self.draft, PublicitySettings.load()),
            "initial": {"revision_id": self.revision.pk},
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            appeal=self.draft,
            revision=self.revision,
            authorisation=self.authorisation,
            photos=list(self.draft.photos.all()),
            preview_url=reverse("wagtailadmin_pages:preview_on_edit", args=[self.appeal.pk]),
            edit_url=reverse("wagtailadmin_pages:edit", args=[self.appeal.pk]),
            **episode_history_context(appeal=self.appeal, user=self.request.user),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            check = publicity_check_complete(
                task_state=self.task_state,
                user=self.request.user,
                revision_id=form.cleaned_data["revision_id"],
                answers=form.answers(),
            )
        except StaleRevision as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Publicity safety check completed for “{self.draft.title}”: "
            f"{check.get_decision_display()}. It now awaits a publisher's approval.",
        )
        return redirect("wagtailadmin_home")


class PublicityCheckDetailView(AdminPageMixin, TemplateView):
    """A completed check's answers, for those allowed to read them."""

    template_name = "appeals/admin/publicity_check_detail.html"
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        self.check = get_object_or_404(
            PublicityCheck.objects.select_related(
                "appeal", "completed_by", "approved_by", "authorising_force", "revision"
            ),
            pk=kwargs["check_id"],
        )
        if not publicity_check_readable_by(check=self.check, user=request.user):
            raise Http404  # as for a check that does not exist
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Publicity safety check: {self.check.appeal.title}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(check=self.check, **kwargs)
