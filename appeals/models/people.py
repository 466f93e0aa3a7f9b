"""One person across their episodes: children who go missing again and again.

A person is only the set of their appeals, linked by staff who confirmed that two appeals
are the same person. It holds no name, date of birth or anything else of its own: those
stay on each appeal and are purged with it. So once an episode is purged, its dates and
outcome stay linked (what a repeat-missing history needs) for as long as another of the
person's episodes is still within retention; the purge of their last episode deletes the
person and every link (appeals.services.retention).

Never public, and seen only by those who may see the appeals linked.
"""

from django.conf import settings
from django.db import models


class Person(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "person across episodes"

    def __str__(self) -> str:
        return f"Person {self.pk}"


class PersonEpisodeQuerySet(models.QuerySet):
    def others_of(self, appeal_id: int):
        """The same person's other episodes."""
        return self.filter(person__episodes__appeal_id=appeal_id).exclude(appeal_id=appeal_id)

    def publicised_before(self, appeal_id: int) -> bool:
        """Whether the person has had another public appeal: each one adds to the "photo
        album" that follows an exploited child, which exploiters can use too."""
        return self.others_of(appeal_id).filter(appeal__first_published_at__isnull=False).exists()

    def number_of(self, *, appeal_id: int, missing_since) -> int:
        """Which of the person's known episodes this is: 1 for the first (or unlinked)."""
        return (
            self.others_of(appeal_id).filter(appeal__missing_since__lte=missing_since).count() + 1
        )

    def risk_level_before(self, *, appeal_id: int, missing_since) -> str | None:
        """The effective risk level the person's previous episode ended at, if any."""
        return (
            self.others_of(appeal_id)
            .filter(appeal__missing_since__lte=missing_since)
            .order_by("-appeal__missing_since", "-appeal_id")
            .values_list("appeal__risk_level", flat=True)
            .first()
        )


class PersonEpisode(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="episodes")
    appeal = models.OneToOneField(
        "appeals.AppealPage", on_delete=models.CASCADE, related_name="person_episode"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    objects = PersonEpisodeQuerySet.as_manager()

    class Meta:
        verbose_name = "episode"

    def __str__(self) -> str:
        return f"Appeal {self.appeal_id} of person {self.person_id}"
