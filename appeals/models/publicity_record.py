"""The publicity record: every post an appeal went out as, on every social channel.

Each post follows the Heroes ledger (newsletter/models.py): it has an id and a status,
and it is only ever made from the ``posting`` state a job claimed it into; deleting it
(takedown) is a second life of the same row with its own status. One post per appeal
per channel for each time it is public, so a re-publish or a replayed job can never post
twice; an appeal renewed after its clearance expired is posted afresh.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

if TYPE_CHECKING:
    from appeals.models.pages import AppealPage


class SocialPost(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        POSTING = "posting", "Posting"
        POSTED = "posted", "Posted"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled: never posted"

    class Deletion(models.TextChoices):
        NOT_ASKED = "", "Not asked for"
        QUEUED = "queued", "Deletion queued"
        DELETING = "deleting", "Deleting"
        DELETED = "deleted", "Deleted"
        FAILED = "failed", "Deletion failed"

    # Each network's stored name (never change it once posts exist) and what staff call it.
    class Channel(models.TextChoices):
        X = "x", "X (Twitter)"
        MASTODON = "mastodon", "Mastodon"

    appeal = models.ForeignKey(
        "appeals.AppealPage", on_delete=models.CASCADE, related_name="social_posts"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    deletion = models.CharField(
        max_length=20, choices=Deletion.choices, default=Deletion.NOT_ASKED, blank=True
    )
    # Attempts at the current step (posting, then deleting); a rate limit costs none.
    attempts = models.PositiveSmallIntegerField(default=0)
    # Not before: a rate limit's reset time, or the next try after a temporary error.
    retry_at = models.DateTimeField(null=True, blank=True)
    # Which job run holds the row while it is "posting" or "deleting".
    claim = models.BigIntegerField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    reference = models.CharField("id on the channel", max_length=100, blank=True)
    url = models.URLField(max_length=500, blank=True)
    error = models.CharField("last error", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    posted_at = models.DateTimeField(null=True, blank=True)
    deletion_asked_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # When a takedown withdrew it (deleted, or never to be made): from then on it no longer
    # stands for the appeal on its channel, and going public again makes a new post.
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["channel", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "channel"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_post_per_channel",
            ),
        ]
        indexes = [
            models.Index(
                fields=["retry_at"],
                condition=Q(status__in=["queued", "posting"])
                | Q(deletion__in=["queued", "deleting"]),
                name="social_post_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} post {self.pk} ({self.get_status_display()})"

    # What staff may do with a post: the publicity record's buttons and the services both
    # ask these, so a button is never offered for a step the service would refuse.
    @property
    def can_retry_post(self) -> bool:
        return self.status == self.Status.FAILED and self.deletion == self.Deletion.NOT_ASKED

    @property
    def can_retry_deletion(self) -> bool:
        return self.status == self.Status.POSTED and self.deletion == self.Deletion.FAILED

    @property
    def can_cancel(self) -> bool:
        return (
            self.status in (self.Status.QUEUED, self.Status.FAILED)
            and self.deletion == self.Deletion.NOT_ASKED
        )


@dataclass(frozen=True)
class PublicityRecordSection:
    """What another app sent the appeal out as (the Heroes emails), in its own template.

    Apps add theirs with the ``register_publicity_record_section`` hook: a function of
    ``appeal`` returning a section, or None; so appeals never imports them.
    """

    name: str
    heading: str
    template_name: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ChannelOff:
    name: str
    label: str
    reason: str


@dataclass(frozen=True)
class PublicityRecord:
    """Everything an appeal went out on: its posts, other apps' sections (its emails), and
    channels that are off."""

    appeal: "AppealPage"
    posts: QuerySet["SocialPost"]
    sections: list[PublicityRecordSection] = field(default_factory=list)
    channels_off: list[ChannelOff] = field(default_factory=list)

    def section(self, name: str) -> PublicityRecordSection | None:
        return next((section for section in self.sections if section.name == name), None)
