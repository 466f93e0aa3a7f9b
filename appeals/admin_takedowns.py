"""The takedowns report in the admin: Wagtail's generic listing of closed (or expired)
appeals, with what each takedown removed, what is pending, retry, filters and export; and
what the partners that may hold each appeal were told, as the apps above appeals report it
through the ``takedown_report_partners`` hook (appeals.lifecycle_hooks).

Who sees which takedowns is the registered permission policy's
(appeals.permission_policies.ForceRecordPermissionPolicy); a takedown someone may not see
answers 404, as one that does not exist.
"""

from datetime import timedelta

import django_filters
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views import View
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.permissions import policy_registry

from appeals.lifecycle_hooks import TAKEDOWN_REPORT_PARTNERS
from appeals.models import AppealTakedown
from appeals.services import takedown_retry
from homeward.admin_views import RecordViewSet
from homeward.models import PoliceForce

INDEX_URL_NAME = "appeals_takedowns:index"


class TakedownFilterSet(WagtailFilterSet):
    pending = django_filters.BooleanFilter(
        label="Still pending", field_name="completed_at", lookup_expr="isnull"
    )
    outcome = django_filters.ChoiceFilter(choices=AppealTakedown.Outcome.choices)
    police_force = django_filters.ModelChoiceFilter(
        label="Police force", queryset=PoliceForce.objects.order_by("name")
    )
    closed_at = django_filters.DateFromToRangeFilter(label="Closed", widget=DateRangePickerWidget)

    class Meta:
        model = AppealTakedown
        fields = []


class TakedownCell(Column):
    """A cell of its own template, given the takedown's steps and social posts."""

    def __init__(self, name, template_name, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = template_name

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["takedown"] = instance
        context["steps"] = [
            (label, instance.steps.get(step)) for step, label in AppealTakedown.Step.choices
        ]
        context["posts"] = list(instance.appeal.social_posts.all()) if instance.appeal else []
        context["purge_due"] = instance.closed_at + timedelta(days=settings.APPEAL_RETENTION_DAYS)
        return context


def _cell(name, label):
    return TakedownCell(name, f"appeals/admin/takedowns/{name}_cell.html", label=label)


class PartnersCell(Column):
    """Each partner that may hold the appeal: what it was told, and when it last fetched."""

    cell_template_name = "appeals/admin/takedowns/partners_cell.html"

    def __init__(self, rows: dict[int, list[dict]]):
        super().__init__("partners", label="Partners")
        self.rows = rows

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["partners"] = self.rows.get(instance.pk, [])
        return context


class TakedownIndexView(IndexView):
    page_title = "Takedowns"
    header_icon = "bin"
    default_ordering = "-closed_at"
    columns = [
        _cell("appeal", "Appeal"),
        _cell("closed", "Closed"),
        _cell("removed", "Removed"),
        _cell("pending", "Pending"),
        _cell("personal_data", "Personal data"),
    ]

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view")

    def get_edit_url(self, instance):
        return None  # a takedown is a record: nothing of it is edited by hand

    def get_table(self, object_list):
        # The page's takedowns are asked about together, so that its queries stay flat.
        takedowns = list(object_list)
        rows = {}
        for hook in hooks.get_hooks(TAKEDOWN_REPORT_PARTNERS):
            for takedown_id, found in hook(takedowns=takedowns, user=self.request.user).items():
                rows.setdefault(takedown_id, []).extend(found)
        # Only for someone who may see partners, on a page where some partner held one.
        columns = [*self.columns, PartnersCell(rows)] if rows else self.columns
        return self.table_class(columns, takedowns, **self.get_table_kwargs())


class TakedownRetryView(View):
    """Run an unfinished takedown again now, through the takedown service."""

    def post(self, request, pk):
        policy = policy_registry.get_by_type(AppealTakedown)
        if not policy.user_has_permission(request.user, "view"):
            raise PermissionDenied
        # Those who may open the report retry what they see in it (as the report offers).
        takedown = get_object_or_404(
            policy.instances_user_has_permission_for(request.user, "view"), pk=pk
        )
        try:
            takedown_retry(takedown=takedown, user=request.user)
        except ValidationError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, "The takedown will run again now.")
        return redirect(INDEX_URL_NAME)


class TakedownViewSet(RecordViewSet):
    model = AppealTakedown
    icon = "bin"
    menu_label = "Takedowns"
    menu_order = 160
    add_to_admin_menu = True
    url_prefix = "appeals/takedowns"
    name = "appeals_takedowns"
    index_view_class = TakedownIndexView
    filterset_class = TakedownFilterSet
    list_per_page = 50
    list_export = [
        "appeal",
        "police_force",
        "outcome",
        "reason",
        "closed_at",
        "closed_by",
        "completed_at",
        "last_error",
        "purged_at",
    ]
    export_headings = {"appeal": "Appeal", "completed_at": "Takedown complete"}
    export_filename = "takedowns"

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/retry/", TakedownRetryView.as_view(), name="retry"),
        ]
