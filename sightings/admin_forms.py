"""Forms of the police triage queue, in the Wagtail admin."""

import django_filters
from django import forms
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from homeward.models import PoliceForce
from sightings.models import Sighting, SightingHandOff, SightingTranslation, ThriveAssessment
from sightings.permissions import sees_every_force
from sightings.selectors import sighting_appeals_for

STATUS_FILTERS = [("open", "Open"), *Sighting.Status.choices, ("any", "Any status")]
URGENCY_FILTERS = [("urgent", "Urgent: with them now"), ("other", "Not urgent")]
ASSIGNMENT_FILTERS = [("unassigned", "Unassigned"), ("mine", "Mine")]


class SightingFilterSet(WagtailFilterSet):
    """The queue's filters, as a bookmarkable GET. With no status asked for, the open ones."""

    urgency = django_filters.ChoiceFilter(
        label="Urgency", choices=URGENCY_FILTERS, method="filter_urgency", empty_label="Any"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_FILTERS, method="filter_status", empty_label=None
    )
    police_force = django_filters.ModelChoiceFilter(
        label="Police force", queryset=PoliceForce.objects.order_by("name"), empty_label="Any"
    )
    appeal = django_filters.ModelChoiceFilter(
        label="Appeal",
        queryset=lambda request: sighting_appeals_for(user=request.user),
        empty_label="Any",
    )
    assignment = django_filters.ChoiceFilter(
        label="Claimed by",
        choices=ASSIGNMENT_FILTERS,
        method="filter_assignment",
        empty_label="Anyone's or no one's",
    )
    received_at = django_filters.DateFromToRangeFilter(
        label="Received", widget=DateRangePickerWidget
    )

    class Meta:
        model = Sighting
        fields = ["urgency", "status", "police_force", "appeal", "assignment", "received_at"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        if data is not None and not data.get("status"):
            data = data.copy()
            data["status"] = "open"
        super().__init__(data, *args, request=request, **kwargs)
        self.form.fields["status"].initial = "open"
        if request is None or not sees_every_force(request.user):
            del self.filters["police_force"]
            del self.form.fields["police_force"]

    def filter_urgency(self, queryset, name, value):
        return queryset.filter(with_them_now=value == "urgent")

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.exclude(status=Sighting.Status.CLOSED)
        if value == "any":
            return queryset
        return queryset.filter(status=value)

    def filter_assignment(self, queryset, name, value):
        if value == "unassigned":
            return queryset.filter(claimed_by__isnull=True)
        return queryset.filter(claimed_by=self.request.user)


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why are you closing it?",
        choices=[("", "Choose a reason"), *Sighting.CloseReason.choices],
    )
    duplicate_of = forms.CharField(
        label="Duplicate of (reference)",
        required=False,
        max_length=16,
        help_text="For a duplicate: the reference of the sighting it repeats, like S-AB12-CD34.",
    )


class ThriveForm(forms.ModelForm):
    class Meta:
        model = ThriveAssessment
        fields = [
            "threat",
            "harm",
            "risk",
            "risk_grade",
            "investigation",
            "vulnerability",
            "engagement",
        ]
        labels = {
            "threat": "Threat: what is the threat, and to whom?",
            "harm": "Harm: what harm could come of it?",
            "risk": "Risk: how likely is that harm?",
            "risk_grade": "Risk grade",
            "investigation": "Investigation: what should be done next?",
            "vulnerability": "Vulnerability: what makes the person vulnerable?",
            "engagement": "Engagement: who needs to be involved?",
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ["threat", "harm", "risk", "investigation", "vulnerability", "engagement"]
        }


class NoteForm(forms.Form):
    text = forms.CharField(label="Add a note", max_length=4000, widget=forms.Textarea({"rows": 3}))


class TranslationForm(forms.ModelForm):
    class Meta:
        model = SightingTranslation
        fields = ["text", "translated_by"]
        widgets = {"text": forms.Textarea({"rows": 4})}


class HandOffForm(forms.ModelForm):
    """Pass a sighting to another force. The model's rules check it, on the sighting named,
    so their messages stand beside the answers; the service checks it all again."""

    class Meta:
        model = SightingHandOff
        fields = ["to_force", "reason", "domestic_abuse_confirmed"]

    def __init__(self, *args, sighting: Sighting, **kwargs):
        super().__init__(*args, instance=SightingHandOff(sighting=sighting), **kwargs)
        to_force = self.fields["to_force"]
        to_force.queryset = PoliceForce.objects.exclude(pk=sighting.police_force_id)
        to_force.empty_label = "Choose a force"
        if sighting.appeal.domestic_abuse:
            self.fields["domestic_abuse_confirmed"].help_text = (
                "Required: the appeal is a domestic-abuse case, and sharing where the person "
                "was seen is your decision."
            )
        else:
            del self.fields["domestic_abuse_confirmed"]


class DuplicatesForm(forms.Form):
    # Shares a form element with the export buttons: a browser must not demand it for those.
    use_required_attribute = False

    original = forms.CharField(
        label="Close the selected sightings as duplicates of (reference)", max_length=16
    )
