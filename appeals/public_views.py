"""An appeal's short address and its printable poster and flyer (under /a/<code>).

They answer as the appeal's page does: while it is publicly visible the short address
redirects to it and the poster is drawn from it; once it has ended (taken down, and after
the retention purge too) both answer 410 Gone with the helpline; for an appeal that
never went public, 404, saying nothing about it.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header

from appeals.models import AppealPage, AppealPhoto, AppealShortLink
from appeals.poster import PosterContent, poster_pdf
from homeward.links import absolute_url
from homeward.page_cache import public_cache_control, shorten_shared_caching

POSTER_NAMES = {"a4": "poster-a4", "a5": "flyer-a5"}


def _publicly_visible_appeal(code: str) -> AppealPage | None:
    """The live, cleared appeal at this code; None if it has ended publicly (410)."""
    link = AppealShortLink.objects.filter(code=code.lower()).only("appeal_id").first()
    if link is None:
        raise Http404
    appeal = AppealPage.objects.publicly_visible().for_serving().filter(pk=link.appeal_id).first()
    if appeal is not None:
        return appeal
    if AppealPage.objects.get(pk=link.appeal_id).has_ended_publicly:
        return None
    raise Http404


def _gone(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "appeals/appeal_gone.html", status=410)


def _shared(response: HttpResponse, request: HttpRequest, appeal: AppealPage) -> HttpResponse:
    # Shared caches may keep it until the clearance ends; a takedown purges them.
    response = public_cache_control(response, request)
    return shorten_shared_caching(response, until=appeal.public_clearance_expiry())


def _main_photo_bytes(appeal: AppealPage) -> bytes | None:
    """The first photo as the page shows it: the same cleared picture and crop."""
    photo = (
        AppealPhoto.objects.with_renditions([AppealPage.MAIN_PHOTO_RENDITION])
        .filter(page=appeal)
        .first()
    )
    if photo is None:
        return None
    rendition = photo.image.get_rendition(AppealPage.MAIN_PHOTO_RENDITION)
    with rendition.file.open("rb") as file:
        return file.read()


def short_link_follow(request: HttpRequest, code: str) -> HttpResponse:
    appeal = _publicly_visible_appeal(code)
    if appeal is None:
        return _gone(request)
    return _shared(redirect(appeal.url), request, appeal)


def appeal_poster(request: HttpRequest, code: str, paper: str) -> HttpResponse:
    appeal = _publicly_visible_appeal(code)
    if appeal is None:
        return _gone(request)
    short_link = appeal.public_short_link()
    content = PosterContent.of(
        appeal, photo=_main_photo_bytes(appeal), short_url=absolute_url(short_link.url)
    )
    response = HttpResponse(poster_pdf(content, paper=paper), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=False, filename=f"missing-{appeal.slug}-{POSTER_NAMES[paper]}.pdf"
    )
    return _shared(response, request, appeal)
