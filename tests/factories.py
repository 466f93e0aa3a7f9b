"""Builders for test data. Every person here is made up."""

import itertools
from datetime import timedelta
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from appeals.models import AppealIndexPage, AppealPage, AppealPhoto
from homeward.models import PoliceForce, PoliceOfficer

_numbers = itertools.count(1)


def image_bytes(*, size=(60, 80), format="JPEG", exif: PILImage.Exif | None = None) -> bytes:
    buffer = BytesIO()
    options = {"exif": exif} if exif is not None else {}
    PILImage.new("RGB", size, "#7a9cc6").save(buffer, format=format, **options)
    return buffer.getvalue()


def image_create(**fields):
    fields.setdefault("title", f"Test photo {next(_numbers)}")
    image = get_image_model()(file=ContentFile(image_bytes(), "photo.jpg"), **fields)
    image.save()
    return image


def appeal_build(**fields) -> AppealPage:
    number = next(_numbers)
    defaults = {
        "title": f"Testperson Number{number}",
        "slug": f"testperson-{number}",
        "gender": AppealPage.Gender.FEMALE,
        "age_when_missing": 15,
        "missing_since": timezone.localdate() - timedelta(days=10),
        "last_seen_area": "Harrogate",
        "police_force": PoliceForce.objects.get(slug="north-yorkshire-police"),
        "case_reference": f"NY-TEST-{number:05d}",
        "risk_level": AppealPage.RiskLevel.MEDIUM,
    }
    return AppealPage(**{**defaults, **fields})


def appeal_create(*, parent: AppealIndexPage | None = None, publish=True, photos=1, **fields):
    """An appeal under the directory, with photos, published through a revision."""
    appeal = appeal_build(live=False, **fields)
    appeal.photos = [
        AppealPhoto(image=image_create(), alt_text=f"Photo {n + 1} of {appeal.title}")
        for n in range(photos)
    ]
    (parent or AppealIndexPage.objects.get()).add_child(instance=appeal)
    revision = appeal.save_revision()
    if publish:
        revision.publish()
        appeal.refresh_from_db()
    return appeal


def user_create(*, role: str | None = None, force_slug: str | None = None, **fields):
    number = next(_numbers)
    user = get_user_model().objects.create_user(
        username=fields.pop("username", f"user{number}"),
        password="correct horse battery staple",
        email=f"user{number}@homeward.invalid",
        **fields,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    if force_slug:
        PoliceOfficer.objects.create(user=user, force=PoliceForce.objects.get(slug=force_slug))
    return user
