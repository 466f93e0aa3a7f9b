"""Re-encoding uploaded photos so that only their pixels survive.

Phone photos carry GPS coordinates, camera serial numbers and author names; on a
missing-person appeal that metadata can lead someone to a family's home or a refuge.
Re-encoding drops all of it. Orientation is applied to the pixels first, so nothing
needs the EXIF orientation tag afterwards.
"""

from io import BytesIO
from typing import IO

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

# What Pillow raises for a file that is not an image, or is cut off or damaged.
UNREADABLE = (OSError, SyntaxError, ValueError, UnidentifiedImageError)

# What each decoded format is saved as: browsers cannot show HEIC, so it becomes JPEG.
OUTPUT_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "HEIF": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def image_without_metadata(source: IO[bytes]) -> tuple[bytes, str]:
    """Decode an image and encode its pixels again, with no metadata.

    Returns the new bytes and their file extension. The caller must have checked the
    pixel count first (Wagtail's image field does), since this decodes the image.
    """
    with PILImage.open(source) as original:
        output_format = OUTPUT_FORMATS.get(original.format or "", "PNG")
        pixels = ImageOps.exif_transpose(original)
        if output_format == "JPEG" and pixels.mode not in ("RGB", "L"):
            pixels = pixels.convert("RGB")
        buffer = BytesIO()
        # Only the pixels are passed on: no exif, icc_profile, xmp or comment arguments.
        pixels.save(buffer, format=output_format, quality=90, optimize=True)
    return buffer.getvalue(), EXTENSIONS[output_format]
