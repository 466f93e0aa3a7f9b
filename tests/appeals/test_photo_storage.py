"""An appeal's photos are private files until the appeal is publicly visible: published
to the public media under random names when it goes live, private again on takedown.
Staff preview private photos through a view that checks who asks."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from appeals.models import AppealPage, AppealPhoto, PublicityDecision
from homeward import roles
from tests import factories
from tests.appeals.test_takedown import close, media_served, media_urls

pytestmark = pytest.mark.django_db

Image = get_image_model()
UPLOAD_NAME = "Marigold-Quillfeather-school-photo"
RENDITIONS = AppealPage.PHOTO_RENDITIONS


def appeal_with_named_upload(**create):
    image = Image(
        title="Photo",
        file=SimpleUploadedFile(f"{UPLOAD_NAME}.jpg", factories.image_bytes()),
    )
    image.save()
    appeal = factories.appeal_create(publish=False, photos=0)
    appeal.photos = [AppealPhoto(image=image, alt_text="Smiling")]
    appeal.save()
    appeal.save_revision(user=factories.staff(roles.EDITORS))
    return AppealPage.objects.get(pk=appeal.pk), image


def files_of(image) -> list[str]:
    """The image's original and renditions (made now if missing), as stored names."""
    image.create_renditions(*(Filter(spec) for spec in RENDITIONS))
    return [image.file.name, *image.renditions.values_list("file", flat=True)]


def in_public_media(name: str) -> bool:
    return (Path(settings.MEDIA_ROOT) / name).exists()


def assert_private(names) -> None:
    for name in names:
        assert not in_public_media(name), name
        assert not media_served(settings.MEDIA_URL + name), name
        assert storages["photos_private"].exists(name), name


@pytest.mark.parametrize(
    "state",
    ["draft", "in a check", "awaiting approval", "restricted briefing", "no publicity"],
)
def test_photos_of_appeals_never_cleared_are_private(client, directory, state):
    appeal, image = appeal_with_named_upload()
    if state == "in a check":
        factories.workflow_start(appeal)
    elif state == "awaiting approval":
        factories.publicity_check(appeal)
    elif state == "restricted briefing":
        factories.publicity_clear(appeal, decision=PublicityDecision.RESTRICTED)
    elif state == "no publicity":
        factories.publicity_clear(appeal, decision=PublicityDecision.NONE)
    assert not AppealPage.objects.get(pk=appeal.pk).live
    names = files_of(Image.objects.get(pk=image.pk))
    assert len(names) == 1 + len(RENDITIONS)
    assert_private(names)
    for name in names:
        assert UPLOAD_NAME.lower() not in name.lower() and "marigold" not in name.lower()
        # Its address is the staff-only preview, which the public cannot read.
        url = Image.objects.get(pk=image.pk).file.storage.url(name)
        assert not url.startswith(settings.MEDIA_URL)
        assert client.get(url).status_code == 404


def test_going_live_publishes_them_under_random_names_and_takedown_withdraws_them(
    client, directory, django_capture_on_commit_callbacks
):
    appeal, image = appeal_with_named_upload()
    appeal = factories.publicity_clear(appeal)
    assert appeal.live
    page = client.get(appeal.url).content.decode()
    urls = media_urls(page)
    assert urls and all(media_served(url) for url in urls)
    image = Image.objects.get(pk=image.pk)
    names = files_of(image)  # renditions made after going live (first view) are public
    for name in names:
        assert in_public_media(name) and media_served(settings.MEDIA_URL + name), name
        assert UPLOAD_NAME.lower() not in name.lower() and "marigold" not in name.lower()
        assert image.file.storage.url(name) == settings.MEDIA_URL + name

    close(appeal, factories.user_create(role=roles.PUBLISHERS), django_capture_on_commit_callbacks)

    assert not any(media_served(url) for url in urls)
    assert all(not in_public_media(name) for name in names)
    assert storages["photos_private"].exists(image.file.name)


def test_the_sweep_takes_back_public_copies_no_visible_appeal_shows(directory):
    """A publish copies photos before its commit: if that commit never came (an error
    after the copy), the copies stay public until the sweep finds no visible appeal
    showing them. Copies younger than the grace may be a publish under way: kept."""
    from appeals.services.photos import PUBLISHING_GRACE, photos_public_sweep

    live, live_image = appeal_with_named_upload()
    live = factories.publicity_clear(live)
    shown = files_of(Image.objects.get(pk=live_image.pk))
    _, draft_image = appeal_with_named_upload()
    left_behind = files_of(draft_image)
    store = storages["photos"]
    for name in left_behind:
        store.publish(name)
    later = timezone.now() + PUBLISHING_GRACE + timedelta(seconds=1)

    assert not set(photos_public_sweep()) & set(left_behind)  # too young: a publish under way?
    # (Earlier tests' copies, of appeals their rollback undid, may go too.)
    removed = set(photos_public_sweep(now=later))
    assert set(left_behind) <= removed and not set(shown) & removed
    assert_private(left_behind)
    assert all(in_public_media(name) for name in shown)
    assert photos_public_sweep(now=later) == []  # nothing more to do


OWNING_FORCE = "north-yorkshire-police"  # the factories' appeals
PREVIEWERS = {
    roles.EDITORS: 200,
    roles.SAFEGUARDING_LEADS: 200,  # the check reviews the photo
    roles.PUBLISHERS: 200,
    roles.ADMINISTRATORS: 200,
    "police of the owning force": 200,  # they authorise publicity, having read the appeal
    "police of another force": 404,
    "signed in, no role": 404,
}


def previewer(who: str):
    if who == "police of the owning force":
        return factories.user_create(role=roles.POLICE_OFFICERS, force_slug=OWNING_FORCE)
    if who == "police of another force":
        return factories.user_create(role=roles.POLICE_OFFICERS, force_slug="kent-police")
    if who == "signed in, no role":
        return factories.user_create()
    return factories.user_create(role=who)


@pytest.mark.parametrize("who", PREVIEWERS)
def test_staff_preview_private_photos_if_they_may_see_the_image(client, directory, who):
    _, image = appeal_with_named_upload()
    names = files_of(image)
    for name in names:
        url = reverse("photo-preview", args=[name])
        assert client.get(url).status_code == 404  # the public
        client.force_login(previewer(who))
        response = client.get(url)
        assert response.status_code == PREVIEWERS[who], name
        if response.status_code == 200:
            assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"  # a JPEG
            assert "no-store" in response["Cache-Control"]
        client.logout()


def test_admin_thumbnails_of_private_photos_show(client, directory):
    appeal_with_named_upload()
    client.force_login(factories.user_create(role=roles.PUBLISHERS))
    listing = client.get(reverse("wagtailimages:index")).content.decode()
    previews = [
        url for url in _srcs(listing) if url.startswith(reverse("photo-preview", args=["x"])[:-1])
    ]
    assert previews
    for url in previews:
        assert client.get(url).status_code == 200, url
    assert not any(url.startswith(settings.MEDIA_URL) for url in _srcs(listing))


def _srcs(html: str) -> list[str]:
    return re.findall(r'src="([^"]+)"', html)


def test_police_preview_a_photo_that_only_their_forces_draft_shows(client, directory):
    appeal = factories.appeal_create(publish=False)
    added = factories.image_create()
    draft = appeal.get_latest_revision_as_object()
    draft.photos = [*draft.photos.all(), AppealPhoto(image=added, alt_text="Newer photo")]
    draft.save_revision(user=factories.staff(roles.EDITORS))
    url = added.file.url
    assert not url.startswith(settings.MEDIA_URL)
    client.force_login(previewer("police of the owning force"))
    assert client.get(url).status_code == 200
    client.force_login(previewer("police of another force"))
    assert client.get(url).status_code == 404
