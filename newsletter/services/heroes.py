"""Heroes' subscriptions: sign-up with double opt-in, choices, leaving, and suppression."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from homeward.jobs import enqueue_after_commit
from homeward.languages import DEFAULT_LANGUAGE
from homeward.models import PoliceForce
from newsletter import jobs
from newsletter.languages import language_is_offered
from newsletter.models import Delivery, Hero, HeroConsent, NewsletterSettings

# However often someone signs an address up, it gets at most one email in this time.
TRANSACTIONAL_EMAIL_GAP = timedelta(minutes=10)


class ConfirmOutcome:
    CONFIRMED = "confirmed"
    ALREADY = "already-confirmed"
    NOT_PENDING = "not-pending"


@transaction.atomic
def hero_sign_up(
    *,
    email: str,
    all_of_uk: bool,
    areas: Iterable[PoliceForce],
    urgent_alerts: bool,
    language: str = DEFAULT_LANGUAGE,
) -> None:
    """Start a subscription, or write to say it exists: the same to whoever asks.

    Nothing here reveals whether an address is subscribed: the person who owns the
    address learns it from the email they get, and the page says the same either way.
    ``language`` is that of their emails, this one's included.
    """
    # Before anything is written or sent.
    areas = [] if all_of_uk else _known_forces(areas)
    _offered(language)
    email = email.strip().lower()
    hero, _ = Hero.objects.get_or_create(email=email)
    hero = Hero.objects.select_for_update().get(pk=hero.pk)
    if hero.status == Hero.Status.CONFIRMED:
        # Their choices stand (only their own link changes them), their language too:
        # what they are told goes in the language they chose before.
        _email_hero(hero, Delivery.Kind.ALREADY_SUBSCRIBED)
        return
    if hero.status == Hero.Status.COMPLAINED:
        # They told their mail provider our email is spam: we never write again unasked.
        return
    now = timezone.now()
    hero.status = Hero.Status.PENDING
    hero.created_at = hero.status_changed_at = now  # the expiry clock starts again
    hero.language = language
    _set_choices(hero, all_of_uk=all_of_uk, areas=areas, urgent_alerts=urgent_alerts)
    _record_consent(hero, HeroConsent.Action.SIGNED_UP, policy=NewsletterSettings.load())
    _email_hero(hero, Delivery.Kind.CONFIRMATION)


@transaction.atomic
def hero_confirm(*, hero: Hero) -> str:
    hero = Hero.objects.select_for_update().get(pk=hero.pk)
    if hero.status == Hero.Status.CONFIRMED:
        return ConfirmOutcome.ALREADY
    if hero.status != Hero.Status.PENDING:
        return ConfirmOutcome.NOT_PENDING
    _activate(hero, agreed=hero.consents.filter(action=HeroConsent.Action.SIGNED_UP).last())
    return ConfirmOutcome.CONFIRMED


@transaction.atomic
def hero_resubscribe(*, hero: Hero) -> bool:
    """From a Hero's own manage link (proof they hold the address): no new opt-in needed."""
    hero = Hero.objects.select_for_update().get(pk=hero.pk)
    if hero.status != Hero.Status.UNSUBSCRIBED:
        return False
    _activate(hero, agreed=None)
    return True


@transaction.atomic
def hero_preferences_update(
    *,
    hero: Hero,
    all_of_uk: bool,
    areas: Iterable[PoliceForce],
    urgent_alerts: bool,
    language: str | None = None,
) -> None:
    """Their choices as they now want them; ``language`` None keeps theirs (the page
    asks only when the site offers more than one)."""
    areas = [] if all_of_uk else _known_forces(areas)
    if language is not None:
        _offered(language)
    hero = Hero.objects.select_for_update().get(pk=hero.pk)
    hero.language = language or hero.language
    _set_choices(hero, all_of_uk=all_of_uk, areas=areas, urgent_alerts=urgent_alerts)
    _record_consent(hero, HeroConsent.Action.CHANGED, policy=NewsletterSettings.load())


@transaction.atomic
def hero_unsubscribe(*, hero: Hero) -> bool:
    """Unsubscribe at once: nothing more is sent, including emails already queued."""
    hero = Hero.objects.select_for_update().get(pk=hero.pk)
    if hero.status != Hero.Status.CONFIRMED:
        return False
    _leave(hero, Hero.Status.UNSUBSCRIBED)
    _record_consent(hero, HeroConsent.Action.UNSUBSCRIBED, policy=NewsletterSettings.load())
    return True


@transaction.atomic
def hero_suppress(*, email: str, complaint: bool) -> bool:
    """A bounce or a spam complaint: stop sending to that address. False if unknown."""
    hero = Hero.objects.select_for_update().filter(email=email.strip().lower()).first()
    if hero is None:
        return False
    _leave(hero, Hero.Status.COMPLAINED if complaint else Hero.Status.BOUNCED)
    return True


def heroes_expire_unconfirmed(*, now: datetime | None = None) -> int:
    """Forget sign-ups never confirmed, HERO_UNCONFIRMED_RETENTION_DAYS after (the link
    itself lasts 3 days): the address, the choices and the consent record."""
    kept_for = timedelta(days=settings.HERO_UNCONFIRMED_RETENTION_DAYS)
    cutoff = (now or timezone.now()) - kept_for
    deleted, _ = Hero.objects.filter(status=Hero.Status.PENDING, created_at__lt=cutoff).delete()
    return deleted


def _set_choices(
    hero: Hero, *, all_of_uk: bool, areas: Iterable[PoliceForce], urgent_alerts: bool
) -> None:
    hero.all_of_uk = all_of_uk
    hero.urgent_alerts = urgent_alerts
    hero.save()
    hero.areas.set([] if all_of_uk else list(areas))


def _known_forces(areas: Iterable[PoliceForce]) -> list[PoliceForce]:
    """A subscription is to one or more of our police forces, or to all of the UK: never
    to nothing (it would look subscribed and get nothing), nor to a force we do not have."""
    areas = list(areas)
    if not areas:
        raise ValidationError("Choose at least one area, or all of the UK.")
    ids = {getattr(force, "pk", None) for force in areas}
    known = PoliceForce.objects.filter(pk__in=ids - {None})
    if None in ids or known.count() != len(ids):
        raise ValidationError("Choose areas from the list of police forces.")
    return list(known)


def _offered(language: str) -> None:
    """A Hero's language is one the site offers: its emails' words and its addresses."""
    if not language_is_offered(language):
        raise ValidationError(f"Homeward does not offer the language {language!r}.")


def _activate(hero: Hero, *, agreed: HeroConsent | None) -> None:
    now = timezone.now()
    hero.status = Hero.Status.CONFIRMED
    hero.confirmed_at = hero.status_changed_at = now
    hero.save(update_fields=["status", "confirmed_at", "status_changed_at"])
    policy = NewsletterSettings.load()
    _record_consent(
        hero,
        HeroConsent.Action.CONFIRMED,
        policy=policy,
        wording=(agreed.wording_version, agreed.wording) if agreed else None,
    )


def _leave(hero: Hero, status: str) -> None:
    hero.status = status
    hero.status_changed_at = timezone.now()
    hero.save(update_fields=["status", "status_changed_at"])
    hero.deliveries.filter(status=Delivery.Status.QUEUED).update(
        status=Delivery.Status.CANCELLED, error=f"Hero {status}"
    )


def _record_consent(
    hero: Hero,
    action: str,
    *,
    policy: NewsletterSettings,
    wording: tuple[int, str] | None = None,
) -> None:
    # The words as the page they were agreed on said them, in its language.
    version, text = wording or policy.consent_in(get_language())
    HeroConsent.objects.create(
        hero=hero,
        action=action,
        wording_version=version,
        wording=text,
        choices={
            "areas": hero.area_names(),
            "urgent_alerts": hero.urgent_alerts,
        },
    )


def _email_hero(hero: Hero, kind: str) -> None:
    """One transactional email, unless one of this kind went to them a moment ago."""
    recent = hero.deliveries.filter(
        kind=kind, created_at__gt=timezone.now() - TRANSACTIONAL_EMAIL_GAP
    )
    if recent.exists():
        return
    delivery = Delivery.objects.create(kind=kind, hero=hero)
    enqueue_after_commit(jobs.delivery_send, {"delivery_id": delivery.pk})
