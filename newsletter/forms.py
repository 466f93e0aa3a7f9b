"""Heroes' forms: where someone wants appeals from, found by postcode or town, then adjusted.

People say where they live ("LS6 3AB", "Leeds"); homeward.places turns that into police
force areas, which are what we keep. The postcode or town itself is used only while the
person is on these pages (carried in the form, to say it back) and is never stored.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from homeward.models import PoliceForce
from homeward.places import Place, find_place
from newsletter.languages import email_language, language_choices, languages_offered
from newsletter.typos import suggested_address

ENTER_A_PLACE = _("Enter a postcode or town, like LS6 or Leeds.")
CHOOSE_AN_AREA = _("Choose at least one area, or choose all of the UK.")
CHOOSE_A_LANGUAGE = _("Choose the language we should email you in.")
PLACES_SAID_KEPT = 10  # how many places one visit can say back; more is someone playing


class PlaceField(forms.CharField):
    """A postcode, town or region, cleaned to the ``Place`` it means (or None if blank)."""

    def __init__(self, **kwargs):
        widget = forms.TextInput(
            attrs={"autocomplete": "postal-code", "spellcheck": "false", "class": "input--place"}
        )
        super().__init__(max_length=100, required=False, widget=widget, **kwargs)

    def clean(self, value) -> Place | None:
        text = super().clean(value)
        if not text:
            return None
        place = find_place(text)
        if place is None:
            raise forms.ValidationError(
                gettext(
                    "We could not find “%(place)s”. Enter a postcode like LS6 3AB, or a town "
                    "like Leeds, or choose areas from the list."
                )
                % {"place": text}
            )
        if not place.force_slugs:
            raise forms.ValidationError(
                gettext(
                    "%(place)s has its own police, outside the police forces of the UK, so we "
                    "have no appeals for it. Enter a UK postcode or town, or choose areas from "
                    "the list."
                )
                % {"place": place.label}
            )
        return place


class PlacesSaidField(forms.Field):
    """The postcodes and towns looked up so far in this visit: only to say them back."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [str(text)[:100] for text in values if str(text).strip()][-PLACES_SAID_KEPT:]


@dataclass(frozen=True)
class AreaBox:
    """One police force's checkbox, as the templates draw it."""

    force: PoliceForce
    checked: bool
    hint: str  # "For LS6 (Leeds)" when a place the person gave found it

    @property
    def id(self) -> str:
        return f"id_areas_{self.force.slug}"


class AreasForm(forms.Form):
    """Which police force areas someone wants appeals from, and whether all of the UK.

    A place typed into ``place`` adds its forces to the ticked ones. With ``finding``
    (the "Find" button), a place is what was asked for; otherwise at least one area, or
    all of the UK, is.
    """

    place = PlaceField(
        label=_("Add a postcode or town"),
        help_text=_("For example, where you work or where family live."),
    )
    places_said = PlacesSaidField(required=False)
    areas = forms.ModelMultipleChoiceField(
        label=_("Police force areas"),
        queryset=PoliceForce.objects.all(),
        required=False,
        error_messages={
            "invalid_choice": _("Choose areas from the list."),
            "invalid_pk_value": _("Choose areas from the list."),
        },
    )
    all_of_uk = forms.BooleanField(
        label=_("Send me appeals from all of the UK instead"), required=False
    )

    def __init__(self, *args, finding: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.finding = finding

    def clean(self):
        cleaned = super().clean()
        place = cleaned.get("place")
        if place:
            found = PoliceForce.objects.filter(slug__in=place.force_slugs)
            cleaned["areas"] = sorted(
                {*cleaned.get("areas", []), *found}, key=lambda force: force.name
            )
            cleaned["places_said"] = [*cleaned.get("places_said", []), self.data.get("place")]
        if "place" not in self.errors and "areas" not in self.errors:
            self.require_a_choice(cleaned)
        return cleaned

    def require_a_choice(self, cleaned: dict) -> None:
        if self.finding and not cleaned.get("place"):
            self.add_error("place", ENTER_A_PLACE)
        elif not self.finding and not cleaned.get("all_of_uk") and not cleaned.get("areas"):
            self.add_error("areas", CHOOSE_AN_AREA)

    def choices(self) -> dict:
        all_of_uk = self.cleaned_data["all_of_uk"]
        return {"all_of_uk": all_of_uk, "areas": [] if all_of_uk else self.cleaned_data["areas"]}

    def carried_forward(self) -> dict:
        """What the next page starts from: the areas ticked, the places said, no lookup."""
        return {
            "areas": [force.pk for force in self.cleaned_data["areas"]],
            "places_said": self.cleaned_data["places_said"],
            "all_of_uk": self.cleaned_data["all_of_uk"],
        }

    def said_places(self) -> list[Place]:
        texts = self["places_said"].value() or []
        return [place for place in map(find_place, texts) if place and place.force_slugs]

    @cached_property
    def area_boxes(self) -> list[AreaBox]:
        """Every force's checkbox, ticked as the form stands (so read only once it is
        cleaned, when a place's forces have joined the ticked ones)."""
        ticked = {str(getattr(value, "pk", value)) for value in self["areas"].value() or []}
        found_by = defaultdict(list)
        for place in self.said_places():
            for slug in place.force_slugs:
                found_by[slug].append(place.label)
        return [
            AreaBox(
                force=force,
                checked=str(force.pk) in ticked,
                hint=(
                    gettext("For %(places)s") % {"places": ", ".join(found_by[force.slug])}
                    if force.slug in found_by
                    else ""
                ),
            )
            for force in self.fields["areas"].queryset
        ]

    def chosen_areas(self) -> list[AreaBox]:
        return [box for box in self.area_boxes if box.checked]

    def areas_by_nation(self, *, unticked_only: bool = False) -> list[tuple[str, list[AreaBox]]]:
        boxes = [box for box in self.area_boxes if not (unticked_only and box.checked)]
        return [
            (label, group)
            for value, label in PoliceForce.Nation.choices
            if (group := [box for box in boxes if box.force.nation == value])
        ]

    def other_areas_by_nation(self) -> list[tuple[str, list[AreaBox]]]:
        return self.areas_by_nation(unticked_only=True)

    def error_links(self) -> list[tuple[str, str]]:
        """(id of the input to go to, message) for the error summary, in page order."""
        boxes = self.chosen_areas() or self.other_areas_by_nation()[0][1]
        anchors = {
            "areas": boxes[0].id,
            "urgent_alerts": "id_urgent_alerts_0",
            "language": "id_language_0",
        }
        return [
            (anchors.get(name, f"id_{name}"), message)
            for name in self.fields
            for message in self.errors.get(name, [])
        ]


class EmailMixin(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address like name@example.com."),
        },
    )
    address_is_right = forms.BooleanField(
        label=_("My email address is right as I typed it"), required=False
    )
    # A field people never see: only robots fill it in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestion = ""

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        self.suggestion = suggested_address(email)
        said_right = self.fields["address_is_right"].to_python(self["address_is_right"].data)
        if self.suggestion and not said_right:
            raise forms.ValidationError(
                gettext(
                    "Did you mean %(address)s? Check your address. If it is right, tick "
                    "“My email address is right as I typed it”."
                )
                % {"address": self.suggestion}
            )
        return email.lower()

    def is_robot(self) -> bool:
        return bool(self.data.get("website"))


class WhereForm(EmailMixin, AreasForm):
    """Sign-up, first page: where (a place, or areas from the list, or all of the UK), and
    the email address."""

    field_order = ["place", "areas", "all_of_uk", "email", "address_is_right"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].label = _("Where do you want appeals for?")
        # Not "(optional)": a place is asked for, the list and all of the UK are the
        # alternatives for people who would rather not say.
        self.fields["place"].conditionally_required = True
        self.fields["place"].help_text = _(
            "Where you live, or where you want alerts for: a postcode or town, like LS6 or Leeds."
        )

    def require_a_choice(self, cleaned: dict) -> None:
        if not (cleaned.get("all_of_uk") or cleaned.get("areas")):
            self.add_error("place", ENTER_A_PLACE)

    def carried_forward(self) -> dict:
        return {
            **super().carried_forward(),
            "email": self.cleaned_data["email"],
            "address_is_right": self.cleaned_data["address_is_right"],
        }


class EmailLanguageMixin(forms.Form):
    """The language of a Hero's emails, asked (as ``language``) only when the site offers
    more than one: each named in itself. Put "language" in the form's field_order."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if len(languages_offered()) > 1:
            self.fields["language"] = forms.ChoiceField(
                label=_("Which language should we email you in?"),
                choices=language_choices(),
                required=not self.finding,
                widget=forms.RadioSelect,
                error_messages={"required": CHOOSE_A_LANGUAGE, "invalid_choice": CHOOSE_A_LANGUAGE},
            )
            self.order_fields(self.field_order)

    @property
    def asks_language(self) -> bool:
        return "language" in self.fields

    def carried_forward(self) -> dict:
        carried = super().carried_forward()
        if self.asks_language and self.data.get("language"):
            carried["language"] = self.data["language"]
        return carried


class SignUpForm(EmailLanguageMixin, WhereForm):
    """Sign-up, second page: these areas (adjusted if need be), urgent alerts, the
    language of their emails, agreement.

    The email address comes from the first page, in a hidden field.
    """

    field_order = ["place", "areas", "all_of_uk", "urgent_alerts", "language", "consent"]

    urgent_alerts = forms.TypedChoiceField(
        label=_("Do you also want urgent alerts?"),
        help_text=_(
            "When police are very worried about someone missing in your areas. Rare, and "
            "only when it matters."
        ),
        choices=[
            ("yes", _("Yes, send me urgent alerts")),
            ("no", _("No, only the regular email")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you want urgent alerts.")},
    )
    consent = forms.BooleanField(
        error_messages={"required": _("Tick the box to say you agree, or you cannot sign up.")}
    )

    def __init__(self, *args, consent_wording: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].label = _("Add a postcode or town")
        self.fields["place"].help_text = AreasForm.base_fields["place"].help_text
        self.fields["place"].conditionally_required = False
        self.fields["email"].widget = forms.HiddenInput()
        self.fields["address_is_right"].widget = forms.HiddenInput()
        # The words they agree to, exactly as the consent record keeps them.
        self.fields["consent"].label = consent_wording
        if self.asks_language:
            self.fields["language"].initial = get_language()  # the page's
        if self.finding:
            for name in ("urgent_alerts", "consent"):
                self.fields[name].required = False

    require_a_choice = AreasForm.require_a_choice

    def choices(self) -> dict:
        return {
            **super().choices(),
            "urgent_alerts": self.cleaned_data["urgent_alerts"],
            # Not asked: the site offers one language, the page's.
            "language": self.cleaned_data["language"] if self.asks_language else get_language(),
        }

    def carried_forward(self) -> dict:
        return {**super().carried_forward(), "urgent_alerts": self.data.get("urgent_alerts")}


class ManageForm(EmailLanguageMixin, AreasForm):
    """A Hero's own page: their areas, found again by place if they like, alerts, and
    the language of their emails."""

    field_order = ["place", "places_said", "areas", "all_of_uk", "urgent_alerts", "language"]

    urgent_alerts = SignUpForm.base_fields["urgent_alerts"]

    def choices(self) -> dict:
        choices = {**super().choices(), "urgent_alerts": self.cleaned_data["urgent_alerts"]}
        if self.asks_language:
            choices["language"] = self.cleaned_data["language"]
        return choices

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.finding:
            self.fields["urgent_alerts"].required = False

    @classmethod
    def initial_for(cls, hero) -> dict:
        return {
            "all_of_uk": hero.all_of_uk,
            "areas": [force.pk for force in hero.areas.all()],
            "urgent_alerts": "yes" if hero.urgent_alerts else "no",
            # What they are written in now: English if theirs is no longer offered.
            "language": email_language(hero.language),
        }

    def carried_forward(self) -> dict:
        return {**super().carried_forward(), "urgent_alerts": self.data.get("urgent_alerts")}
