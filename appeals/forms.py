from django import forms

from appeals.selectors import OVER_A_YEAR, SINCE_PERIODS
from homeward.models import PoliceForce


class ForceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PoliceForce) -> str:
        return obj.name


class DirectoryFilterForm(forms.Form):
    """The directory's filters: a GET form, so every filtered view has its own URL."""

    q = forms.CharField(label="Name or place", max_length=100, required=False)
    force = ForceChoiceField(
        label="Police force area",
        queryset=PoliceForce.objects.all(),
        to_field_name="slug",
        empty_label="All of the UK",
        required=False,
    )
    person = forms.ChoiceField(
        label="Children or adults",
        choices=[("", "Children and adults"), ("child", "Children"), ("adult", "Adults")],
        required=False,
    )
    since = forms.ChoiceField(
        label="Missing since",
        choices=[
            ("", "Any time"),
            *[(key, label) for key, (label, _) in SINCE_PERIODS.items()],
            (OVER_A_YEAR, "More than a year ago"),
        ],
        required=False,
    )

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())
