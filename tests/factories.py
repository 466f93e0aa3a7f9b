"""Builders for test data. Every person here is made up."""

import itertools
import os
import struct
import zlib
from datetime import timedelta
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, querydict_from_html

from appeals import services
from appeals.models import (
    AppealIndexPage,
    AppealPage,
    AppealPhoto,
    AppealTakedown,
    AppealTranslation,
    PublicityCheck,
    PublicityDecision,
)
from homeward import roles
from homeward.models import LocalAuthority, LocalAuthorityManager, PoliceForce, PoliceOfficer
from sightings import services as sighting_services
from sightings.photos import photo_clean

_numbers = itertools.count(1)


def image_bytes(*, size=(60, 80), format="JPEG", exif: PILImage.Exif | None = None) -> bytes:
    buffer = BytesIO()
    options = {"exif": exif} if exif is not None else {}
    PILImage.new("RGB", size, "#7a9cc6").save(buffer, format=format, **options)
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )


def noise_image_bytes(size: tuple[int, int], *, format="PNG") -> bytes:
    """A real image that does not compress: 1880 x 1880 as PNG is just over 10 MB."""
    buffer = BytesIO()
    noise = PILImage.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    noise.save(buffer, format=format, **({"compress_level": 0} if format == "PNG" else {}))
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
        # Trafficked or unaccompanied children are high risk: a lower level needs a reason.
        "police_risk_level": (
            AppealPage.RiskLevel.HIGH
            if fields.get("trafficked") or fields.get("unaccompanied_asylum_seeking")
            else AppealPage.RiskLevel.MEDIUM
        ),
    }
    if fields.get("in_care"):  # a child in care has a council responsible for them
        defaults["local_authority"] = local_authority_create()
    if "risk_level" in fields:  # the level the police recorded; save() derives the effective
        fields["police_risk_level"] = fields.pop("risk_level")
    return AppealPage(**{**defaults, **fields})


def local_authority_create(name: str = "Fictional Borough Council") -> LocalAuthority:
    return LocalAuthority.objects.get_or_create(name=name)[0]


def appeal_create(
    *,
    parent: AppealIndexPage | None = None,
    publish=True,
    photos=1,
    check: dict | None = None,
    translations: tuple[dict, ...] = (),
    **fields,
):
    """An appeal under the directory, with photos; published through the real workflow.

    ``check`` changes the checklist's answers (see check_answers); ``translations`` are
    the fields of its AppealTranslations, each needing only a language.
    """
    appeal = appeal_build(live=False, owner=staff(roles.EDITORS), **fields)
    appeal.photos = [
        AppealPhoto(image=image_create(), alt_text=f"Photo {n + 1} of {appeal.title}")
        for n in range(photos)
    ]
    appeal.translations = [translation_build(**translation) for translation in translations]
    (parent or AppealIndexPage.objects.get()).add_child(instance=appeal)
    appeal.save_revision(user=staff(roles.EDITORS))
    if publish:
        return publicity_clear(appeal, **(check or {}))
    return appeal


def appeal_closed(appeal: AppealPage, *, outcome: str = "found") -> AppealTakedown:
    """The appeal closed by a publisher (found, unless told), as the admin closes it."""
    return services.appeal_close(
        appeal=appeal, user=staff(roles.PUBLISHERS), outcome=outcome, reason="Closed in a test."
    )


def translation_build(*, language: str, **fields) -> AppealTranslation:
    """An appeal's translation (its words are placeholders: no test reads the language)."""
    return AppealTranslation(
        **{
            "language": language,
            "headline": f"Headline in {language}",
            "description": f"Description in {language}",
            "message_to_them": f"Message to them in {language}",
            "translated_by": "A. Fictional Translator",
            "reviewed_by": "B. Fictional Reviewer",
            **fields,
        }
    )


def staff(role: str):
    """One member of staff per role, shared by the factories within a test."""
    user, created = get_user_model().objects.get_or_create(
        username=f"factory-{slugify(role)}",
        defaults={"email": f"{slugify(role)}@homeward.invalid", "first_name": role},
    )
    if created:
        user.groups.add(Group.objects.get(name=role))
    return user


def check_answers(
    appeal: AppealPage, *, decision=PublicityDecision.PUBLIC, review_days=7, **overrides
):
    """A checklist that passes, for this appeal."""
    today = timezone.localdate()
    answers = {
        "authorising_force": appeal.police_force,
        "authorising_officer": "DS Fictional Officer",
        "authorising_case_reference": appeal.case_reference,
        "authorised_on": today,
        "consent": PublicityCheck.Consent.GIVEN,
        **_consent(appeal),
        "nrm_status": PublicityCheck.NrmStatus.AWAITING if appeal.trafficked else "",
        "risk_of_locating": PublicityCheck.Risk.NO,
        "risk_of_displacement": PublicityCheck.Risk.NO,
        # Asked only of a translated appeal.
        "risk_of_identifying_community": (
            PublicityCheck.Risk.NO if appeal.translations.all() else ""
        ),
        "no_immigration_status": True,
        "no_placement_or_address": True,
        "no_school_or_uniform": True,
        "suitable_photo": True,
        "suitable_wording": True,
        "decision": decision,
        "decision_reason": "" if decision == PublicityDecision.PUBLIC else "Fictional reasons.",
        "review_date": today + timedelta(days=review_days),
    }
    return {**answers, **overrides}


def _consent(appeal: AppealPage) -> dict:
    if not appeal.is_child:
        return {"consent_from": PublicityCheck.ConsentFrom.ADULT, "adults_wishes": "None known."}
    if appeal.in_care:
        return {
            "consent_from": PublicityCheck.ConsentFrom.LOCAL_AUTHORITY,
            "consent_given_by": "Fictional Borough Council",
            "social_worker": "A. Fictional Worker",
        }
    return {"consent_from": PublicityCheck.ConsentFrom.PARENT, "consent_given_by": "A. Parent"}


def workflow_start(appeal: AppealPage):
    appeal = AppealPage.objects.get(pk=appeal.pk)
    appeal.get_workflow().start(appeal, staff(roles.EDITORS))
    return AppealPage.objects.get(pk=appeal.pk).current_workflow_task_state


def publicity_check(appeal: AppealPage, *, checker=None, **answers):
    """Start the workflow and complete the safety check; it then awaits approval."""
    task_state = workflow_start(appeal)
    content = appeal.get_latest_revision_as_object()
    return services.publicity_check_complete(
        task_state=task_state,
        user=checker or staff(roles.SAFEGUARDING_LEADS),
        revision_id=appeal.get_latest_revision().pk,
        answers=check_answers(content, **answers),
    )


def publicity_approve(appeal: AppealPage, *, approver=None):
    task_state = AppealPage.objects.get(pk=appeal.pk).current_workflow_task_state
    task_state.task.specific.on_action(task_state, approver or staff(roles.PUBLISHERS), "approve")
    return AppealPage.objects.get(pk=appeal.pk)


def publicity_clear(appeal: AppealPage, **answers) -> AppealPage:
    """Take the appeal through the whole workflow: check, approval, and (if public) live."""
    publicity_check(appeal, **answers)
    return publicity_approve(appeal)


def user_create(
    *,
    role: str | None = None,
    force_slug: str | None = None,
    local_authority: LocalAuthority | None = None,
    **fields,
):
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
    if local_authority:
        LocalAuthorityManager.objects.create(user=user, local_authority=local_authority)
    return user


def new_appeal_form_data(**overrides) -> dict:
    """What the admin's create form posts for a complete appeal, with any field changed."""
    today = timezone.localdate()
    photos = overrides.pop(
        "photos", [{"image": image_create().pk, "alt_text": "Smiling, dark hair"}]
    )
    translations = overrides.pop("translations", [])
    fields = {
        "title": "Valentina Wychwood",
        "slug": "valentina-wychwood",
        "age_when_missing": "15",
        "gender": "female",
        "missing_since": (today - timedelta(days=3)).isoformat(),
        "last_seen_area": "Scarborough",
        "police_force": str(PoliceForce.objects.get(slug="north-yorkshire-police").pk),
        "case_reference": "NY-2026-0001",
        "police_risk_level": "high",
        "status": "missing",
        **overrides,
    }
    return nested_form_data(
        {
            **fields,
            "photos": inline_formset(photos, min=1, max=5),
            "translations": inline_formset(translations),
            "comments": inline_formset([]),
        }
    )


def edit_form_data(client, edit_url: str) -> dict:
    """The admin's edit form for a page, as the browser would post it unchanged."""
    return querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")


def sighting_create(appeal: AppealPage, *, photo: bool = False, **answers):
    """A sighting stored through the real service, as the public form would store it."""
    number = next(_numbers)
    answers = {
        "seen_at": timezone.now() - timedelta(hours=1),
        "location": f"Outside shop number {number}, Market Street",
        "description": f"A person matching the photo, sighting number {number}.",
        **answers,
    }
    cleaned = None
    if photo:
        cleaned = photo_clean(SimpleUploadedFile("photo.jpg", image_bytes(), "image/jpeg"))
    sighting, _ = sighting_services.sighting_create(
        appeal=appeal,
        answers=sighting_services.sighting_answers(**answers),
        photo=cleaned,
        submission_key=f"test-{number}-{os.urandom(8).hex()}",
    )
    return sighting


def appeal_found(appeal: AppealPage, *, capture, reason: str = "Found by the police."):
    """Close an appeal as found, as a publisher, running what waits for the commit.

    ``capture`` is pytest-django's django_capture_on_commit_callbacks.
    """
    with capture(execute=True):
        return services.appeal_close(
            appeal=appeal, user=user_create(role=roles.PUBLISHERS), outcome="found", reason=reason
        )
