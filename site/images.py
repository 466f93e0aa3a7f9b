"""Re-encoding uploaded photos so that only their pixels survive.

Phone photos carry GPS coordinates, camera serial numbers and author names; on a
missing-person appeal that metadata can lead someone to a family's home or a refuge.
Every stored image (an appeal photo, each of its renditions, a sighting's photo) is
rebuilt here from its pixels alone: Pillow's encoders copy a JPEG's comment, a PNG's
colour profile and whatever else ``info`` holds unless the image has none.
Orientation and the colour profile are applied to the pixels first, so nothing needs
them afterwards.
"""

from io import BytesIO
from typing import IO

from PIL import Image as PILImage
from PIL import ImageCms, ImageOps, JpegImagePlugin, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

# What Pillow raises for a file that is not an image, or is cut off or damaged.
UNREADABLE = (OSError, SyntaxError, ValueError, UnidentifiedImageError)

# What each decoded format is saved as: browsers cannot show HEIC, so it becomes JPEG.
OUTPUT_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "HEIF": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# The colour management a profile-less image is shown with.
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def image_without_metadata(source: IO[bytes], *, quality: int | None = 90) -> tuple[bytes, str]:
    """Decode an image and encode its pixels again, with no metadata.

    Returns the new bytes and their file extension. ``quality=None`` keeps a JPEG's own
    quantisation (for renditions, which are already encoded as Wagtail asked). The caller
    must have checked the pixel count first (Wagtail's image field does), since this
    decodes the image.
    """
    with PILImage.open(source) as original:
        output_format = OUTPUT_FORMATS.get(original.format or "", "PNG")
        options = _encoding(original, output_format, quality)
        pixels = _pixels_only(original)
        if output_format == "JPEG" and pixels.mode not in ("RGB", "L"):
            pixels = pixels.convert("RGB")
        buffer = BytesIO()
        # Only pixels and encoder settings: no exif, icc_profile, xmp, dpi or comment.
        pixels.save(buffer, format=output_format, optimize=True, **options)
    return buffer.getvalue(), EXTENSIONS[output_format]


def _pixels_only(original: PILImage.Image) -> PILImage.Image:
    """A new image holding nothing but the original's pixels (and palette), upright, sRGB."""
    upright = ImageOps.exif_transpose(original)
    upright = _in_srgb(upright, original.info.get("icc_profile"))
    if upright.mode in ("P", "PA") and "transparency" in upright.info:
        upright = upright.convert("RGBA")
    pixels = PILImage.frombytes(upright.mode, upright.size, upright.tobytes())
    if upright.mode in ("P", "PA"):
        palette_mode = upright.palette.mode
        pixels.putpalette(upright.getpalette(palette_mode), palette_mode)
    return pixels


def _in_srgb(image: PILImage.Image, profile: bytes | None) -> PILImage.Image:
    """The pixels as the embedded colour profile meant them, in sRGB: a phone's wide-gamut
    photo keeps its colours when the profile is dropped. An unusable profile is ignored."""
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        return ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(BytesIO(profile)),
            SRGB,
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _encoding(original: PILImage.Image, output_format: str, quality: int | None) -> dict:
    if output_format == "PNG":
        return {}
    if quality is None and original.format == "JPEG":
        return {
            "qtables": original.quantization,
            "subsampling": JpegImagePlugin.get_sampling(original),
        }
    return {"quality": quality or 80}
