from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from appeals.models import AppealPage, PersonEpisode, PoliceAuthorisation, PublicityCheck
from appeals.models.publicity import consent_sources, languages_named
from appeals.selectors import AGE_RANGES, OVER_A_YEAR, SINCE_PERIODS
from homeward.models import PoliceForce


class ForceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: PoliceForce) -> str:
        return obj.name


# How the summary of the filters applied names each choice: a phrase of its own in each
# language, not the choice's label lower-cased ("West Yorkshire Police, children, aged
# 12 to 17, female, missing in the last 30 days").
PERSON_WORDS = {
    "child": pgettext_lazy("filters applied", "children"),
    "adult": pgettext_lazy("filters applied", "adults"),
}
AGE_WORDS = {
    "under-12": pgettext_lazy("filters applied", "aged under 12"),
    "12-17": pgettext_lazy("filters applied", "aged 12 to 17"),
    "18-25": pgettext_lazy("filters applied", "aged 18 to 25"),
    "26-64": pgettext_lazy("filters applied", "aged 26 to 64"),
    "65-plus": pgettext_lazy("filters applied", "aged 65 and over"),
}
GENDER_WORDS = {
    AppealPage.Gender.FEMALE: pgettext_lazy("filters applied", "female"),
    AppealPage.Gender.MALE: pgettext_lazy("filters applied", "male"),
    AppealPage.Gender.NON_BINARY: pgettext_lazy("filters applied", "non-binary"),
}
SINCE_WORDS = {
    "7d": pgettext_lazy("filters applied", "missing in the last 7 days"),
    "30d": pgettext_lazy("filters applied", "missing in the last 30 days"),
    "1y": pgettext_lazy("filters applied", "missing in the last 12 months"),
    OVER_A_YEAR: pgettext_lazy("filters applied", "missing more than a year ago"),
}


class DirectoryFilterForm(forms.Form):
    """The directory's filters: a GET form, so every filtered view has its own URL."""

    q = forms.CharField(label=gettext_lazy("Name or place"), max_length=100, required=False)
    force = ForceChoiceField(
        label=gettext_lazy("Police force area"),
        queryset=PoliceForce.objects.all(),
        to_field_name="slug",
        empty_label=gettext_lazy("All of the UK"),
        required=False,
    )
    person = forms.ChoiceField(
        label=gettext_lazy("Children or adults"),
        choices=[
            ("", gettext_lazy("Children and adults")),
            ("child", gettext_lazy("Children")),
            ("adult", gettext_lazy("Adults")),
        ],
        required=False,
    )
    age = forms.ChoiceField(
        label=gettext_lazy("Age when missing"),
        choices=[
            ("", gettext_lazy("Any age")),
            *[(key, label) for key, (label, *_) in AGE_RANGES.items()],
        ],
        required=False,
    )
    gender = forms.ChoiceField(
        label=gettext_lazy("Gender"),
        choices=[
            ("", gettext_lazy("Any gender")),
            # Someone looking for a person has a gender in mind; "not stated" is not one.
            *[
                (value, label)
                for value, label in AppealPage.Gender.choices
                if value != AppealPage.Gender.NOT_STATED
            ],
        ],
        required=False,
    )
    since = forms.ChoiceField(
        label=gettext_lazy("Missing since"),
        choices=[
            ("", gettext_lazy("Any time")),
            *[(key, label) for key, (label, _) in SINCE_PERIODS.items()],
            (OVER_A_YEAR, gettext_lazy("More than a year ago")),
        ],
        required=False,
    )
    # Every filter but the search: folded under one line until used, so that a phone's
    # first screen shows faces.
    FOLDED = ("force", "person", "age", "gender", "since")

    def clean_q(self) -> str:
        return " ".join(self.cleaned_data["q"].split())

    def folded_fields(self):
        return [self[name] for name in self.FOLDED]

    def summary(self) -> str:
        """The filters applied, in words: 'West Yorkshire Police, children, female'. None
        are applied while any is wrong (the error summary says which)."""
        if not self.is_bound or not self.is_valid():
            return ""
        data = self.cleaned_data
        words = {
            "force": lambda force: force.name,
            "person": PERSON_WORDS.get,
            "age": AGE_WORDS.get,
            "gender": GENDER_WORDS.get,
            "since": SINCE_WORDS.get,
        }
        # A choice added without its phrase is said as its label: never a page that fails.
        said = [
            words[name](data[name]) or dict(self.fields[name].choices)[data[name]]
            for name in self.FOLDED
            if data.get(name)
        ]
        separator = pgettext("between the filters applied, as in: children, female", ", ")
        return separator.join(str(word) for word in said)


class PublicityCheckForm(forms.ModelForm):
    """The publicity safety checklist, shaped for the appeal it checks.

    Items that do not apply to an adult are not asked; a child in care's consent comes
    from the local authority; police authorisation given in Homeward is not asked again.
    """

    revision_id = forms.IntegerField(widget=forms.HiddenInput)

    GUIDANCE = {
        "authorising_officer": "Only the police refer a case for publicity. Record the "
        "officer who authorised it, so anyone can check the decision later.",
        "authorised_on": "The date the officer authorised publicity.",
        "consent_given_by": "Who gave consent: the parent or guardian's name, or for a "
        "child in care the local authority.",
        "social_worker": "The named social worker who gave the local authority's consent.",
        "adults_wishes": "What the person is known to want. An adult may have chosen to "
        "leave: publicity can take that choice away.",
        "consent": "If consent was refused and the police still ask for publicity, that "
        "is their decision to make: record it and their reason.",
        "consent_refusal_reason": "The police's decision and their reason for asking for "
        "publicity without consent.",
        "risk_of_locating": "Traffickers and exploiters watch appeals to find children who "
        "escaped them; an abuser can use one to find someone fleeing them.",
        "risk_of_displacement": "Publicity can drive someone further away, or into the "
        "hands of people who exploit them.",
        "risk_of_identifying_community": "A language narrows who someone may be: in a "
        "small community, an appeal in its language can identify the child, or their "
        "family, to the people they fear, or shame them among their own.",
        "risk_of_photo_album": "Every public appeal adds photos of them that stay online: "
        "together they make an album that follows an exploited child, and that the people "
        "exploiting them can use. Consider the earlier appeals listed above.",
        "nrm_status": "The National Referral Mechanism decision, for anyone referred as a "
        "possible victim of trafficking.",
        "persons_views": "The child's own views on publicity, where they are known.",
        "no_immigration_status": "The appeal says nothing about immigration or asylum "
        "status: finding them matters more, and it can put them in danger.",
        "no_placement_or_address": "No care placement, address or anything else that "
        "leads to where they live.",
        "no_school_or_uniform": "No school name, and no photo in a school uniform.",
        "suitable_photo": "Never a custody photo; age-appropriate; nothing in it (a "
        "street, a shop sign, a uniform) that reveals a location.",
        "suitable_wording": "Wording and language suitable for the child or adult, "
        "including the message to them; nothing that identifies their community more "
        "than the appeal needs.",
        "decision": "A restricted briefing goes to vetted partners only: no public page, "
        "no social posts.",
        "review_date": "The clearance ends on this date and the appeal leaves the public "
        "site unless a new check is approved.",
    }
    CONTENT_REVIEW = PublicityCheck.CONTENT_REVIEW
    SECTIONS = [
        (
            "Police authorisation",
            [
                "authorising_force",
                "authorising_officer",
                "authorising_case_reference",
                "authorised_on",
            ],
        ),
        (
            "Consent",
            [
                "consent_from",
                "consent_given_by",
                "social_worker",
                "adults_wishes",
                "consent",
                "consent_refusal_reason",
            ],
        ),
        (
            "The risk of publicity itself",
            [
                "risk_of_locating",
                "risk_of_locating_notes",
                "risk_of_displacement",
                "risk_of_displacement_notes",
                "risk_of_identifying_community",
                "risk_of_identifying_community_notes",
                "risk_of_photo_album",
                "risk_of_photo_album_notes",
                "nrm_status",
                "persons_views",
            ],
        ),
        ("Content review", CONTENT_REVIEW),
        ("Decision", ["decision", "decision_reason", "review_date"]),
    ]

    class Meta:
        model = PublicityCheck
        fields = [
            "authorising_force",
            "authorising_officer",
            "authorising_case_reference",
            "authorised_on",
            "consent_from",
            "consent_given_by",
            "social_worker",
            "adults_wishes",
            "consent",
            "consent_refusal_reason",
            "risk_of_locating",
            "risk_of_locating_notes",
            "risk_of_displacement",
            "risk_of_displacement_notes",
            "risk_of_identifying_community",
            "risk_of_identifying_community_notes",
            "risk_of_photo_album",
            "risk_of_photo_album_notes",
            "nrm_status",
            "persons_views",
            "no_immigration_status",
            "no_placement_or_address",
            "no_school_or_uniform",
            "suitable_photo",
            "suitable_wording",
            "decision",
            "decision_reason",
            "review_date",
        ]
        labels = {
            "authorising_force": "Police force",
            "authorising_officer": "Officer who authorised publicity",
            "authorising_case_reference": "Police case reference",
            "authorised_on": "Date authorised",
            "consent_from": "Consent comes from",
            "consent_given_by": "Name of who consented",
            "social_worker": "Named social worker",
            "adults_wishes": "Their known wishes",
            "consent": "Consent",
            "consent_refusal_reason": "The police's decision and reason",
            "risk_of_locating": "Could traffickers, exploiters or an abuser use the appeal "
            "to find them?",
            "risk_of_locating_notes": "What the risk is, and what was done about it",
            "risk_of_displacement": "Could publicity drive them further away?",
            "risk_of_displacement_notes": "What the risk is, and what was done about it",
            "risk_of_identifying_community": "Could publishing in its language identify "
            "their community?",
            "risk_of_identifying_community_notes": "What the risk is, and what was done about it",
            "risk_of_photo_album": "They have had public appeals before: could another one "
            "add to the photos that follow them?",
            "risk_of_photo_album_notes": "What the risk is, and what was done about it",
            "nrm_status": "National Referral Mechanism status",
            "persons_views": "The child's own views",
            "no_immigration_status": "No immigration or asylum status",
            "no_placement_or_address": "No placement, address or home area",
            "no_school_or_uniform": "No school or school uniform",
            "suitable_photo": "The photos are suitable",
            "suitable_wording": "The wording is suitable",
            "decision": "Decision",
            "decision_reason": "Reasons for the decision",
            "review_date": "Review date",
        }
        widgets = {
            "authorised_on": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "review_date": forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
            "consent_from": forms.RadioSelect,
            "consent": forms.RadioSelect,
            "risk_of_locating": forms.RadioSelect,
            "risk_of_displacement": forms.RadioSelect,
            "risk_of_identifying_community": forms.RadioSelect,
            "risk_of_photo_album": forms.RadioSelect,
            "decision": forms.RadioSelect,
        }

    def __init__(self, *args, appeal, authorisation, max_review_days: int, **kwargs):
        self.appeal = appeal
        self.authorisation = authorisation
        self.max_review_days = max_review_days
        today = timezone.localdate()
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "authorising_force": appeal.police_force_id,
            "authorising_case_reference": appeal.case_reference,
            "review_date": today + timedelta(days=max_review_days),
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)
        for name, text in self.GUIDANCE.items():
            if name in self.fields:
                self.fields[name].help_text = text
        for field in self.fields.values():
            if isinstance(field.widget, forms.RadioSelect):
                # A radio button labelled "---------" means nothing to anyone.
                field.choices = [choice for choice in field.choices if choice[0] != ""]
        self.fields["review_date"].help_text += f" At most {max_review_days} days from today."

        if authorisation:
            for name in [
                "authorising_force",
                "authorising_officer",
                "authorising_case_reference",
                "authorised_on",
            ]:
                del self.fields[name]
        if appeal.is_child:
            del self.fields["adults_wishes"]
            if appeal.in_care:
                del self.fields["consent_from"]
            else:
                self.fields["consent_from"].choices = [
                    choice
                    for choice in PublicityCheck.ConsentFrom.choices
                    if choice[0] in consent_sources(appeal)
                ]
        else:
            for name in ["consent_from", "consent_given_by", "social_worker"]:
                del self.fields[name]
            del self.fields["persons_views"]
            del self.fields["no_school_or_uniform"]
            self.fields["no_placement_or_address"].label = "No address or home area"
        if appeal.trafficked:
            self.fields["nrm_status"].required = True
        translations = appeal.translations.all()
        if translations:
            self.fields["risk_of_identifying_community"].required = True
            self.fields[
                "risk_of_identifying_community"
            ].label = (
                f"Could publishing in {languages_named(translations)} identify their community?"
            )
        else:
            del self.fields["risk_of_identifying_community"]
            del self.fields["risk_of_identifying_community_notes"]
        if PersonEpisode.objects.publicised_before(appeal.pk):
            self.fields["risk_of_photo_album"].required = True
        else:
            del self.fields["risk_of_photo_album"]
            del self.fields["risk_of_photo_album_notes"]
        for name in self.CONTENT_REVIEW:
            if name in self.fields:
                self.fields[name].required = False  # required unless no publicity: clean()

    def sections(self) -> list[tuple[str, list]]:
        """The checklist's sections, with only the questions this appeal is asked."""
        return [
            (title, [self[name] for name in names if name in self.fields])
            for title, names in self.SECTIONS
        ]

    def consent_source(self) -> str:
        if not self.appeal.is_child:
            return PublicityCheck.ConsentFrom.ADULT
        if self.appeal.in_care:
            return PublicityCheck.ConsentFrom.LOCAL_AUTHORITY
        return self.cleaned_data.get("consent_from", "")

    def clean(self):
        data = super().clean()
        # The checklist's rules are the model's (the service checks them again): shown
        # on the question concerned, or above the form for an answer it does not ask.
        answers = {name: value for name, value in data.items() if value is not None}
        check = PublicityCheck(appeal_id=self.appeal.pk, **self._answers(answers))
        for name, message in check.checklist_errors(self.appeal).items():
            if name not in self.errors:
                self.add_error(name if name in self.fields else None, message)
        return data

    def answers(self) -> dict:
        """The checklist's answers, as the fields of a PublicityCheck."""
        return self._answers(self.cleaned_data)

    def _answers(self, data: dict) -> dict:
        answers = {name: value for name, value in data.items() if name != "revision_id"}
        answers["consent_from"] = self.consent_source()
        if self.authorisation:
            answers.update(
                police_authorisation=self.authorisation,
                authorising_force=self.authorisation.force,
                authorising_officer=self.authorisation.officer_name,
                authorising_case_reference=self.authorisation.case_reference,
                authorised_on=self.authorisation.authorised_on,
            )
        return answers


class PoliceAuthorisationForm(forms.Form):
    officer_name = forms.CharField(label="Your name and rank", max_length=120)
    authorised_on = forms.DateField(
        label="Date authorised", widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    confirm = forms.BooleanField(
        label="I authorise publicity for this case, as this appeal describes it.",
    )

    def clean(self):
        data = super().clean()
        # The rules are the model's (the service checks them again).
        authorisation = PoliceAuthorisation(
            officer_name=data.get("officer_name", ""), authorised_on=data.get("authorised_on")
        )
        try:
            authorisation.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if name not in self.errors:
                    self.add_error(name, messages)
        return data


class AppealCloseForm(forms.Form):
    """Found or withdrawn, and why: the reason is for staff and police, never published."""

    outcome = forms.ChoiceField(
        label="What happened",
        choices=[
            (AppealPage.Status.FOUND.value, "They have been found"),
            (AppealPage.Status.WITHDRAWN.value, "The police or family withdrew publicity"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they were found or publicity was withdrawn."},
    )
    reason = forms.CharField(
        label="Reason",
        help_text="For staff and police only: never published, and deleted with the rest "
        "of the appeal's personal data.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Give the reason: staff and police will see it, the public never.",
            "max_length": "Keep the reason under 1,000 characters.",
        },
    )
