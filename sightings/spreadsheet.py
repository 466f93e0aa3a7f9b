"""The queue as a spreadsheet for the case file, through Wagtail's export (CSV, XLSX)."""

from django.utils import timezone

from sightings import services
from sightings.formatting import shown_plainly, spreadsheet_safe
from sightings.permissions import SEE_CASE, sighting_permission_policy
from sightings.services.triage import EXPORT_COLUMNS


class SightingSpreadsheetMixin:
    """Exports the filtered queue whole (less what other forces passed to the person's),
    audited, with reporters' words shown plainly and never run as a formula."""

    list_export = [name for name, _ in EXPORT_COLUMNS]
    export_headings = dict(EXPORT_COLUMNS)

    def get_filename(self):
        return f"sightings-{timezone.localtime():%Y%m%d-%H%M}"

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # The queue's rows load only what a row shows: the export reads whole sightings,
        # of the person's cases only (not those another force passed to theirs).
        in_case = sighting_permission_policy.instances_user_has_permission_for(
            self.request.user, SEE_CASE
        )
        sightings = in_case.filter(pk__in=queryset.values("pk"))
        rows = services.sightings_export(
            sightings=sightings, user=self.request.user, export_format=spreadsheet_format
        )
        response = super().as_spreadsheet(rows, spreadsheet_format)
        response["Cache-Control"] = "private, no-store"
        return response

    def to_row_dict(self, item):
        return {name: services.sighting_export_value(item, name) for name in self.list_export}

    def preprocess_field_value(self, field, value, export_format):
        if export_format == self.FORMAT_CSV:
            return spreadsheet_safe(value)
        if isinstance(value, str):  # Wagtail keeps any formula an XLSX cell as text
            return shown_plainly(value)
        return super().preprocess_field_value(field, value, export_format)
