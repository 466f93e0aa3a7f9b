"""Return home interviews in the admin: what is due and overdue, first, and a form to
record each one's offer and outcome, through the service (never a plain model save).

Who sees which is the registered permission policy's (Caseworkers, and a child's local
authority; see appeals.permission_policies); one someone may not see answers 404.
"""

import django_filters
from django import forms
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import EditView, HistoryView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from appeals.models import ReturnHomeInterview
from appeals.services import return_home_interview_record
from homeward.models import PoliceForce


class ReturnHomeFilterSet(WagtailFilterSet):
    outstanding = django_filters.BooleanFilter(
        label="Not yet held or settled", method="filter_outstanding"
    )
    police_force = django_filters.ModelChoiceFilter(
        label="Police force", queryset=PoliceForce.objects.order_by("name")
    )

    class Meta:
        model = ReturnHomeInterview
        fields = []

    def filter_outstanding(self, queryset, name, value):
        if value is None:
            return queryset
        outstanding = queryset.outstanding()
        return outstanding if value else queryset.exclude(pk__in=outstanding)


class StandingColumn(Column):
    """Where the interview stands, in words: overdue, due, offered, held or not held."""

    cell_template_name = "appeals/admin/return_home/standing_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["interview"] = instance
        context["overdue"] = instance.is_overdue()
        return context


class ReturnHomeIndexView(IndexView):
    page_title = "Return home interviews"
    header_icon = "user"
    default_ordering = "due_by"
    columns = [
        Column("appeal", label="Appeal", accessor="appeal"),
        Column("police_force", label="Police force"),
        Column("found_at", label="Found"),
        Column("due_by", label="Due by"),
        StandingColumn("standing", label="Where it stands"),
    ]

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view")


LOCAL = {"type": "datetime-local"}


class ReturnHomeForm(forms.ModelForm):
    class Meta:
        model = ReturnHomeInterview
        fields = ["offered_by", "offered_by_name", "offered_at", "held_at", "not_held_reason"]
        widgets = {
            "offered_by": forms.RadioSelect,
            # As the browser's date and time picker reads and writes them.
            "offered_at": forms.DateTimeInput(LOCAL, format="%Y-%m-%dT%H:%M"),
            "held_at": forms.DateTimeInput(LOCAL, format="%Y-%m-%dT%H:%M"),
        }

    def __init__(self, *args, for_user=None, **kwargs):  # Wagtail passes the user
        super().__init__(*args, **kwargs)
        # A radio button labelled "---------" means nothing to anyone.
        self.fields["offered_by"].choices = ReturnHomeInterview.OfferedBy.choices
        self.fields["not_held_reason"].choices = [
            ("", "It was held, or it may still be"),
            *ReturnHomeInterview.NotHeld.choices,
        ]
        interview = self.instance
        self.fields["offered_by"].help_text = (
            f"Found {date_format(timezone.localtime(interview.found_at), 'j F Y, H:i')}: the "
            f"interview is due by {date_format(timezone.localtime(interview.due_by), 'j F Y, H:i')}"
            " (72 hours). Record only when and by whom, never what was said."
        )


class ReturnHomeEditView(EditView):
    def get_page_subtitle(self):
        return str(self.object.appeal)

    def get_queryset(self):
        # Wagtail's edit view finds the record by id alone: only among one's own.
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "change")

    def save_instance(self):
        # The service checks the permission and the rules again, and keeps the audit trail.
        data = self.form.cleaned_data
        return return_home_interview_record(interview=self.object, user=self.request.user, **data)

    def get_success_message(self, instance=None):
        return "Recorded."


class ReturnHomeHistoryView(HistoryView):
    def get_base_object_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view")


class ReturnHomeViewSet(ModelViewSet):
    model = ReturnHomeInterview
    icon = "user"
    menu_label = "Return home interviews"
    menu_order = 170
    add_to_admin_menu = True
    url_prefix = "appeals/return-home"
    name = "appeals_return_home"
    index_view_class = ReturnHomeIndexView
    edit_view_class = ReturnHomeEditView
    history_view_class = ReturnHomeHistoryView
    filterset_class = ReturnHomeFilterSet
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_form_class(self, for_update=False):
        return ReturnHomeForm

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{"add_url_name": None, "delete_url_name": None, "usage_url_name": None, **kwargs}
        )

    def get_urlpatterns(self):
        # Closing an appeal makes them; nobody adds or deletes one by hand.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.edit_view, name="edit"),
            # Each record is in the audit log: who recorded what, and when.
            path("<int:pk>/history/", self.history_view, name="history"),
            path("<int:pk>/history/results/", self.history_results_view, name="history_results"),
        ]
