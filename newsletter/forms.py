from django import forms

from homeward.models import PoliceForce
from newsletter.models import ALL_OF_UK as ALL_OF_UK_LABEL
from newsletter.typos import suggested_address

ALL_OF_UK = "all"
CHOSEN_AREAS = "areas"


class ChoicesForm(forms.Form):
    """Where a Hero wants appeals from, and whether they want urgent alerts."""

    where = forms.ChoiceField(
        label="Which appeals do you want?",
        choices=[(ALL_OF_UK, ALL_OF_UK_LABEL), (CHOSEN_AREAS, "Only the areas I choose")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose all of the UK, or the areas you want."},
    )
    areas = forms.ModelMultipleChoiceField(
        label="Police force areas",
        queryset=PoliceForce.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Choose every area you live, work or travel in.",
    )
    urgent_alerts = forms.TypedChoiceField(
        label="Do you also want urgent alerts?",
        help_text="When police are very worried about someone missing in your areas. "
        "Rare, and only when it matters.",
        choices=[("yes", "Yes, send me urgent alerts"), ("no", "No, only the regular email")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you want urgent alerts."},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("where") == CHOSEN_AREAS and not cleaned.get("areas"):
            self.add_error("areas", "Choose at least one area, or choose all of the UK.")
        return cleaned

    def choices(self) -> dict:
        all_of_uk = self.cleaned_data["where"] == ALL_OF_UK
        return {
            "all_of_uk": all_of_uk,
            "areas": [] if all_of_uk else list(self.cleaned_data["areas"]),
            "urgent_alerts": self.cleaned_data["urgent_alerts"],
        }

    @classmethod
    def initial_for(cls, hero) -> dict:
        return {
            "where": ALL_OF_UK if hero.all_of_uk else CHOSEN_AREAS,
            "areas": list(hero.areas.all()),
            "urgent_alerts": "yes" if hero.urgent_alerts else "no",
        }


class SignUpForm(ChoicesForm):
    field_order = ["email", "address_is_right", "where", "areas", "urgent_alerts", "consent"]

    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.com.",
        },
    )
    address_is_right = forms.BooleanField(
        label="My email address is right as I typed it", required=False
    )
    consent = forms.BooleanField(
        error_messages={"required": "Tick the box to say you agree, or you cannot sign up."}
    )
    # A field people never see: only robots fill it in.
    website = forms.CharField(required=False, label="Leave this empty")

    def __init__(self, *args, consent_wording: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = consent_wording
        self.suggestion = ""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        self.suggestion = suggested_address(email)
        if self.suggestion and not self.data.get("address_is_right"):
            raise forms.ValidationError(
                f"Did you mean {self.suggestion}? Check your address. If it is right, tick "
                "“My email address is right as I typed it”."
            )
        return email.lower()

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))
