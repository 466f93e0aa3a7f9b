"""Closing an appeal in the admin: found or withdrawn, taken down everywhere at once."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView

from appeals.admin_takedowns import INDEX_URL_NAME as TAKEDOWNS_URL_NAME
from appeals.forms import AppealCloseForm
from appeals.models import AppealTakedown
from appeals.selectors import appeals_visible_to
from appeals.services import AppealAlreadyClosed, appeal_close
from homeward.admin_views import AdminPageMixin


class AppealCloseView(AdminPageMixin, FormView):
    """Mark an appeal found or withdrawn: it is taken down everywhere at once."""

    template_name = "appeals/admin/appeal_close.html"
    form_class = AppealCloseForm
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        # An appeal someone may not see answers as one that does not exist.
        self.appeal = get_object_or_404(appeals_visible_to(request.user), pk=kwargs["page_id"])
        if self.appeal.is_closed:
            messages.info(request, "This appeal is closed already.")
            return redirect(TAKEDOWNS_URL_NAME)
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
            return redirect(TAKEDOWNS_URL_NAME)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"“{self.appeal.title}” is closed and is being taken down everywhere. "
            "The takedown report shows what is done and what is still pending.",
        )
        return redirect(TAKEDOWNS_URL_NAME)
