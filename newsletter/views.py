"""Public pages for Heroes: sign up, confirm, choose areas, unsubscribe. No account needed."""

import hmac
import json
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from homeward.places import Place
from homeward.ratelimit import client_key, rate_limit_exceeded
from newsletter import services
from newsletter.forms import ManageForm, SignUpForm, WhereForm
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


# No CSRF token on Heroes' pages, so they set no cookie (the cookie statement says the
# public get none). A forged sign-up only sends a confirmation the owner of the address
# ignores (double opt-in, rate-limited, one email per address per 10 minutes); confirm,
# manage and unsubscribe act on a signed token in the address, which a forger lacks.
@csrf_exempt
@never_cache
def hero_sign_up(request: HttpRequest) -> HttpResponse:
    """Two pages at one address, without JavaScript: where (a postcode or town, areas from
    the list, or all of the UK) and the email address; then the areas that means, to
    adjust, with urgent alerts and the agreement. The button pressed says which."""
    policy = NewsletterSettings.load()
    action = request.POST.get("action")
    if request.method != "POST":
        return _where_page(request, WhereForm())
    if action == "change":
        return _where_page(request, WhereForm(initial=_said_back(request.POST)))
    if action not in ("find", "sign-up"):
        where = WhereForm(request.POST)
        if not where.is_valid():
            return _where_page(request, where)
        if where.is_robot():
            return redirect("hero-check-email")
        return _areas_page(request, SignUpForm(initial=where.carried_forward(), **_wording(policy)))

    finding = action == "find"
    if not finding and _too_many(request):
        return _page(request, "too_many.html", status=429)
    form = SignUpForm(request.POST, finding=finding, **_wording(policy))
    if not form.is_valid():
        if "email" in form.errors or "address_is_right" in form.errors:
            return _where_page(request, WhereForm(request.POST))  # the address is asked there
        return _areas_page(request, form)
    if finding:
        found = form.cleaned_data["place"]
        form = SignUpForm(initial=form.carried_forward(), **_wording(policy))
        return _areas_page(request, form, found=found)
    if form.is_robot():
        logger.info("Hero sign-up refused: the hidden field was filled in")
    else:
        services.hero_sign_up(email=form.cleaned_data["email"], **form.choices())
    # The same answer whoever signs up, so no one can test which addresses are ours.
    return redirect("hero-check-email")


def _wording(policy: NewsletterSettings) -> dict:
    return {"consent_wording": policy.consent_in(get_language())[1]}


def _said_back(data) -> dict:
    """The first page again, as it was answered: the address and the last place given."""
    places = data.getlist("places_said")
    return {
        "email": data.get("email", ""),
        "address_is_right": bool(data.get("address_is_right")),
        "place": places[-1] if places else "",
    }


def _too_many(request: HttpRequest) -> bool:
    limit, window = settings.HERO_SIGN_UP_RATE_LIMIT
    return rate_limit_exceeded(
        scope="hero-sign-up", key=client_key(request), limit=limit, window=window
    )


def _where_page(request, form: WhereForm) -> HttpResponse:
    status = 400 if form.errors else 200
    return _page(request, "sign_up.html", {"form": form}, status=status)


def _areas_page(request, form: SignUpForm, found: Place | None = None) -> HttpResponse:
    status = 400 if form.errors else 200
    return _page(request, "sign_up_areas.html", {"form": form, "found": found}, status=status)


@never_cache
def hero_check_email(request: HttpRequest) -> HttpResponse:
    return _page(request, "check_email.html")


@csrf_exempt
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


@csrf_exempt
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
    finding = request.POST.get("action") == "find"
    form = ManageForm(request.POST or None, finding=finding, initial=ManageForm.initial_for(hero))
    saved, found = False, None
    if request.method == "POST" and form.is_valid():
        if finding:
            found = form.cleaned_data["place"]
            form = ManageForm(initial=form.carried_forward())
        else:
            services.hero_preferences_update(hero=hero, **form.choices())
            hero.refresh_from_db()
            form = ManageForm(initial=ManageForm.initial_for(hero))  # as saved, places gone
            saved = True
    status = 400 if form.errors else 200
    return _page(
        request,
        "manage.html",
        {"form": form, "hero": hero, "token": token, "saved": saved, "found": found},
        status=status,
    )


# RFC 8058 one-click unsubscribes are POSTed by mail providers, with no CSRF token either.
# A GET only asks (link scanners follow).
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
