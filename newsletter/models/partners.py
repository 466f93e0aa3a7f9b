"""Partners who republish appeals, their API keys, what they fetched, and what we told them.

A partner copies appeals onto its own screens, pages and posters, so a takedown must reach
those copies too. Each partner has keys (newsletter/partner_keys.py: shown once, stored as
a SHA-256 digest, revocable, rotated with an overlap), every request a key makes is logged,
and every notice a takedown owes a partner (a signed webhook, an email asking for posters
to come down) is a row of the ``PartnerNotice`` ledger, sent once by whoever claims it.
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from homeward.models import PoliceForce
from homeward.text import validate_single_line


class Partner(models.Model):
    """An organisation that republishes appeals: a newspaper, a transport operator's
    screens, a force's own site, a council, a poster distributor; and, once vetted, the
    safeguarding network that receives restricted briefings."""

    organisation = models.CharField(max_length=200, validators=[validate_single_line])
    contact_name = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    email = models.EmailField(unique=True, help_text="Where takedown requests are sent.")
    all_of_uk = models.BooleanField("all of the UK", default=False)
    areas = models.ManyToManyField(PoliceForce, blank=True, related_name="+")
    public_appeals = models.BooleanField(
        default=True, help_text="May fetch live public appeals through the API and feeds."
    )
    briefings = models.BooleanField(
        "restricted briefings",
        default=False,
        help_text="Vetted partners only: briefings are emailed to them, and keys may be "
        "allowed to read them.",
    )
    vetted_on = models.DateField(
        null=True, blank=True, help_text="When the charity last vetted this partner."
    )
    webhook_url = models.URLField(
        blank=True,
        help_text="Told within seconds when an appeal they may hold is taken down: a signed "
        "POST (see the API's documentation).",
    )
    # The webhook's signing key: the partner needs it to check our signature, so it is
    # kept (not a digest), shown to staff who manage partners, and can be replaced.
    webhook_secret = models.CharField(max_length=64, blank=True, editable=False)
    active = models.BooleanField(default=True)

    panels = [
        FieldRowPanel([FieldPanel("organisation"), FieldPanel("contact_name")]),
        FieldPanel("email"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("public_appeals"), FieldPanel("briefings")]),
                FieldPanel("all_of_uk"),
                FieldPanel("areas"),
            ],
            heading="What they may receive",
        ),
        FieldPanel("webhook_url"),
        FieldRowPanel([FieldPanel("vetted_on"), FieldPanel("active")]),
    ]

    class Meta:
        ordering = ["organisation"]
        verbose_name = "partner"
        constraints = [
            models.CheckConstraint(
                name="partner_briefings_only_if_vetted",
                condition=Q(briefings=False) | Q(vetted_on__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.organisation

    def save(self, *args, **kwargs):
        if self.webhook_url and not self.webhook_secret:
            self.webhook_secret = webhook_secret_new()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.briefings and not self.vetted_on:
            raise ValidationError(
                {"vetted_on": "Restricted briefings go to vetted partners only: give the date."}
            )


def webhook_secret_new() -> str:
    return "whsec_" + secrets.token_hex(24)


class PartnerKey(models.Model):
    """One API key of a partner. Only its digest is kept: whoever holds the database holds
    no key. Its prefix (shown in the admin and the access log) tells keys apart."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="keys")
    name = models.CharField(
        max_length=100,
        validators=[validate_single_line],
        help_text="What it is for, so that the partner knows which key to replace.",
    )
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    may_read_briefings = models.BooleanField(
        default=False,
        help_text="Restricted briefings, for a vetted partner's key that needs them.",
    )
    requests_per_minute = models.PositiveIntegerField(
        default=60, validators=[MinValueValidator(1), MaxValueValidator(6000)]
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A rotated key keeps working until then, so the partner can switch without a gap.
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "partner API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def clean(self) -> None:
        super().clean()
        if self.may_read_briefings and not (self.partner_id and self.partner.briefings):
            raise ValidationError(
                {"may_read_briefings": "Only a vetted partner's keys may read briefings."}
            )

    def usable(self, *, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class PartnerAccess(models.Model):
    """One request a key made: the access log, and when a partner last fetched."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="accesses")
    key = models.ForeignKey(PartnerKey, on_delete=models.CASCADE, related_name="accesses")
    at = models.DateTimeField(default=timezone.now)
    endpoint = models.CharField(max_length=60)
    status = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "partner API request"
        indexes = [models.Index(fields=["partner", "-at"], name="partner_access_latest")]

    def __str__(self) -> str:
        return f"{self.endpoint} at {self.at:%Y-%m-%d %H:%M:%S}: {self.status}"


class PartnerNotice(models.Model):
    """What a takedown owes one partner: a signed webhook, or an email asking them to take
    down the posters they printed. Made once per partner and takedown, in the takedown's
    own step; sent by whoever claims it (the same claim rule as every ledger here)."""

    class Kind(models.TextChoices):
        WEBHOOK = "webhook", "Webhook"
        POSTER_EMAIL = "poster-email", "Email about posters"

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # The partner's idempotency key: a notice sent twice carries the same id.
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    takedown = models.ForeignKey(
        "appeals.AppealTakedown", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Exactly what is sent, fixed when the notice is made, so every retry sends the same:
    # the appeal's number and when it came down, never why.
    body = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "kind", "takedown"],
                condition=Q(takedown__isnull=False),
                name="one_notice_per_partner_kind_takedown",
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(status="queued"), name="notice_queued"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.partner}"


class PosterFetch(models.Model):
    """A partner fetched an appeal's poster through the API: if the appeal comes down, they
    are asked to take down what they printed."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="poster_fetches")
    appeal = models.ForeignKey("appeals.AppealPage", on_delete=models.CASCADE, related_name="+")
    first_fetched_at = models.DateTimeField(default=timezone.now)
    last_fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "appeal"], name="one_poster_fetch_row")
        ]

    def __str__(self) -> str:
        return f"Poster fetched by {self.partner}"
