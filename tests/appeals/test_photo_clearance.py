"""What is cleared is what is shown: the picture of an image that a live appeal, an appeal
in a check or one awaiting approval shows cannot change, on any route, for any role.

A new picture is a new image, which goes public only with a revision that passes a check.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

from appeals.models import AppealPage
from homeward import roles
from homeward.models import PICTURE_FIELDS
from tests import factories

pytestmark = pytest.mark.django_db

Image = get_image_model()
REFUSED = "cannot change"


def appeal_in(state: str) -> AppealPage:
    """An appeal whose photo the editor uploaded, live / awaiting approval / in a check."""
    appeal = factories.appeal_create(publish=False)
    if state == "live":
        appeal = factories.publicity_clear(appeal)
    elif state == "awaiting approval":
        factories.publicity_check(appeal)
    elif state == "in a check":
        factories.workflow_start(appeal)
    image = appeal.photos.get().image
    # Set by a query: the guard is on the picture, not on who uploaded it.
    Image.objects.filter(pk=image.pk).update(uploaded_by_user=factories.staff(roles.EDITORS))
    return AppealPage.objects.get(pk=appeal.pk)


def picture(image) -> dict:
    stored = Image.objects.filter(pk=image.pk).values(*PICTURE_FIELDS, "file_hash").get()
    with image.file.storage.open(stored["file"], "rb") as photo:
        stored["bytes"] = photo.read()
    return stored


def user_for(role: str):
    # The editor is the one who uploaded the image; the others may change any image.
    return factories.staff(role) if role == roles.EDITORS else factories.user_create(role=role)


def edit_form(image, **changes) -> dict:
    data = {
        "title": image.title,
        "collection": image.collection_id,
        "description": "",
        "tags": "",
        "focal_point_x": image.focal_point_x or "",
        "focal_point_y": image.focal_point_y or "",
        "focal_point_width": image.focal_point_width or "",
        "focal_point_height": image.focal_point_height or "",
    }
    return {**data, **changes}


def new_file(**changes) -> dict:
    content = factories.image_bytes(size=(90, 60))
    return {"file": SimpleUploadedFile("someone-else.jpg", content), **changes}


FOCAL_POINT = {
    "focal_point_x": 10,
    "focal_point_y": 12,
    "focal_point_width": 8,
    "focal_point_height": 9,
}
ADMIN_ROUTES = {
    "edit view, new file": lambda image: edit_form(image, **new_file()),
    "edit view, focal point": lambda image: edit_form(image, **FOCAL_POINT),
}
STATES = ["live", "awaiting approval", "in a check"]
ROLES = [roles.EDITORS, roles.PUBLISHERS, roles.ADMINISTRATORS]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("route", ADMIN_ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_the_admin_refuses_a_new_picture_for_a_cleared_photo(client, directory, state, route, role):
    appeal = appeal_in(state)
    image = appeal.photos.get().image
    before = picture(image)
    public_before = client.get(appeal.url).content if state == "live" else None

    client.force_login(user_for(role))
    url = reverse("wagtailimages:edit", args=[image.pk])
    response = client.post(url, ADMIN_ROUTES[route](image))

    assert response.status_code == 200  # the form again, with the reason
    assert REFUSED in response.content.decode()
    assert "new check" in response.content.decode()
    assert picture(image) == before
    if public_before is not None:
        client.logout()
        assert client.get(appeal.url).content == public_before


@pytest.mark.parametrize("role", ROLES)
def test_the_multiple_upload_edit_cannot_move_the_focal_point(client, directory, role):
    # Wagtail's multiple-upload form leaves the file and focal point out; proven here so
    # that a Wagtail upgrade adding them is caught.
    image = appeal_in("live").photos.get().image
    before = picture(image)
    client.force_login(user_for(role))
    form = edit_form(image, **FOCAL_POINT)
    client.post(
        reverse("wagtailimages:edit_multiple", args=[image.pk]),
        {f"image-{image.pk}-{name}": value for name, value in form.items()},
    )
    assert picture(image) == before


CODE_ROUTES = {
    "new file": lambda image: setattr(
        image, "file", ContentFile(factories.image_bytes(size=(90, 60)), name="other.jpg")
    ),
    "focal point": lambda image: [setattr(image, name, 5) for name in FOCAL_POINT],
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("route", CODE_ROUTES)
def test_code_cannot_change_a_cleared_picture(directory, state, route):
    image = appeal_in(state).photos.get().image
    before = picture(image)
    CODE_ROUTES[route](image)
    with pytest.raises(ValidationError, match=REFUSED):
        image.full_clean()
    with pytest.raises(ValidationError, match=REFUSED):
        image.save()
    assert picture(Image.objects.get(pk=image.pk)) == before


def test_a_draft_photo_can_still_be_replaced(client, directory):
    appeal = appeal_in("draft")
    image = appeal.photos.get().image
    before = picture(image)
    client.force_login(user_for(roles.EDITORS))
    response = client.post(
        reverse("wagtailimages:edit", args=[image.pk]), edit_form(image, **new_file())
    )
    assert response.status_code == 302
    assert picture(image)["file_hash"] != before["file_hash"]


def test_a_new_image_on_a_new_revision_goes_public_only_once_cleared(client, directory):
    # What the refusal tells the editor to do instead.
    appeal = appeal_in("live")
    old_image = appeal.photos.get().image
    new_image = factories.image_create()
    draft = appeal.get_latest_revision_as_object()
    photos = list(draft.photos.all())
    photos[0].image = new_image
    draft.photos = photos
    draft.save_revision(user=factories.staff(roles.EDITORS))
    assert f"/media/{new_image.file.name}" not in client.get(appeal.url).content.decode()
    factories.publicity_clear(appeal)
    html = client.get(appeal.url).content.decode()
    assert "/media/images/" in html
    assert new_image.file.storage.is_published(new_image.file.name)
    assert not old_image.file.storage.is_published(old_image.file.name)


def test_a_cleared_photo_keeps_its_other_details_editable(client, directory):
    image = appeal_in("live").photos.get().image
    client.force_login(user_for(roles.PUBLISHERS))
    response = client.post(
        reverse("wagtailimages:edit", args=[image.pk]), edit_form(image, title="Renamed photo")
    )
    assert response.status_code == 302
    assert Image.objects.get(pk=image.pk).title == "Renamed photo"
