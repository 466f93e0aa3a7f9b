"""The public sighting form, its receipt, and the photo for those allowed to see it."""

import logging
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.db import InterfaceError, OperationalError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from homeward.ratelimit import client_key, rate_limit_count, rate_limit_reached
from sightings.forms import FormRefused, SightingForm
from sightings.models import Sighting, SightingPhoto
from sightings.permissions import SEE, sighting_permission_policy
from sightings.selectors import appeal_taking_sightings
from sightings.services import sighting_create

logger = logging.getLogger(__name__)

RECEIPT_SALT = "sightings.receipt"
# A 10 MB photo and the rest of the form, with room for multipart framing.
MAX_BODY_BYTES = 11 * 1024 * 1024


RATE_LIMITED = gettext_lazy(
    "You have sent several reports in a short time, so we cannot take another just now. "
    "Your answers are still here: please wait a few minutes, then send it again. If you "
    "chose a photo, choose it again. If you are with them now, tick that box and send it: "
    "it will go through. If someone is in danger now, call 999."
)


# No CSRF token: the form is for anonymous people, with no session to ride on, and it is
# embedded in cached appeal pages. A signed, timed token and the rate limit stand instead.
@csrf_exempt
def sighting_report(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """GET shows the form; POST checks it and stores the sighting, or explains what is wrong."""
    appeal = appeal_taking_sightings(appeal_id=appeal_id)
    if appeal is None:
        return _private(TemplateResponse(request, "sightings/not_taking.html", status=404))
    if request.method == "POST":
        refusal = _refuse_cheaply(request)
        if refusal:
            return refusal
        form = SightingForm(request.POST, request.FILES, appeal=appeal)
        try:
            form.check_submission()
        except FormRefused as refused:
            retry = (
                SightingForm.answers_again(request.POST, appeal=appeal)
                if refused.keep_answers
                else SightingForm(appeal=appeal)
            )
            return _render_form(request, appeal, retry, problem=refused.message, status=400)
        # Before the answers are checked, so a flood costs no photo decoding. A report
        # marked urgent is never refused: it still met the token, honeypot and size checks.
        if not form["with_them_now"].data and _rate_limit_reached(request):
            logger.info("Sighting refused: rate limit")
            retry = SightingForm.answers_again(request.POST, appeal=appeal)
            return _render_form(request, appeal, retry, problem=RATE_LIMITED, status=429)
        if form.is_valid():
            stored = _store(appeal, form)
            if stored is None:
                return _render_form(
                    request,
                    appeal,
                    SightingForm.answers_again(request.POST, appeal=appeal),
                    problem=gettext(
                        "We could not save your report just now. Your answers are still "
                        "here: please send it again. If someone is in danger, call 999."
                    ),
                    status=503,
                )
            sighting, created = stored
            if created:  # a double tap or a replay is the same report, counted once
                _, window = settings.SIGHTING_RATE_LIMIT
                rate_limit_count(scope="sighting", key=client_key(request), window=window)
            receipt = signing.dumps(sighting.reference, salt=RECEIPT_SALT)
            return redirect("sighting-received", receipt=receipt)
        return _render_form(request, appeal, form, status=400)
    return _render_form(request, appeal, SightingForm(appeal=appeal))


def _store(appeal, form: SightingForm) -> tuple[Sighting, bool] | None:
    """Store the report, once more on a fresh connection if the database dropped ours
    (a failover, a restart): the submission key makes a second try harmless. The sighting
    and whether it is new (not a replay); None if it still could not be stored."""
    for attempt in range(2):
        try:
            return sighting_create(
                appeal=appeal,
                answers=form.cleaned_data,
                photo=form.clean_photo_result,
                submission_key=form.submission_key(),
                language=translation.get_language(),
            )
        except (OperationalError, InterfaceError):
            logger.warning("Sighting not stored (attempt %d): database connection lost", attempt)
            connection.close()
    return None


def sighting_received(request: HttpRequest, receipt: str) -> HttpResponse:
    """The receipt: a reference to quote and what happens next. The appeal (its name, its
    force, a link and ways to share it) only while it is still public: a receipt opened
    after a takedown must not bring the appeal back."""
    try:
        reference = signing.loads(receipt, salt=RECEIPT_SALT, max_age=24 * 3600)
    except signing.BadSignature as error:
        raise Http404 from error
    sighting = get_object_or_404(Sighting, reference=reference)
    context = {
        "reference": reference,
        "sighting": sighting,
        "public_appeal": appeal_taking_sightings(appeal_id=sighting.appeal_id),
    }
    return _private(TemplateResponse(request, "sightings/received.html", context))


def _refuse_cheaply(request: HttpRequest) -> HttpResponse | None:
    """Refusals that cost nothing: before the body is read or anything is parsed."""
    if _declared_length(request) > MAX_BODY_BYTES:
        return _refusal(
            request,
            gettext(
                "Your report was too big to send, probably because of the photo. Send it "
                "again with a smaller photo (up to 10 MB), or without one."
            ),
            status=413,
        )
    return None


def _rate_limit_reached(request: HttpRequest) -> bool:
    """Only stored reports count (after each is stored): typos and refusals never do."""
    limit, window = settings.SIGHTING_RATE_LIMIT
    return rate_limit_reached(scope="sighting", key=client_key(request), limit=limit, window=window)


def _declared_length(request: HttpRequest) -> int:
    """The body's size as the client declares it; nothing, as Django reads it, if garbled."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def _render_form(request, appeal, form, *, problem: str = "", status: int = 200) -> HttpResponse:
    response = TemplateResponse(
        request,
        "sightings/report.html",
        {"page": appeal, "form": form, "problem": problem},
        status=status,
    )
    return _private(response)


def _refusal(request, message: str, *, status: int) -> HttpResponse:
    return _private(
        TemplateResponse(request, "sightings/refused.html", {"message": message}, status=status)
    )


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def sighting_photo(request: HttpRequest, public_id: UUID) -> FileResponse:
    """A sighting's photo, only for the owning force and caseworkers. Refused as the
    sighting itself is: one someone may not see is not found, as if it did not exist."""
    photo = get_object_or_404(
        SightingPhoto.objects.select_related("sighting"),
        sighting__in=sighting_permission_policy.instances_user_has_permission_for(
            request.user, SEE
        ),
        sighting__public_id=public_id,
    )
    response = FileResponse(photo.file.open("rb"), content_type=photo.content_type)
    response["Content-Disposition"] = f'inline; filename="{photo.sighting.reference}"'
    response["Cache-Control"] = "private, no-store"
    return response
