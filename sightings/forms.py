import hashlib
import json
import re
import time as clock
from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from homeward.text import ascii_digits, single_line
from homeward.widgets import DateField
from sightings.photos import CleanPhoto, photo_clean

TOKEN_SALT = "sightings.form"  # noqa: S105  a signing salt, not a secret
# Text that looks like web code: refused rather than stored.
MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|javascript:", re.IGNORECASE)
PHONE = RegexValidator(
    r"^\+?[\d\s()-]{7,20}$", _("Enter a phone number, like 07700 900 982 or +44 7700 900 982")
)
MIDDAY = time(12)
# Phones' clocks drift: a time a few minutes ahead of ours is not "in the future".
CLOCK_SKEW = timedelta(minutes=10)
TEXT_FIELDS = ["location", "description", "clothing", "companions", "direction", "name"]
# Answers kept on one line: a pasted tab or line break becomes a space, never a refusal.
ONE_LINE_FIELDS = ["location", "direction", "name", "phone"]
# How the police can reach a reporter who lets them: asked only under "Yes".
CONTACT_FIELDS = ["name", "phone", "email"]
ANONYMOUS_WITH_CONTACT = _(
    "You chose to stay anonymous but gave your name, phone or email. Choose ‘Yes’ "  # noqa: RUF001 (typographic quotes)
    "to let the police contact you, or clear them."
)
# As people write a time: 14:30, 14.30, 2:30pm, 2:30 pm, 2pm.
TIME_FORMATS = ["%H:%M", "%H.%M", "%I:%M%p", "%I:%M %p", "%I.%M%p", "%I.%M %p", "%I%p", "%I %p"]


class Count(int):
    """A number as messages show it: 2,000."""

    def __str__(self) -> str:
        return f"{int(self):,}"


class TimeField(forms.TimeField):
    """A time, typed in whichever digits the phone's keyboard has."""

    def to_python(self, value):
        return super().to_python(ascii_digits(value) if isinstance(value, str) else value)


def text_field(
    *, label: str, max_length: int, too_long: str, required: str = "", validators=(), **options
):
    """A text answer whose messages say what to do: ``required`` is what to enter (no
    message: the answer is optional), ``too_long`` says the answer is too long, with
    %(limit_value)s and %(show_value)d (each a whole sentence, for translation)."""
    return forms.CharField(
        label=label,
        required=bool(required),
        error_messages={"required": required} if required else {},
        validators=[MaxLengthValidator(Count(max_length), too_long), *validators],
        **options,
    )


class FormRefused(Exception):
    """A submission refused as a whole (a bot, or a stale or tampered form)."""

    def __init__(self, message: str, *, keep_answers: bool):
        super().__init__(message)
        self.message = message
        self.keep_answers = keep_answers


def form_token(appeal_pk: int) -> str:
    """Signed when the form is shown: which appeal, and when."""
    return signing.dumps({"appeal": appeal_pk, "issued": clock.time()}, salt=TOKEN_SALT)


class SightingForm(forms.Form):
    """What someone saw. Every field is checked; nothing is kept unless all of it is valid."""

    with_them_now = forms.BooleanField(
        label=_("I am with them now, or I can see them now"), required=False
    )
    seen_on = DateField(
        label=_("When did you see them?"),
        required=False,
        help_text=_("For example, 27 3 2026. Leave this empty if you are with them now."),
        error_messages={
            "incomplete": _("The date you saw them must include a {missing}"),
            "invalid": _("The date you saw them must be a real date"),
            "year": _("The year you saw them must include 4 numbers, like 2026"),
        },
    )
    seen_time = TimeField(
        label=_("What time did you see them?"),
        required=False,
        help_text=_("If you know it. For example, 14:30 or 2:30pm."),
        input_formats=TIME_FORMATS,
        error_messages={"invalid": _("Enter the time like 14:30 or 2:30pm, or leave it empty")},
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "input--width-5"}),
    )
    time_is_approximate = forms.BooleanField(label=_("The time is approximate"), required=False)
    location = text_field(
        label=_("Where did you see them?"),
        max_length=300,
        required=_("Enter where you saw them"),
        too_long=_(
            "Where you saw them must be %(limit_value)s characters or fewer (you wrote "
            "%(show_value)d)"
        ),
        help_text=_("A street, landmark, shop, bus route or station: as exact as you can."),
    )
    latitude = forms.DecimalField(
        required=False, min_value=-90, max_value=90, decimal_places=5, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        required=False, min_value=-180, max_value=180, decimal_places=5, widget=forms.HiddenInput
    )
    description = text_field(
        label=_("What did you see?"),
        max_length=2000,
        required=_("Tell us what you saw"),
        too_long=_(
            "What you saw must be %(limit_value)s characters or fewer (you wrote %(show_value)d)"
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What were they doing? How did they seem?"),
    )
    clothing = text_field(
        label=_("What were they wearing?"),
        max_length=500,
        too_long=_(
            "What they were wearing must be %(limit_value)s characters or fewer (you wrote "
            "%(show_value)d)"
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    companions = text_field(
        label=_("Who were they with?"),
        max_length=500,
        too_long=_(
            "Who they were with must be %(limit_value)s characters or fewer (you wrote "
            "%(show_value)d)"
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    direction = text_field(
        label=_("Which way were they going?"),
        max_length=300,
        too_long=_(
            "Which way they were going must be %(limit_value)s characters or fewer (you wrote "
            "%(show_value)d)"
        ),
    )
    photo = forms.FileField(
        label=_("A photo"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP or HEIC, up to 10 MB. We remove the location and camera "
            "details from it, and only the police see it."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    # Asked, never pre-selected: the answer is the reporter's consent to be contacted.
    identity = forms.ChoiceField(
        label=_("Can the police contact you about what you saw?"),
        choices=[
            ("anonymous", _("No, I want to stay anonymous")),
            ("named", _("Yes, the police may contact me")),
        ],
        help_text=_(
            "You can stay anonymous. We never show your details to the public, and we never "
            "ask about anyone's immigration status."
        ),
        error_messages={
            "required": _("Choose whether the police may contact you"),
            "invalid_choice": _("Choose whether the police may contact you"),
        },
        widget=forms.RadioSelect,
    )
    name = text_field(
        label=_("Your name"),
        max_length=120,
        too_long=_(
            "Your name must be %(limit_value)s characters or fewer (you wrote %(show_value)d)"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    phone = text_field(
        label=_("Phone number"),
        max_length=40,
        too_long=_(
            "The phone number must be %(limit_value)s characters or fewer (you wrote "
            "%(show_value)d)"
        ),
        help_text=_("For international numbers include the country code."),
        validators=[PHONE],
        widget=forms.TelInput(attrs={"autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com")
        },
        validators=[
            MaxLengthValidator(254, _("The email address must be 254 characters or fewer"))
        ],
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    # Left empty by people; bots fill it in. Hidden from view and from screen readers.
    website = forms.CharField(label=_("Leave this empty"), required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, appeal, **kwargs):
        self.appeal = appeal
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["token"].initial = form_token(appeal.pk)
        # Needed unless they are with the person now; one of the three is needed under
        # "Yes": none of these is marked "optional".
        for name in ["seen_on", *CONTACT_FIELDS]:
            self.fields[name].conditionally_required = True
        self.clean_photo_result: CleanPhoto | None = None

    @classmethod
    def answers_again(cls, data, *, appeal) -> "SightingForm":
        """The reporter's answers as they sent them, unchecked, with a new token to send
        them with. A chosen photo cannot be kept: browsers never refill a file input."""
        kept = {
            name: field.widget.value_from_datadict(data, {}, name)
            for name, field in cls.base_fields.items()
            if name not in {"token", "website", "photo"}
        }
        return cls(appeal=appeal, initial=kept)

    def check_submission(self) -> None:
        """Refuse bots and stale or tampered forms before looking at the answers."""
        if self.data.get("website"):
            raise FormRefused(gettext("We could not accept this report."), keep_answers=False)
        try:
            token = signing.loads(self.data.get("token", ""), salt=TOKEN_SALT)
        except signing.BadSignature as error:
            raise FormRefused(
                gettext("This form could not be checked. Please fill it in again."),
                keep_answers=False,
            ) from error
        age = clock.time() - token["issued"]
        if token["appeal"] != self.appeal.pk:
            raise FormRefused(gettext("This form was for another appeal."), keep_answers=False)
        if age < settings.SIGHTING_FORM_MIN_SECONDS:
            raise FormRefused(
                gettext("That was very quick. Please check your report, then send it again."),
                keep_answers=True,
            )
        if age > settings.SIGHTING_FORM_MAX_AGE_SECONDS:
            raise FormRefused(
                gettext(
                    "This form was open for a long time, so it was not sent. Please check "
                    "your report, then send it again."
                ),
                keep_answers=True,
            )

    def clean(self):
        data = super().clean()
        for name in ONE_LINE_FIELDS:
            if data.get(name):
                data[name] = single_line(data[name])
                if not data[name] and self.fields[name].required:
                    self.add_error(name, self.fields[name].error_messages["required"])
        if data.get("phone"):
            data["phone"] = ascii_digits(data["phone"])
        for name in TEXT_FIELDS:
            if MARKUP.search(data.get(name) or ""):
                self.add_error(name, gettext("Write this without web code (text inside < >)"))
        self._clean_when(data)
        self._clean_contact(data)

        if data.get("photo") and not self.errors:
            try:
                self.clean_photo_result = photo_clean(data["photo"])
            except ValidationError as error:
                self.add_error("photo", error)
        return data

    def _clean_when(self, data) -> None:
        now = timezone.localtime()
        if data.get("with_them_now"):
            # Happening now: a half-typed date or time must not hold up an urgent report.
            for name in ("seen_on", "seen_time"):
                self.errors.pop(name, None)
            data["seen_at"], data["time_is_approximate"] = now, False
            return
        if "seen_on" not in data:
            return  # already explained: a date that is not a real date
        if data["seen_on"] is None:
            self.add_error("seen_on", gettext("Enter the date you saw them"))
            return
        if data["seen_on"] > now.date():
            self.add_error("seen_on", gettext("The date you saw them must be today or in the past"))
            return
        if data["seen_on"] < self.appeal.missing_since:
            self.add_error(
                "seen_on",
                gettext(
                    "The date you saw them must be on or after %(missing_since)s, when they "
                    "went missing"
                )
                % {"missing_since": date_format(self.appeal.missing_since, "j F Y")},
            )
            return
        # Without a time, a sighting is dated midday of its day, and marked approximate.
        seen_at = timezone.make_aware(
            datetime.combine(data["seen_on"], data.get("seen_time") or MIDDAY)
        )
        if data.get("seen_time") and seen_at > now + CLOCK_SKEW:
            self.add_error("seen_time", gettext("The time you saw them must be in the past"))
        data["seen_at"] = min(seen_at, now)
        data["time_is_approximate"] = data.get("time_is_approximate") or not data.get("seen_time")

    def _clean_contact(self, data) -> None:
        """Details typed are never dropped: someone who gave them and also chose to stay
        anonymous is asked which they meant. Their answer to "may the police contact you"
        is their consent."""
        typed = [name for name in CONTACT_FIELDS if str(self.data.get(name) or "").strip()]
        given = [name for name in CONTACT_FIELDS if data.get(name)]
        explained = [name for name in CONTACT_FIELDS if name in self.errors]
        if data.get("identity") == "anonymous" and typed:
            self.add_error("identity", ANONYMOUS_WITH_CONTACT)
        elif data.get("identity") == "named" and not given and not explained:
            self.add_error("name", gettext("Enter your name, a phone number or an email address"))

    def submission_key(self) -> str:
        """The same form sent twice (a double tap, a replay) gives the same key."""
        answers = {
            name: str(self.cleaned_data.get(name))
            for name in self.fields
            if name not in {"photo", "website"}
        }
        if self.clean_photo_result:
            answers["photo"] = hashlib.sha256(self.clean_photo_result.data).hexdigest()
        return hashlib.sha256(json.dumps(answers, sort_keys=True).encode()).hexdigest()
