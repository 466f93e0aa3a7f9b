"""Police officers in the admin: their force's open appeals, authorising publicity, and
reviewing the risk of their cases."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from appeals.admin_episodes import episode_history_context
from appeals.forms import PoliceAuthorisationForm
from appeals.models import AppealPage
from appeals.models.permissions import AUTHORISE_PUBLICITY, own_force_id
from appeals.models.risk import REVIEW_RISK
from appeals.risk_selectors import risk_assessments_of, risk_review_queue
from appeals.selectors import (
    appeal_publicity_state,
    police_authorisation_latest,
    police_authorisation_queue,
)
from appeals.services import police_authorisation_give
from appeals.services.risk import appeal_risk_review
from homeward.admin_views import AdminPageMixin
from homeward.models import PoliceForce


def _police_force(user) -> PoliceForce:
    """The force this officer serves: only officers authorise publicity, for their force."""
    force_id = own_force_id(user, AUTHORISE_PUBLICITY)
    if force_id is None:
        raise PermissionDenied
    return PoliceForce.objects.get(pk=force_id)


class PoliceAuthorisationIndexView(AdminPageMixin, TemplateView):
    template_name = "appeals/admin/police_authorisation_index.html"
    page_title = "Authorise publicity"
    header_icon = "doc-full"

    def get_context_data(self, **kwargs):
        force = _police_force(self.request.user)
        appeals = police_authorisation_queue(force=force)
        return super().get_context_data(
            force=force,
            rows=[
                {"appeal": appeal, "state": appeal_publicity_state(appeal)} for appeal in appeals
            ],
            **kwargs,
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
            raise Http404  # another force's case, as for one that does not exist
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
            **episode_history_context(appeal=self.appeal, user=self.request.user),
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


class RiskReviewForm(forms.Form):
    level = forms.ChoiceField(
        label="Risk level now",
        choices=AppealPage.RiskLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the risk level as you assess it now."},
    )
    reason = forms.CharField(
        label="Why",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Needed for a lower level than the last assessment, and for a level "
        "below high for a trafficked or unaccompanied child. Seen by staff and police only.",
        error_messages={"max_length": "Keep the reason to 1000 characters or fewer."},
    )


def _review_force_id(user) -> int:
    """The force whose cases this officer reviews: only officers do, for their force."""
    force_id = own_force_id(user, REVIEW_RISK)
    if force_id is None:
        raise PermissionDenied
    return force_id


class RiskReviewIndexView(AdminPageMixin, TemplateView):
    """The force's open appeals with their risk, and when each high-risk one is due."""

    template_name = "appeals/admin/risk_review_index.html"
    page_title = "Risk reviews"
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        force_id = _review_force_id(self.request.user)
        return super().get_context_data(
            force=PoliceForce.objects.get(pk=force_id),
            appeals=risk_review_queue(force_id=force_id),
            now=timezone.now(),
            interval_hours=settings.RISK_REVIEW_INTERVAL_HOURS,
            **kwargs,
        )


class RiskReviewView(AdminPageMixin, FormView):
    """An officer of the owning force reviews the risk of an open appeal, with its history."""

    template_name = "appeals/admin/risk_review.html"
    form_class = RiskReviewForm
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        force_id = _review_force_id(request.user)
        self.appeal = get_object_or_404(AppealPage, pk=kwargs["page_id"])
        if self.appeal.police_force_id != force_id:
            raise Http404  # another force's case, as for one that does not exist
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Review the risk: {self.appeal.draft_title}"

    def get_initial(self):
        return {"level": self.appeal.risk_assessments.level_in_force() or self.appeal.risk_level}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            appeal=self.appeal,
            assessments=risk_assessments_of(self.appeal),
            interval_hours=settings.RISK_REVIEW_INTERVAL_HOURS,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            appeal_risk_review(
                appeal=self.appeal,
                user=self.request.user,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            # The model's rules name the field they are about (the reason), or none.
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Risk review recorded for “{self.appeal.draft_title}”.")
        return redirect("appeals_risk_review", page_id=self.appeal.pk)
