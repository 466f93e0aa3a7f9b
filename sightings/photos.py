"""Checking a reporter's photo and keeping only its pixels."""

from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

from homeward.images import UNREADABLE as IMAGE_UNREADABLE
from homeward.images import image_without_metadata

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is 8064 x 6048 = 48.8 million: too big
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "HEIF"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
TOO_MANY_PIXELS = _("The photo is too large in pixels. Send a smaller copy of it.")
UNREADABLE = (*IMAGE_UNREADABLE, Image.DecompressionBombError)


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    extension: str
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]


def photo_clean(upload: UploadedFile) -> CleanPhoto:
    """Refuse anything but a real photo of a sane size; return it re-encoded, metadata-free.

    The size in pixels is read from the header before anything is decoded, so a small file
    that declares a huge image costs nothing. The original bytes are not kept.
    """
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The photo is bigger than 10 MB. Send a smaller one, or none."))
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format, (width, height) = probe.format, probe.size
    except Image.DecompressionBombError as error:
        raise ValidationError(TOO_MANY_PIXELS) from error
    except UNREADABLE as error:
        raise ValidationError(
            _("This file is not a photo we can read. Send a JPEG, PNG, WebP or HEIC photo.")
        ) from error
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(_("Send the photo as a JPEG, PNG, WebP or HEIC file."))
    if width * height > MAX_PIXELS:
        raise ValidationError(TOO_MANY_PIXELS)
    try:
        upload.seek(0)
        data, extension = image_without_metadata(upload)
    except UNREADABLE as error:
        raise ValidationError(
            _("The photo could not be read: it may be cut off or damaged. Try another.")
        ) from error
    with Image.open(BytesIO(data)) as clean:
        width, height = clean.size
    return CleanPhoto(data=data, extension=extension, width=width, height=height)
