"""Sending what the ledger holds: a campaign's batch, or one email to one Hero."""

import smtplib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parseaddr
from functools import cache
from time import monotonic

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from homeward.claims import new_claim
from homeward.languages import DEFAULT_LANGUAGE, language_path
from homeward.links import absolute_url
from homeward.models import PoliceForce
from newsletter import ledger
from newsletter.emails import (
    AREAS,
    MANAGE_URL,
    PLACEHOLDERS,
    UNSUBSCRIBE_URL,
    EmailRenderer,
    EmailSource,
    email_compiled,
    email_context,
)
from newsletter.languages import email_language
from newsletter.mime import MessageFrame, PreparedBody, ascii_address, message_bytes
from newsletter.models import (
    ALL_OF_UK_NAMED,
    Campaign,
    Delivery,
    Hero,
    NewsletterSettings,
    Partner,
)
from newsletter.selectors import campaign_forces, content_for_areas, content_in_language
from newsletter.tokens import confirm_token, manage_token
from newsletter.transport import ConsoleTransport, Outcome, SmtpTransport, transport_open

# How often a live batch refreshes its claim, so the sweep never takes it for dead; well
# inside the sweep's threshold (campaigns.STALE_CLAIM_AFTER).
HEARTBEAT_SECONDS = 5

TRANSACTIONAL_SUBJECTS = {
    Delivery.Kind.CONFIRMATION: _("Confirm you want to be a Homeward Hero"),
    Delivery.Kind.ALREADY_SUBSCRIBED: _("You are already a Homeward Hero"),
}


@dataclass(frozen=True)
class Recipient:
    delivery_id: int
    email: str
    active: bool
    # Heroes only: whose links these are, and their areas (None: all of the UK).
    public_id: uuid.UUID | None = None
    forces: frozenset[int] | None = None
    # The language the email goes in (partners are written to in English).
    language: str = DEFAULT_LANGUAGE


def campaign_batch_send(*, campaign_id: int, batch: int) -> int:
    """Send one batch of a campaign; returns how many were sent. Safe to run again."""
    campaign = Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).first()
    if campaign is None:
        return 0
    claim = new_claim()
    rows = ledger.claim_batch(campaign_id=campaign_id, batch=batch, claim=claim)
    if not rows:
        return 0
    Campaign.objects.filter(pk=campaign_id).update(last_progress_at=timezone.now())
    renderer = CampaignRenderer(campaign)
    sent = 0
    beat_due = monotonic() + HEARTBEAT_SECONDS
    with _sending(claim) as transport:
        for recipient in _recipients(rows):
            # A clock read per message; an UPDATE only every few seconds.
            if monotonic() >= beat_due:
                if not ledger.heartbeat(campaign_id=campaign_id, batch=batch, claim=claim):
                    break  # the sweep took us for dead and queued our rows again
                beat_due = monotonic() + HEARTBEAT_SECONDS
            if not recipient.active:
                ledger.mark_cancelled(
                    delivery_id=recipient.delivery_id, claim=claim, reason="unsubscribed"
                )
                continue
            outcome = _deliver(
                transport,
                frame=renderer.frame_for(recipient.language),
                recipient=recipient,
                claim=claim,
                body=renderer.body_for(recipient),
            )
            if outcome is Outcome.NOT_SENT:
                break  # likewise: nothing left in this claim is ours
            sent += outcome is Outcome.SENT
    campaign_finish_if_done(campaign_id=campaign_id)
    return sent


def delivery_send(*, delivery_id: int) -> bool:
    """Send one transactional email (a confirmation): once, whoever calls."""
    claim = new_claim()
    rows = ledger.claim_one(delivery_id=delivery_id, claim=claim)
    if not rows:
        return False
    delivery = Delivery.objects.select_related("hero").get(pk=delivery_id)
    hero = delivery.hero
    recipient = _recipients(rows, transactional=True)[0]
    if not recipient.active:
        ledger.mark_cancelled(delivery_id=delivery_id, claim=claim, reason="no longer wanted")
        return False
    language = recipient.language
    with translation.override(language):
        subject = str(TRANSACTIONAL_SUBJECTS[delivery.kind])
        choices = hero.areas_named()
    context = email_context(
        subject=subject,
        # Only someone already subscribed has links to manage or leave a subscription.
        personal=delivery.kind == Delivery.Kind.ALREADY_SUBSCRIBED,
        wording=NewsletterSettings.load().wording(language),
        choices=choices,
        confirm_url=_public_link("hero-confirm", confirm_token(hero.public_id), language),
    )
    html, text = EmailRenderer(email_compiled(delivery.kind)).render(context, language=language)
    body = PreparedBody.prepare(html=html, text=text, placeholders=PLACEHOLDERS)
    frame = MessageFrame(sender=settings.DEFAULT_FROM_EMAIL, subject=subject, domain=_domain())
    with _sending(claim) as transport:
        outcome = _deliver(
            transport, frame=frame, recipient=recipient, claim=claim, body=body, one_click=False
        )
    return outcome is Outcome.SENT


@contextmanager
def _sending(claim: int) -> Iterator[SmtpTransport | ConsoleTransport]:
    """A transport for one claim's messages; if the connection fails, the claim's rows not
    yet handed over go back to the queue at once, and the error is raised for the job to
    fail. A row in doubt when it failed stays "uncertain" for the sweep to judge."""
    with transport_open() as transport:
        try:
            yield transport
        except (smtplib.SMTPException, OSError):
            ledger.release(claim=claim)
            raise


def campaign_finish_if_done(*, campaign_id: int) -> bool:
    """Done once nothing more will be sent. A message in doubt ("uncertain") is finished
    for the regular email, which never sends it again, but not for an urgent alert or a
    briefing: it is waiting for the server's reply, or for the sweep to queue it again."""
    unfinished = Delivery.objects.filter(campaign_id=campaign_id).filter(
        Q(status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING])
        | Q(status=Delivery.Status.UNCERTAIN, campaign__kind__in=ledger.AT_LEAST_ONCE)
    )
    with transaction.atomic():
        if unfinished.exists():
            return False
        return bool(
            Campaign.objects.filter(pk=campaign_id, status=Campaign.Status.SENDING).update(
                status=Campaign.Status.DONE, finished_at=timezone.now()
            )
        )


class CampaignRenderer:
    """A campaign's email, rendered and encoded once per segment: Heroes with the same
    appeals in their areas, written to in the same language, get the same email."""

    def __init__(self, campaign: Campaign) -> None:
        self._campaign = campaign
        self._renderer = EmailRenderer(
            EmailSource(html=campaign.html_template, text=campaign.text_template)
        )
        self._forces = campaign_forces(campaign.content)
        self._bodies: dict = {}
        self._frames: dict[str, MessageFrame] = {}

    def body_for(self, recipient: Recipient) -> PreparedBody:
        if self._campaign.kind != Campaign.Kind.REGULAR or recipient.forces is None:
            forces = None
        else:
            forces = recipient.forces & self._forces
        key = (forces, recipient.public_id is not None, recipient.language)
        body = self._bodies.get(key)
        if body is None:
            body = self._bodies[key] = self._render(*key)
        return body

    def frame_for(self, language: str) -> MessageFrame:
        """Sender and subject, encoded once per language."""
        frame = self._frames.get(language)
        if frame is None:
            frame = self._frames[language] = MessageFrame(
                sender=settings.DEFAULT_FROM_EMAIL,
                subject=self._subject_in(language),
                domain=_domain(),
            )
        return frame

    def _subject_in(self, language: str) -> str:
        # In English if the site began to offer the language after the campaign was made.
        return self._campaign.content.get("subjects", {}).get(language, self._campaign.subject)

    def _render(self, forces: frozenset[int] | None, hero: bool, language: str) -> PreparedBody:
        content = content_in_language(content_for_areas(self._campaign.content, forces), language)
        context = email_context(subject=self._subject_in(language), personal=hero, **content)
        html, text = self._renderer.render(context, language=language)
        return PreparedBody.prepare(html=html, text=text, placeholders=PLACEHOLDERS)


def _personal_values(recipient: Recipient) -> dict[str, str]:
    if recipient.public_id is None:
        return {}
    token = manage_token(recipient.public_id)
    return {
        AREAS: _area_names(recipient.forces, recipient.language),
        MANAGE_URL: _public_link("hero-manage", token, recipient.language),
        UNSUBSCRIBE_URL: _public_link("hero-unsubscribe", token, recipient.language),
    }


def _deliver(
    transport: SmtpTransport | ConsoleTransport,
    *,
    frame: MessageFrame,
    recipient: Recipient,
    claim: int,
    body: PreparedBody,
    one_click: bool = True,
) -> Outcome:
    unsubscribe = None
    if one_click and recipient.public_id:
        token = manage_token(recipient.public_id)
        unsubscribe = (
            f"mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILBOX}?subject=unsubscribe%20{token}",
            _public_link("hero-unsubscribe", token, recipient.language),
        )
    message = message_bytes(
        frame=frame,
        message_id=f"homeward.{recipient.delivery_id}",
        recipient=recipient.email,
        body=body,
        values=_personal_values(recipient),
        unsubscribe=unsubscribe,
    )
    result = transport.send(
        sender=_envelope_sender(),
        recipient=ascii_address(recipient.email),
        message=message,
        record_handed_over=lambda: ledger.mark_handed_over(
            delivery_id=recipient.delivery_id, claim=claim
        ),
    )
    if result.outcome is Outcome.SENT:
        ledger.mark_sent(delivery_id=recipient.delivery_id, claim=claim)
    elif result.outcome is Outcome.REFUSED:
        ledger.mark_failed(delivery_id=recipient.delivery_id, claim=claim, error=result.reply)
    elif result.outcome is Outcome.TRY_LATER:
        ledger.retry_later(delivery_id=recipient.delivery_id, claim=claim, error=result.reply)
    return result.outcome


def _recipients(
    rows: list[tuple[int, int | None, int | None]], *, transactional: bool = False
) -> list[Recipient]:
    """Who each claimed row goes to, and whether they still want it.

    Campaigns go to confirmed Heroes only; a confirmation also to one still pending.
    """
    wanted = {Hero.Status.CONFIRMED, *([Hero.Status.PENDING] if transactional else [])}
    hero_ids = [hero_id for _, hero_id, _ in rows if hero_id]
    partner_ids = [partner_id for _, _, partner_id in rows if partner_id]
    heroes = {
        hero_id: (email, public_id, status, all_of_uk, language)
        for hero_id, email, public_id, status, all_of_uk, language in Hero.objects.filter(
            pk__in=hero_ids
        ).values_list("id", "email", "public_id", "status", "all_of_uk", "language")
    }
    areas: dict[int, set[int]] = {}
    for hero_id, force_id in Hero.areas.through.objects.filter(hero_id__in=hero_ids).values_list(
        "hero_id", "policeforce_id"
    ):
        areas.setdefault(hero_id, set()).add(force_id)
    partners = dict(
        Partner.objects.filter(pk__in=partner_ids, active=True).values_list("id", "email")
    )
    recipients = []
    for delivery_id, hero_id, partner_id in rows:
        if hero_id:
            email, public_id, status, all_of_uk, language = heroes[hero_id]
            recipients.append(
                Recipient(
                    delivery_id=delivery_id,
                    email=email,
                    active=status in wanted,
                    public_id=public_id,
                    forces=None if all_of_uk else frozenset(areas.get(hero_id, ())),
                    language=email_language(language),
                )
            )
        else:
            email = partners.get(partner_id, "")
            recipients.append(Recipient(delivery_id=delivery_id, email=email, active=bool(email)))
    return recipients


def _public_link(name: str, token: str, language: str) -> str:
    """A Hero's own link, to their page in the language of their email."""
    return absolute_url(_path_prefix(name, language) + token + "/")


@cache
def _path_prefix(name: str, language: str) -> str:
    # Reversed in English (no prefix in front), whichever language is active. The site's
    # address is joined on each time: a setting, which tests change.
    with translation.override(DEFAULT_LANGUAGE):
        english = reverse(name, args=["TOKEN"])
    return language_path(english, language).removesuffix("TOKEN/")


def _area_names(forces: frozenset[int] | None, language: str) -> str:
    if forces is None:
        return _all_of_uk_in(language)
    names = _force_names()
    return ", ".join(sorted(names[force_id] for force_id in forces if force_id in names))


@cache
def _all_of_uk_in(language: str) -> str:
    with translation.override(language):
        return str(ALL_OF_UK_NAMED)


@cache
def _force_names() -> dict[int, str]:
    return dict(PoliceForce.objects.values_list("id", "name"))


def _envelope_sender() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def _domain() -> str:
    return _envelope_sender().rpartition("@")[2] or "homeward.invalid"
