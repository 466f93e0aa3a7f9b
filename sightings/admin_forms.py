"""Forms of the police triage queue, in the Wagtail admin."""

from django import forms

from sightings.models import Sighting, ThriveAssessment

STATUS_FILTERS = [
    ("open", "Open"),
    *Sighting.Status.choices,
    ("", "Any status"),
]
ASSIGNMENT_FILTERS = [("", "Anyone's or no one's"), ("unassigned", "Unassigned"), ("mine", "Mine")]
DATE_INPUT = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class QueueFilterForm(forms.Form):
    """The queue's filters, as a bookmarkable GET."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    appeal = forms.TypedChoiceField(label="Appeal", coerce=int, required=False, empty_value=None)
    status = forms.ChoiceField(
        label="Status", choices=STATUS_FILTERS, required=False, initial="open"
    )
    received_from = forms.DateField(label="Received from", required=False, widget=DATE_INPUT)
    received_to = forms.DateField(label="Received to", required=False, widget=DATE_INPUT)
    urgent = forms.BooleanField(label="Urgent only", required=False)
    assignment = forms.ChoiceField(label="Claimed by", choices=ASSIGNMENT_FILTERS, required=False)

    def __init__(self, *args, appeals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appeal"].choices = [("", "Any"), *appeals.values_list("pk", "title")]

    def queue_filters(self) -> dict:
        """Arguments for ``sighting_queue``; an invalid filter is left out, not guessed."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "appeal_id": data.get("appeal"),
            # No status asked for means the open ones; an empty one means any.
            "status": data.get("status", "open") if "status" in self.data else "open",
            "received_from": data.get("received_from"),
            "received_to": data.get("received_to"),
            "urgent_only": data.get("urgent", False),
            "assignment": data.get("assignment", ""),
            "search": data.get("q", ""),
        }


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


class DuplicatesForm(forms.Form):
    # Shares a form element with the export buttons: a browser must not demand it for those.
    use_required_attribute = False

    original = forms.CharField(
        label="Close the selected sightings as duplicates of (reference)", max_length=16
    )
