"""Public pages for Heroes: sign up, confirm, choose areas, unsubscribe. No account needed."""

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from homeward.ratelimit import client_key, rate_limit_exceeded
from newsletter import services
from newsletter.forms import ChoicesForm, SignUpForm
from newsletter.models import NewsletterSettings
from newsletter.selectors import hero_by_public_id
from newsletter.tokens import (
    LinkExpired,
    LinkInvalid,
    public_id_from_confirm_token,
    public_id_from_manage_token,
)

logger = logging.getLogger(__name__)


def _page(request, template: str, context: dict | None = None, status: int = 200):
    response = TemplateResponse(request, f"newsletter/{template}", context or {}, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _bad_link(request, *, expired: bool = False) -> HttpResponse:
    return _page(request, "bad_link.html", {"expired": expired}, status=410 if expired else 404)


@never_cache
def hero_sign_up(request: HttpRequest) -> HttpResponse:
    policy = NewsletterSettings.load()
    form = SignUpForm(request.POST or None, consent_wording=policy.consent_wording)
    if request.method == "POST":
        limit, window = settings.HERO_SIGN_UP_RATE_LIMIT
        if rate_limit_exceeded(
            scope="hero-sign-up", key=client_key(request), limit=limit, window=window
        ):
            return _page(request, "too_many.html", status=429)
        if form.is_valid():
            if form.is_robot():
                logger.info("Hero sign-up refused: the hidden field was filled in")
            else:
                services.hero_sign_up(email=form.cleaned_data["email"], **form.choices())
            # The same answer whoever signs up, so no one can test which addresses are ours.
            return redirect("hero-check-email")
    return _page(request, "sign_up.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
def hero_check_email(request: HttpRequest) -> HttpResponse:
    return _page(request, "check_email.html")


@never_cache
def hero_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks; POST confirms. Mail scanners follow links, and must not confirm anyone."""
    try:
        hero = hero_by_public_id(public_id_from_confirm_token(token))
    except LinkExpired:
        return _bad_link(request, expired=True)
    except LinkInvalid:
        hero = None
    if hero is None:
        return _bad_link(request)
    if request.method == "POST":
        outcome = services.hero_confirm(hero=hero)
        if outcome == services.ConfirmOutcome.NOT_PENDING:
            return _bad_link(request)
        return _page(request, "confirmed.html", {"hero": hero, "outcome": outcome})
    return _page(request, "confirm.html", {"hero": hero})


def _hero_from_manage_link(token: str):
    try:
        return hero_by_public_id(public_id_from_manage_token(token))
    except LinkInvalid:
        return None


@never_cache
def hero_manage(request: HttpRequest, token: str) -> HttpResponse:
    hero = _hero_from_manage_link(token)
    if hero is None:
        return _bad_link(request)
    if hero.status != hero.Status.CONFIRMED:
        if request.method == "POST" and "resubscribe" in request.POST:
            services.hero_resubscribe(hero=hero)
            return redirect("hero-manage", token=token)
        return _page(request, "not_subscribed.html", {"hero": hero, "token": token})
    form = ChoicesForm(request.POST or None, initial=ChoicesForm.initial_for(hero))
    saved = False
    if request.method == "POST" and form.is_valid():
        services.hero_preferences_update(hero=hero, **form.choices())
        saved = True
    status = 400 if form.errors else 200
    return _page(
        request,
        "manage.html",
        {"form": form, "hero": hero, "token": token, "saved": saved},
        status=status,
    )


# No CSRF token: RFC 8058 one-click unsubscribes are POSTed by mail providers, and the
# signed token in the address is the authority. A GET only asks (link scanners follow).
@csrf_exempt
@never_cache
def hero_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    hero = _hero_from_manage_link(token)
    if hero is None:
        return _bad_link(request)
    if request.method == "POST":
        services.hero_unsubscribe(hero=hero)
        return _page(request, "unsubscribed.html", {"token": token})
    if hero.status != hero.Status.CONFIRMED:
        return _page(request, "not_subscribed.html", {"hero": hero, "token": token})
    return _page(request, "unsubscribe.html", {"hero": hero, "token": token})


@csrf_exempt
@require_POST
def hero_feedback(request: HttpRequest) -> HttpResponse:
    """Bounces and complaints from the mail provider: {"type": "bounce"|"complaint", "email"}."""
    secret = settings.NEWSLETTER_FEEDBACK_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return JsonResponse({"error": "not allowed"}, status=403)
    try:
        event = json.loads(request.body)
        kind, email = event["type"], event["email"]
        if kind not in ("bounce", "complaint") or not isinstance(email, str):
            raise ValueError(kind)
    except (ValueError, KeyError, TypeError):
        return JsonResponse(
            {"error": 'expected {"type": "bounce" or "complaint", "email": "..."}'}, status=400
        )
    known = services.hero_suppress(email=email, complaint=kind == "complaint")
    return JsonResponse({"suppressed": known})
