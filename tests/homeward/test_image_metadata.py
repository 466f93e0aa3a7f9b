"""No stored image carries metadata: not the original, a rendition, the share image or a
sighting's photo, whatever kind of metadata the upload carried and whichever way it came in.

Each sample file below carries one kind of metadata with a marker in it; every stored copy
is checked for the marker in its bytes and for the metadata as Pillow decodes it.
"""

from importlib import import_module
from io import BytesIO

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, ImageCms, PngImagePlugin
from PIL import Image as PILImage
from wagtail.images import get_image_model

from homeward import roles
from homeward.images import image_without_metadata
from sightings.models import SightingPhoto
from sightings.photos import photo_clean
from tests import factories
from tests.sightings.conftest import sighting_data

pytestmark = pytest.mark.django_db

Image = get_image_model()

MARKER = "Clementine-Revealing"
# What Pillow decodes from a file's metadata; none may be left in a stored image.
METADATA_KEYS = {
    "exif",
    "icc_profile",
    "xmp",
    "XML:com.adobe.xmp",
    "comment",
    "photoshop",
    "adobe",
    "dpi",
    "transparency_comment",
}
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    f'xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="{MARKER}"/></rdf:RDF></x:xmpmeta>'
).encode()


def exif_with_gps() -> PILImage.Exif:
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "RevealingPhoneCo"
    exif[ExifTags.Base.Artist] = MARKER
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (53.0, 48.0, 0.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (1.0, 33.0, 0.0),
    }
    return exif


def icc_profile() -> bytes:
    """An sRGB profile whose description names someone."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    # Marked after its last tag, where no colour management reads.
    return profile + MARKER.encode()


def png_text() -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", MARKER)
    info.add_text("Comment", MARKER, zip=True)
    info.add_itxt("Description", MARKER, lang="en", tkey="Description")
    return info


def picture(mode="RGB") -> PILImage.Image:
    image = PILImage.new(mode, (80, 60), "#7a9cc6" if mode != "P" else 3)
    if mode == "P":
        image.putpalette([0, 0, 0, 40, 80, 120, 200, 10, 10, 122, 156, 198] + [0] * 756)
    return image


def encoded(image: PILImage.Image, image_format: str, **options) -> bytes:
    buffer = BytesIO()
    image.save(buffer, format=image_format, **options)
    return buffer.getvalue()


# name: (bytes, file name). Each carries one kind of metadata, with the marker in it.
SAMPLES = {
    "jpeg-exif-gps": lambda: (encoded(picture(), "JPEG", exif=exif_with_gps()), "a.jpg"),
    "jpeg-comment": lambda: (encoded(picture(), "JPEG", comment=MARKER), "a.jpg"),
    "jpeg-icc": lambda: (encoded(picture(), "JPEG", icc_profile=icc_profile()), "a.jpg"),
    "jpeg-xmp": lambda: (encoded(picture(), "JPEG", xmp=XMP), "a.jpg"),
    "jpeg-dpi": lambda: (encoded(picture(), "JPEG", dpi=(72, 72), comment=MARKER), "a.jpg"),
    "png-text": lambda: (encoded(picture(), "PNG", pnginfo=png_text()), "a.png"),
    "png-icc": lambda: (encoded(picture(), "PNG", icc_profile=icc_profile()), "a.png"),
    "png-exif": lambda: (encoded(picture(), "PNG", exif=exif_with_gps()), "a.png"),
    "png-palette-text": lambda: (
        encoded(picture("P"), "PNG", pnginfo=png_text(), transparency=0),
        "a.png",
    ),
    "webp-exif": lambda: (encoded(picture(), "WEBP", exif=exif_with_gps()), "a.webp"),
    "webp-xmp": lambda: (encoded(picture(), "WEBP", xmp=XMP), "a.webp"),
    "webp-icc": lambda: (encoded(picture(), "WEBP", icc_profile=icc_profile()), "a.webp"),
    "heic-exif": lambda: (encoded(picture(), "HEIF", exif=exif_with_gps()), "a.heic"),
}


@pytest.fixture(params=sorted(SAMPLES))
def sample(request) -> tuple[bytes, str]:
    content, name = SAMPLES[request.param]()
    with PILImage.open(BytesIO(content)) as decoded:
        carried = set(decoded.info) & METADATA_KEYS or getattr(decoded, "text", None)
    assert carried or MARKER.encode() in content, "the sample must carry its metadata"
    return content, name


def assert_carries_nothing(data: bytes) -> None:
    assert MARKER.encode() not in data
    assert b"RevealingPhoneCo" not in data
    assert b"ICC_PROFILE" not in data and b"iCCP" not in data
    assert b"ns.adobe.com/xap" not in data and b"adobe:ns:meta" not in data
    with PILImage.open(BytesIO(data)) as decoded:
        decoded.load()  # PNG text after the pixels is read only now
        assert not set(decoded.info) & METADATA_KEYS, decoded.info.keys()
        assert not getattr(decoded, "text", {})
        assert len(decoded.getexif()) == 0
        assert decoded.size == (80, 60)


def assert_stored_image_clean(image) -> None:
    with image.file.open("rb") as stored:
        assert_carries_nothing(stored.read())
    image.renditions.all().delete()
    for spec in ("fill-1200x630-c100", "fill-200x250-c100", "max-40x30"):
        with image.get_rendition(spec).file.open("rb") as stored:
            data = stored.read()
        assert MARKER.encode() not in data
        with PILImage.open(BytesIO(data)) as decoded:
            decoded.load()
            assert not set(decoded.info) & METADATA_KEYS, (spec, decoded.info.keys())
            assert not getattr(decoded, "text", {})


@pytest.fixture
def editor_client(client):
    client.force_login(factories.user_create(role=roles.EDITORS))
    return client


def test_the_re_encode_keeps_only_pixels(sample):
    content, _ = sample
    data, _ = image_without_metadata(BytesIO(content))
    assert_carries_nothing(data)


def test_a_palette_image_keeps_its_colours_and_transparency():
    content = encoded(picture("P"), "PNG", pnginfo=png_text(), transparency=0)
    data, extension = image_without_metadata(BytesIO(content))
    assert extension == "png"
    with PILImage.open(BytesIO(content)) as before, PILImage.open(BytesIO(data)) as after:
        assert after.size == before.size
        assert after.convert("RGBA").tobytes() == before.convert("RGBA").tobytes()


def test_a_photo_tagged_srgb_keeps_its_colours_without_the_profile():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    content = encoded(picture(), "JPEG", quality=95, icc_profile=srgb)
    data, _ = image_without_metadata(BytesIO(content))
    with PILImage.open(BytesIO(data)) as after:
        red, green, blue = after.convert("RGB").getpixel((40, 30))
    assert abs(red - 0x7A) < 6 and abs(green - 0x9C) < 6 and abs(blue - 0xC6) < 6


def test_the_single_upload_stores_no_metadata(editor_client, sample):
    content, name = sample
    response = editor_client.post(
        reverse("wagtailimages:add"),
        {"title": "Family photo", "file": SimpleUploadedFile(name, content), "collection": 1},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert_stored_image_clean(Image.objects.get())


def test_the_multiple_upload_stores_no_metadata(editor_client, sample):
    content, name = sample
    response = editor_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile(name, content), "collection": 1},
    )
    assert response.status_code == 200 and response.json()["success"], response.json()
    assert_stored_image_clean(Image.objects.get())


def test_replacing_the_file_stores_no_metadata(editor_client, sample):
    editor_client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Family photo",
            "file": SimpleUploadedFile("first.jpg", factories.image_bytes()),
            "collection": 1,
        },
    )
    image = Image.objects.get()
    content, name = sample
    response = editor_client.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {"title": "Family photo", "file": SimpleUploadedFile(name, content), "collection": 1},
    )
    assert response.status_code == 302, response.context["form"].errors
    image.refresh_from_db()
    assert_stored_image_clean(image)


def test_an_image_saved_from_code_stores_no_metadata(sample):
    content, name = sample
    Image(title="Imported photo", file=SimpleUploadedFile(name, content)).save()
    assert_stored_image_clean(Image.objects.get())


def test_a_legacy_original_with_metadata_gives_renditions_without_it():
    # An original stored before every route re-encoded: its renditions are clean anyway.
    content, name = SAMPLES["jpeg-comment"]()
    image = factories.image_create()
    image.file.save(name, SimpleUploadedFile(name, content), save=True)
    for spec in ("fill-1200x630-c100", "max-40x30"):
        with image.get_rendition(spec).file.open("rb") as stored:
            assert MARKER.encode() not in stored.read()
    content, name = SAMPLES["png-icc"]()
    image.file.save(name, SimpleUploadedFile(name, content), save=True)
    image.renditions.all().delete()
    with image.get_rendition("fill-1200x630-c100").file.open("rb") as stored:
        assert b"iCCP" not in stored.read()


def test_originals_stored_before_are_rebuilt_by_a_migration():
    migration = import_module("homeward.migrations.0009_originals_without_metadata")
    image = factories.image_create()
    for sample in ("jpeg-comment", "png-icc"):
        content, name = SAMPLES[sample]()
        image.file.save(name, SimpleUploadedFile(name, content), save=True)
        stale = image.get_rendition("max-40x30")
        migration.originals_without_metadata(apps, None)
        image.refresh_from_db()
        assert not image.renditions.filter(pk=stale.pk).exists()
        assert not image.file.storage.exists(stale.file.name)
        assert_stored_image_clean(image)
        assert image.file_size == image.file.size


def test_a_sighting_photo_carries_no_metadata(sample):
    content, name = sample
    assert_carries_nothing(photo_clean(SimpleUploadedFile(name, content)).data)


def test_the_public_sighting_form_stores_a_photo_without_metadata(client, directory, sample):
    appeal = factories.appeal_create(title="Sighted Sabrina")
    content, name = sample
    response = client.post(
        reverse("sighting-report", args=[appeal.pk]),
        {**sighting_data(appeal), "photo": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with SightingPhoto.objects.get().file.open("rb") as stored:
        assert_carries_nothing(stored.read())
