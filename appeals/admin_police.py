"""Police officers in the admin: their force's open appeals, and authorising publicity."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import FormView, TemplateView

from appeals.forms import PoliceAuthorisationForm
from appeals.models import AppealPage
from appeals.models.permissions import AUTHORISE_PUBLICITY, own_force_id
from appeals.selectors import (
    appeal_publicity_state,
    police_authorisation_latest,
    police_authorisation_queue,
)
from appeals.services import police_authorisation_give
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
