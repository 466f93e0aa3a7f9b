"""Heroes, their consent, and the ledger of every email sent to them.

The ledger follows GOV.UK Notify: every outgoing message is a ``Delivery`` with an id
and a status, and a message is only ever sent from the ``sending`` state a batch claimed
it into. See ``newsletter/ledger.py`` for why that makes a replayed job harmless, and
docs/DELIVERY.md for what a crash can do to each kind of message.
"""

import uuid

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from homeward.languages import ALL_LANGUAGES, DEFAULT_LANGUAGE
from homeward.models import PoliceForce

# As the consent record keeps it (in English, as staff read it) ...
ALL_OF_UK = "All of the UK"
# ... and as a Hero reads it, in their language.
ALL_OF_UK_NAMED = _("All of the UK")


class Hero(models.Model):
    """Someone who asked for the appeals email for their areas, and perhaps urgent alerts."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Subscribed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
        BOUNCED = "bounced", "Address bounced"
        COMPLAINED = "complained", "Marked our email as spam"

    # In links instead of the row id, so links cannot be counted through.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(unique=True, help_text="Stored in lower case.")
    all_of_uk = models.BooleanField("all of the UK", default=False)
    areas = models.ManyToManyField(PoliceForce, blank=True, related_name="+")
    urgent_alerts = models.BooleanField(default=False)
    # The language of their emails and of the links in them: one the site offered when
    # they chose it (services refuse any other). The database default is for rows
    # written without Django (the sending benchmark's).
    language = models.CharField(
        max_length=12,
        choices=ALL_LANGUAGES,
        default=DEFAULT_LANGUAGE,
        db_default=DEFAULT_LANGUAGE,
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "Hero"
        indexes = [
            # Campaign audiences are confirmed Heroes only.
            models.Index(fields=["id"], condition=Q(status="confirmed"), name="hero_confirmed"),
            models.Index(fields=["created_at"], condition=Q(status="pending"), name="hero_pending"),
        ]

    def __str__(self) -> str:
        return self.email

    def area_names(self) -> list[str]:
        """Its areas as the consent record keeps them."""
        if self.all_of_uk:
            return [ALL_OF_UK]
        return [force.name for force in self.areas.all()]

    def areas_named(self) -> str:
        """Its areas as the Hero reads them, in the active language."""
        if self.all_of_uk:
            return str(ALL_OF_UK_NAMED)
        return ", ".join(force.name for force in self.areas.all())


class HeroConsent(models.Model):
    """What a Hero agreed to, when, and in which words: the record of consent."""

    class Action(models.TextChoices):
        SIGNED_UP = "signed-up", "Signed up"
        CONFIRMED = "confirmed", "Confirmed"
        CHANGED = "changed", "Changed their choices"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    hero = models.ForeignKey(Hero, on_delete=models.CASCADE, related_name="consents")
    action = models.CharField(max_length=20, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now)
    wording_version = models.PositiveIntegerField()
    wording = models.TextField()
    choices = models.JSONField(help_text="Areas and alerts as they stood.")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.at:%Y-%m-%d %H:%M}"


class Campaign(models.Model):
    """One email to many: the regular appeals email, an urgent alert, or a partner briefing.

    The MJML is compiled once, when the campaign is created, and kept with the content it
    was made from, so every batch (and every retry) sends the same email.
    """

    class Kind(models.TextChoices):
        REGULAR = "regular", "Regular appeals email"
        URGENT = "urgent", "Urgent alert"
        BRIEFING = "briefing", "Restricted partner briefing"

    class Status(models.TextChoices):
        SENDING = "sending", "Sending"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    appeal = models.ForeignKey(
        "appeals.AppealPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The regular email's week, so the schedule makes one per week however often it runs.
    period = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SENDING)
    subject = models.CharField(max_length=200)
    content = models.JSONField(help_text="The appeals and wording, as they were at creation.")
    html_template = models.TextField(help_text="Compiled from MJML once, for this campaign.")
    text_template = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    # When a batch last started: a campaign with queued rows and no progress is requeued.
    last_progress_at = models.DateTimeField(null=True, blank=True)
    batches_enqueued_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period"], condition=Q(kind="regular"), name="one_regular_per_period"
            ),
            models.UniqueConstraint(
                fields=["kind", "appeal"],
                condition=Q(kind__in=["urgent", "briefing"]),
                name="one_alert_per_appeal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class Delivery(models.Model):
    """One message to one person: its id and status are the whole truth about it."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        # Handed to the mail server but for its reply to the final ".": see transport.py.
        UNCERTAIN = "uncertain", "Uncertain: may have been delivered"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", "Campaign"
        CONFIRMATION = "confirmation", "Confirm your subscription"
        ALREADY_SUBSCRIBED = "already-subscribed", "You are already subscribed"

    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.CAMPAIGN)
    hero = models.ForeignKey(
        Hero, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    partner = models.ForeignKey(
        "newsletter.Partner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    batch = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)])
    created_at = models.DateTimeField(default=timezone.now)
    # Which batch run holds the row while it is "sending" or "uncertain", and when that
    # run last showed it was alive (see newsletter/ledger.py).
    claim = models.BigIntegerField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "hero"], name="one_delivery_per_hero_per_campaign"
            ),
            models.UniqueConstraint(
                fields=["campaign", "partner"], name="one_delivery_per_partner_per_campaign"
            ),
            models.CheckConstraint(
                condition=Q(hero__isnull=False) ^ Q(partner__isnull=False),
                name="delivery_has_one_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "status", "batch"], name="delivery_batch"),
            # The sweep's stale claims.
            models.Index(
                fields=["claimed_at"],
                condition=Q(status__in=["sending", "uncertain"]),
                name="delivery_claimed",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(status="queued", campaign__isnull=True),
                name="delivery_queued_single",
            ),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} ({self.get_status_display()})"


# What the Heroes emails and sign-up say until staff change them: staff edit the English;
# Heroes who read another language get these, translated (marked for the catalogues here,
# looked up when an email or page is written).
STANDARD_WORDING = {
    "consent_wording": gettext_noop(
        "Email me appeals for missing people in the areas I choose and, if I ask for them, "
        "urgent alerts. I can change my areas or unsubscribe at any time from a link in every "
        "email. Homeward keeps my email address only for this."
    ),
    "regular_intro": gettext_noop(
        "Thank you for being a Hero. These people are missing from your area. Please read "
        "their appeals and share them: someone you know may have seen them."
    ),
    "urgent_intro": gettext_noop(
        "Someone is missing near you and police are very concerned for them. Please read the "
        "appeal now and share it."
    ),
    "delete_shares_line": gettext_noop(
        "Some appeals you may have shared are no longer active. If you shared an appeal on "
        "social media, please check and delete old posts. Thank you."
    ),
    "confirmation_text": gettext_noop(
        "Please confirm that you want to be a Hero. If you did not sign up, ignore this "
        "email: nothing will be sent to you."
    ),
    "signoff": gettext_noop("With thanks, the Homeward team"),
}


@register_setting(icon="mail")
class NewsletterSettings(BaseGenericSetting):
    """The Heroes emails' wording and schedule, editable by staff."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    regular_enabled = models.BooleanField("send the regular email", default=True)
    regular_weekday = models.PositiveSmallIntegerField(
        "day", choices=Weekday.choices, default=Weekday.THURSDAY
    )
    regular_hour = models.PositiveSmallIntegerField(
        "hour (UK time)", default=10, validators=[MaxValueValidator(23)]
    )
    consent_wording = models.TextField(
        default=STANDARD_WORDING["consent_wording"],
        help_text="What people agree to when they sign up. Changing it starts a new version. "
        "In English: in another language, people see the standard wording, translated.",
    )
    consent_version = models.PositiveIntegerField(default=1, editable=False)
    regular_intro = models.TextField(default=STANDARD_WORDING["regular_intro"])
    urgent_intro = models.TextField(default=STANDARD_WORDING["urgent_intro"])
    briefing_intro = models.TextField(
        default="A restricted briefing for the safeguarding network. This person must not be "
        "publicised: do not share, post or display this email. If you see them, call 999.",
    )
    delete_shares_line = models.TextField(
        default=STANDARD_WORDING["delete_shares_line"],
        help_text="Shown when appeals have closed since the last email. It never names anyone.",
    )
    confirmation_text = models.TextField(default=STANDARD_WORDING["confirmation_text"])
    signoff = models.TextField(default=STANDARD_WORDING["signoff"])

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("regular_enabled"),
                FieldRowPanel([FieldPanel("regular_weekday"), FieldPanel("regular_hour")]),
            ],
            heading="The regular email",
        ),
        FieldPanel("consent_wording"),
        MultiFieldPanel(
            [
                FieldPanel("regular_intro"),
                FieldPanel("urgent_intro"),
                FieldPanel("briefing_intro"),
                FieldPanel("delete_shares_line"),
                FieldPanel("confirmation_text"),
                FieldPanel("signoff"),
            ],
            heading="Wording",
            help_text="In English. Heroes who chose another language get the standard "
            "wording, translated.",
        ),
    ]

    class Meta:
        verbose_name = "Heroes emails"

    def save(self, *args, **kwargs):
        if self.pk:
            previous = type(self).objects.filter(pk=self.pk).values("consent_wording").first()
            if previous and previous["consent_wording"] != self.consent_wording:
                self.consent_version += 1
        super().save(*args, **kwargs)

    def wording(self, language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
        """The emails' own words in a language: staff write the English; any other
        language has the standard wording, translated (partners' briefings stay English)."""
        names = [
            "briefing_intro",
            *(name for name in STANDARD_WORDING if name != "consent_wording"),
        ]
        if language == DEFAULT_LANGUAGE:
            return {name: getattr(self, name) for name in names}
        with translation.override(language):
            return {
                name: gettext(STANDARD_WORDING[name])
                if name in STANDARD_WORDING
                else getattr(self, name)
                for name in names
            }

    def consent_in(self, language: str) -> tuple[int, str]:
        """The version and the words people agree to, on a page in that language."""
        if language == DEFAULT_LANGUAGE:
            return self.consent_version, self.consent_wording
        with translation.override(language):
            return self.consent_version, gettext(STANDARD_WORDING["consent_wording"])
