import hashlib
import json
import re
import time as clock
from datetime import datetime, time, timedelta

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone

from homeward.text import single_line
from sightings.photos import CleanPhoto, photo_clean

TOKEN_SALT = "sightings.form"  # noqa: S105  a signing salt, not a secret
# Text that looks like web code: refused rather than stored.
MARKUP = re.compile(r"<\s*[a-zA-Z!/?]|javascript:", re.IGNORECASE)
PHONE = RegexValidator(
    r"^\+?[\d\s()-]{7,20}$", "Enter a phone number using digits, spaces and + only."
)
MIDDAY = time(12)
# Phones' clocks drift: a time a few minutes ahead of ours is not "in the future".
CLOCK_SKEW = timedelta(minutes=10)
TEXT_FIELDS = ["location", "description", "clothing", "companions", "direction", "name"]
# Answers kept on one line: a pasted tab or line break becomes a space, never a refusal.
ONE_LINE_FIELDS = ["location", "direction", "name", "phone"]


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
        label="I am with them now, or I can see them now", required=False
    )
    seen_on = forms.DateField(
        label="Date you saw them",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    seen_time = forms.TimeField(
        label="Time (if you know it)",
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    time_is_approximate = forms.BooleanField(label="The time is approximate", required=False)
    location = forms.CharField(
        label="Where did you see them?",
        max_length=300,
        help_text="A street, landmark, shop, bus route or station: as exact as you can.",
    )
    latitude = forms.DecimalField(
        required=False, min_value=-90, max_value=90, decimal_places=5, widget=forms.HiddenInput
    )
    longitude = forms.DecimalField(
        required=False, min_value=-180, max_value=180, decimal_places=5, widget=forms.HiddenInput
    )
    description = forms.CharField(
        label="What did you see?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What were they doing? How did they seem?",
    )
    clothing = forms.CharField(
        label="What were they wearing?",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    companions = forms.CharField(
        label="Who were they with?",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    direction = forms.CharField(label="Which way were they going?", max_length=300, required=False)
    photo = forms.FileField(
        label="A photo (optional)",
        required=False,
        help_text="JPEG, PNG, WebP or HEIC, up to 10 MB. We remove the location and camera "
        "details from it, and only the police see it.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    identity = forms.ChoiceField(
        label="Do you want to give your details?",
        choices=[
            ("anonymous", "No, I want to stay anonymous"),
            ("named", "Yes, the police may need to ask me more"),
        ],
        initial="anonymous",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label="Your name", max_length=120, required=False)
    phone = forms.CharField(label="Phone number", max_length=40, required=False, validators=[PHONE])
    email = forms.EmailField(label="Email address", max_length=254, required=False)
    consent_to_contact = forms.BooleanField(
        label="The police or the charity may contact me about this sighting", required=False
    )
    # Left empty by people; bots fill it in. Hidden from view and from screen readers.
    website = forms.CharField(label="Leave this empty", required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, appeal, **kwargs):
        self.appeal = appeal
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["token"].initial = form_token(appeal.pk)
        # Needed unless they are with the person now: not marked "optional".
        self.fields["seen_on"].conditionally_required = True
        self.clean_photo_result: CleanPhoto | None = None

    def check_submission(self) -> None:
        """Refuse bots and stale or tampered forms before looking at the answers."""
        if self.data.get("website"):
            raise FormRefused("We could not accept this report.", keep_answers=False)
        try:
            token = signing.loads(self.data.get("token", ""), salt=TOKEN_SALT)
        except signing.BadSignature as error:
            raise FormRefused(
                "This form could not be checked. Please fill it in again.", keep_answers=False
            ) from error
        age = clock.time() - token["issued"]
        if token["appeal"] != self.appeal.pk:
            raise FormRefused("This form was for another appeal.", keep_answers=False)
        if age < settings.SIGHTING_FORM_MIN_SECONDS:
            raise FormRefused(
                "That was very quick. Please check your report, then send it again.",
                keep_answers=True,
            )
        if age > settings.SIGHTING_FORM_MAX_AGE_SECONDS:
            raise FormRefused(
                "This form was open for a long time, so it was not sent. Please check your "
                "report, then send it again.",
                keep_answers=True,
            )

    def clean(self):
        data = super().clean()
        for name in ONE_LINE_FIELDS:
            if data.get(name):
                data[name] = single_line(data[name])
                if not data[name] and self.fields[name].required:
                    self.add_error(name, self.fields[name].error_messages["required"])
        for name in TEXT_FIELDS:
            if MARKUP.search(data.get(name) or ""):
                self.add_error(name, "Please write this without web code (text inside < >).")

        now = timezone.localtime()
        if data.get("with_them_now"):
            data["seen_at"], data["time_is_approximate"] = now, False
        elif not data.get("seen_on"):
            self.add_error("seen_on", "Enter the date you saw them.")
        else:
            # Without a time, a sighting is dated midday of its day, and marked approximate.
            seen_time = data.get("seen_time") or MIDDAY
            seen_at = timezone.make_aware(datetime.combine(data["seen_on"], seen_time))
            if seen_at > now + CLOCK_SKEW and (
                data.get("seen_time") or data["seen_on"] > now.date()
            ):
                self.add_error("seen_on", "The date and time you saw them cannot be in the future.")
            elif data["seen_on"] < self.appeal.missing_since:
                self.add_error(
                    "seen_on",
                    "That is before they went missing. Enter the date you saw them since then.",
                )
            data["seen_at"] = min(seen_at, now)
            data["time_is_approximate"] = data.get("time_is_approximate") or not data.get(
                "seen_time"
            )

        if data.get("identity") == "named":
            if not any(data.get(name) for name in ["name", "phone", "email"]):
                self.add_error("name", "Give your name, a phone number or an email address.")
        else:
            for name in ["name", "phone", "email"]:
                data[name] = ""
            data["consent_to_contact"] = False

        if data.get("photo") and not self.errors:
            try:
                self.clean_photo_result = photo_clean(data["photo"])
            except ValidationError as error:
                self.add_error("photo", error)
        return data

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
