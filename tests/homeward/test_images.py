"""Photos are re-encoded on upload so that no metadata (GPS, camera, author) survives."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags
from PIL import Image as PILImage
from wagtail.images import get_image_model

from homeward import roles
from tests import factories

pytestmark = pytest.mark.django_db

Image = get_image_model()


def revealing_exif() -> PILImage.Exif:
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "RevealingPhoneCo"
    exif[ExifTags.Base.Artist] = "Aunt Clementine Revealing"
    exif[ExifTags.Base.Orientation] = 6  # taken sideways: rotate 90° clockwise to view
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (53.0, 48.0, 0.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (1.0, 33.0, 0.0),
    }
    return exif


@pytest.fixture
def editor_client(client):
    client.force_login(factories.user_create(role=roles.EDITORS))
    return client


def upload(client, content: bytes, name="family-photo.jpg"):
    return client.post(
        reverse("wagtailimages:add"),
        {"title": "Family photo", "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def assert_stored_without_metadata(image) -> None:
    with image.file.open("rb") as stored:
        data = stored.read()
    assert b"RevealingPhoneCo" not in data and b"Clementine" not in data
    with PILImage.open(BytesIO(data)) as decoded:
        assert len(decoded.getexif()) == 0
        assert "exif" not in decoded.info
        # The orientation was applied to the pixels: 60x80 taken sideways is 80x60.
        assert decoded.size == (80, 60)
    assert (image.width, image.height) == (80, 60)


def test_uploaded_photo_keeps_only_its_pixels(editor_client):
    response = upload(editor_client, factories.image_bytes(exif=revealing_exif()))
    assert response.status_code == 302
    assert_stored_without_metadata(Image.objects.get())


def test_the_multiple_upload_route_strips_metadata_too(editor_client):
    content = factories.image_bytes(exif=revealing_exif())
    response = editor_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("phone.jpg", content), "collection": 1},
    )
    assert response.status_code == 200 and response.json()["success"]
    assert_stored_without_metadata(Image.objects.get())


def test_renditions_carry_no_metadata(editor_client):
    upload(editor_client, factories.image_bytes(exif=revealing_exif()))
    rendition = Image.objects.get().get_rendition("fill-40x40")
    with rendition.file.open("rb") as stored:
        assert b"RevealingPhoneCo" not in stored.read()


def test_heic_from_a_phone_becomes_jpeg(editor_client):
    buffer = BytesIO()
    PILImage.new("RGB", (64, 48), "#336699").save(buffer, format="HEIF")
    response = upload(editor_client, buffer.getvalue(), name="IMG_0001.heic")
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.file.name.endswith(".jpg")
    with image.file.open("rb") as stored, PILImage.open(stored) as decoded:
        assert decoded.format == "JPEG"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"This is a text file, not a photo." * 10, "photo.jpg", "Upload a valid image"),
        (factories.image_bytes()[:200], "cut-off.jpg", "could not be read"),
        (factories.png_declaring(20_000, 20_000), "bomb.png", "too many pixels"),
        (factories.noise_image_bytes((2000, 2000)), "huge.png", "too big"),
        (factories.image_bytes(), "photo.exe", "Not a supported image format"),
    ],
    ids=["not-an-image", "truncated", "decompression-bomb", "over-10-mb", "wrong-extension"],
)
def test_bad_uploads_are_refused_and_nothing_is_saved(editor_client, content, name, message):
    response = upload(editor_client, content, name=name)
    assert response.status_code == 200
    errors = " ".join(str(error) for error in response.context["form"].errors.get("file", []))
    assert errors
    assert message in errors
    assert not Image.objects.exists()
