import secrets
from pathlib import PurePath

from django.core.files.storage import storages
from django.db import models

# Crockford's base32 without I, L, O, U: easy to read out on the phone.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_reference() -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"S-{code[:4]}-{code[4:]}"


class Sighting(models.Model):
    """A member of the public's report of seeing someone on an appeal. Never public."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_REVIEW = "in-review", "In review"
        PASSED_ON = "passed-on", "Passed to the investigation"
        CLOSED = "closed", "Closed"

    appeal = models.ForeignKey(
        "appeals.AppealPage", on_delete=models.CASCADE, related_name="sightings"
    )
    reference = models.CharField(max_length=16, unique=True, default=new_reference)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # A hash of the form token and the answers: the same form sent twice is one sighting.
    submission_key = models.CharField(max_length=64, unique=True)

    seen_at = models.DateTimeField()
    seen_at_approximate = models.BooleanField(default=False)
    with_them_now = models.BooleanField(default=False)
    location = models.CharField(max_length=300)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    description = models.TextField(max_length=2000)
    clothing = models.TextField(max_length=500, blank=True)
    companions = models.TextField(max_length=500, blank=True)
    direction = models.CharField(max_length=300, blank=True)

    anonymous = models.BooleanField(default=True)
    reporter_name = models.CharField(max_length=120, blank=True)
    reporter_phone = models.CharField(max_length=40, blank=True)
    reporter_email = models.EmailField(max_length=254, blank=True)
    consent_to_contact = models.BooleanField(default=False)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    alert_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_urgent(self) -> bool:
        return self.with_them_now


def private_storage():
    """Outside MEDIA_ROOT and its URL: a photo is served only by a view that checks who asks."""
    return storages["sightings"]


def sighting_photo_path(instance: "SightingPhoto", filename: str) -> str:
    extension = PurePath(filename).suffix
    return f"{instance.sighting.reference}/{secrets.token_hex(8)}{extension}"


class SightingPhoto(models.Model):
    """A reporter's photo: re-encoded without metadata, kept outside the public media."""

    sighting = models.OneToOneField(Sighting, on_delete=models.CASCADE, related_name="photo")
    file = models.FileField(storage=private_storage, upload_to=sighting_photo_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    content_type = models.CharField(max_length=30)

    def __str__(self) -> str:
        return f"Photo for {self.sighting}"
