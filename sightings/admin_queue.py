"""The police triage queue in the Wagtail admin: urgent first, then by priority, in pages,
with Wagtail's filters and spreadsheet export. Rows show only what they need, formatted in
Python (a page has 300 cells)."""

import functools

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView

from homeward.models import PoliceForce
from sightings.admin_forms import DuplicatesForm, SightingFilterSet
from sightings.formatting import person_name, shown_plainly, waited
from sightings.models import Sighting
from sightings.permissions import SEE, WORK, acting_force_id, sighting_permission_policy
from sightings.selectors import sighting_queue, sighting_queue_rows
from sightings.spreadsheet import SightingSpreadsheetMixin


class ReferenceColumn(TitleColumn):
    """The sighting's reference, linked, marked urgent, with its box for the selection, or
    marked as passed to the officer's force by another (not theirs to print or export)."""

    cell_template_name = "sightings/admin/reference_cell.html"

    def __init__(self, *args, passed_from, **kwargs):
        super().__init__(*args, **kwargs)
        self.passed_from = passed_from

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["passed_from"] = self.passed_from(instance)
        return context


class TextColumn(Column):
    """A cell of text, as Wagtail's cell template renders it, without a template: a page
    has 300 of them, and rendering a template for each was a third of the page's time."""

    def render_cell_html(self, instance, parent_context):
        return format_html("<td>{}</td>", self.get_value(instance))


def _status(sighting: Sighting) -> str:
    reason = sighting.get_close_reason_display().lower() if sighting.close_reason else ""
    return sighting.get_status_display() + (f": {reason}" if reason else "")


class SightingIndexView(SightingSpreadsheetMixin, IndexView):
    """The queue: urgent first, then by priority, in pages, with Wagtail's filters."""

    template_name = "sightings/admin/queue.html"
    results_template_name = "sightings/admin/queue_results.html"
    any_permission_required = [SEE]
    filterset_class = SightingFilterSet
    search_fields = ["reference", "location", "description", "reporter_name"]
    search_backend_name = None
    page_title = "Sightings"

    def get_base_queryset(self):
        return sighting_queue_rows(sighting_queue(user=self.request.user))

    def order_queryset(self, queryset):
        return queryset  # the queue's own order, which its indexes follow

    def filter_queryset(self, queryset):
        if self.filters and not self.filters.is_valid():
            # A filter not understood is left out, but closed sightings stay out by default.
            return queryset.exclude(status=Sighting.Status.CLOSED)
        return super().filter_queryset(queryset)

    def get_inspect_url(self, instance):
        return reverse(self.inspect_url_name, args=[instance.public_id])

    def get_edit_url(self, instance):
        return None

    @cached_property
    def passed_from(self):
        """The force that passed a sighting to the officer's, or None if it is their own
        (or the person is a caseworker, whose every sighting is theirs to see whole)."""
        own_force_id = acting_force_id(self.request.user, SEE)
        # Read only if a row was passed: most pages have none.
        names = functools.cache(lambda: dict(PoliceForce.objects.values_list("pk", "name")))

        def passed_from(sighting: Sighting) -> str | None:
            if own_force_id is None or sighting.police_force_id == own_force_id:
                return None
            return names()[sighting.police_force_id]

        return passed_from

    @cached_property
    def columns(self):
        now = timezone.now()
        passed_from = self.passed_from
        return [
            ReferenceColumn(
                "reference",
                label="Sighting",
                get_url=self.get_inspect_url,
                accessor="reference",
                passed_from=passed_from,
            ),
            TextColumn(
                "appeal_title", label="Appeal", accessor=lambda s: shown_plainly(s.appeal_title)
            ),
            TextColumn(
                "received",
                label="Received",
                accessor=lambda s: (
                    timezone.localtime(s.received_at).strftime("%-d %b %Y, %H:%M")
                    + (
                        f", waiting {waited(s.received_at, now)}"
                        if s.status == Sighting.Status.NEW
                        else ""
                    )
                ),
            ),
            TextColumn("location", label="Where", accessor=lambda s: shown_plainly(s.location)),
            # Points follow the appeal's risk: not for a force the sighting was passed to.
            TextColumn(
                "priority_points",
                label="Points",
                accessor=lambda s: "" if passed_from(s) else s.priority_points,
            ),
            TextColumn("status", label="Status", accessor=_status),
            TextColumn(
                "claimed_by",
                label="Claimed by",
                accessor=lambda s: person_name(s.claimed_by) if s.claimed_by else "Unclaimed",
            ),
        ]

    def get_context_data(self, *args, **kwargs):
        user = self.request.user
        return super().get_context_data(
            *args,
            can_work=sighting_permission_policy.user_has_permission(user, WORK),
            duplicates_form=DuplicatesForm(),
            query=self.request.GET.urlencode(),
            **kwargs,
        )
