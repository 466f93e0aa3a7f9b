"""Admin views for the publicity safety check, police authorisation and closing appeals."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from appeals.forms import AppealCloseForm, PoliceAuthorisationForm, PublicityCheckForm
from appeals.models import (
    AppealPage,
    AppealTakedown,
    PublicityCheck,
    PublicityCheckTask,
    PublicitySettings,
)
from appeals.models.publicity import review_days_for
from appeals.selectors import (
    police_authorisation_latest,
    police_authorisation_queue,
    publicity_check_readable_by,
    takedowns_visible_to,
)
from appeals.services import (
    AppealAlreadyClosed,
    StaleRevision,
    appeal_close,
    police_authorisation_give,
    publicity_check_complete,
    takedown_retry,
)
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
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Publicity safety check: {self.check.appeal.title}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(check=self.check, **kwargs)


def _police_force(user):
    officer = getattr(user, "police_officer", None)
    if officer is None:
        raise PermissionDenied
    return officer.force


class PoliceAuthorisationIndexView(AdminPageMixin, TemplateView):
    template_name = "appeals/admin/police_authorisation_index.html"
    page_title = "Authorise publicity"
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        force = _police_force(self.request.user)
        return super().get_context_data(
            force=force, appeals=police_authorisation_queue(force=force), **kwargs
        )


class PoliceAuthorisationView(AdminPageMixin, FormView):
    """An officer of the owning force authorises publicity, having read the appeal."""

    template_name = "appeals/admin/police_authorisation.html"
    form_class = PoliceAuthorisationForm
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        force = _police_force(request.user)
        self.appeal = get_object_or_404(AppealPage, pk=kwargs["page_id"])
        self.draft = self.appeal.get_latest_revision_as_object()
        if self.draft.police_force_id != force.pk:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Authorise publicity: {self.draft.title}"

    def get_initial(self):
        return {
            "officer_name": self.request.user.get_full_name(),
            "authorised_on": timezone.localdate(),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            appeal=self.draft,
            photos=list(self.draft.photos.all()),
            authorisation=police_authorisation_latest(appeal=self.appeal),
            **kwargs,
        )

    def form_valid(self, form):
        police_authorisation_give(
            appeal=self.appeal,
            user=self.request.user,
            officer_name=form.cleaned_data["officer_name"],
            authorised_on=form.cleaned_data["authorised_on"],
        )
        messages.success(self.request, f"Publicity authorised for “{self.draft.title}”.")
        return redirect("appeals_police_authorisation_index")


class AppealCloseView(AdminPageMixin, FormView):
    """Mark an appeal found or withdrawn: it is taken down everywhere at once."""

    template_name = "appeals/admin/appeal_close.html"
    form_class = AppealCloseForm
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        self.appeal = get_object_or_404(AppealPage, pk=kwargs["page_id"])
        if self.appeal.is_closed:
            messages.info(request, "This appeal is closed already.")
            return redirect("appeals_takedown_report")
        if not self.appeal.permissions_for_user(request.user).can_close():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Close the appeal: {self.appeal.title}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            appeal=self.appeal, steps=AppealTakedown.Step.labels, **kwargs
        )

    def form_valid(self, form):
        try:
            appeal_close(
                appeal=self.appeal,
                user=self.request.user,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except AppealAlreadyClosed as error:
            messages.info(self.request, error.message)
            return redirect("appeals_takedown_report")
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"“{self.appeal.title}” is closed and is being taken down everywhere. "
            "The takedown report shows what is done and what is still pending.",
        )
        return redirect("appeals_takedown_report")


class TakedownReportView(AdminPageMixin, TemplateView):
    """Closed appeals: what each takedown removed, what is pending, and retry."""

    template_name = "appeals/admin/takedown_report.html"
    page_title = "Takedowns"
    header_icon = "bin"
    LIMIT = 100

    def get_context_data(self, **kwargs):
        retention = timedelta(days=settings.APPEAL_RETENTION_DAYS)
        rows = [
            {
                "takedown": takedown,
                "steps": [
                    (label, takedown.steps.get(step)) for step, label in AppealTakedown.Step.choices
                ],
                "posts": list(takedown.appeal.social_posts.all()) if takedown.appeal else [],
                "purge_due": takedown.closed_at + retention,
            }
            for takedown in takedowns_visible_to(self.request.user)[: self.LIMIT]
        ]
        return super().get_context_data(rows=rows, **kwargs)


class TakedownRetryView(View):
    def post(self, request, takedown_id):
        takedown = get_object_or_404(takedowns_visible_to(request.user), pk=takedown_id)
        try:
            takedown_retry(takedown=takedown, user=request.user)
        except ValidationError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, "The takedown will run again now.")
        return redirect("appeals_takedown_report")
