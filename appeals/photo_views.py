"""Photos that are not (or no longer) in the public media, for the staff who may see them."""

import mimetypes

from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from wagtail.images import get_image_model

from appeals.services.photos import image_previewable_by


@never_cache
def photo_preview(request: HttpRequest, name: str) -> HttpResponse:
    """A photo not (or no longer) in the public media, for staff who may see its image.

    The public media holds only live appeals' photos; staff see the rest here (admin
    thumbnails, previews of drafts, the photo the safety check reviews) if the image is
    one they may see (appeals.services.photos). Anyone else is told it does not exist.
    """
    user = request.user
    if not (user.is_authenticated and user.has_perm("wagtailadmin.access_admin")):
        raise Http404
    Image = get_image_model()
    image = (
        Image.objects.filter(file=name).first()
        or Image.objects.filter(renditions__file=name).distinct().first()
    )
    if image is None or not image_previewable_by(image=image, user=user):
        raise Http404
    store = storages["photos"]
    try:
        photo = store.open(name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(photo, content_type=mimetypes.guess_type(name)[0])
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
