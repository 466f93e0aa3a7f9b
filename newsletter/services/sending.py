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
from django.utils import timezone

from homeward.claims import new_claim
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
from newsletter.mime import MessageFrame, PreparedBody, ascii_address, message_bytes
from newsletter.models import ALL_OF_UK, Campaign, Delivery, Hero, NewsletterSettings, Partner
from newsletter.selectors import campaign_forces, content_for_areas
from newsletter.tokens import confirm_token, manage_token
from newsletter.transport import ConsoleTransport, Outcome, SmtpTransport, transport_open

# How often a live batch refreshes its claim, so the sweep never takes it for dead; well
# inside the sweep's threshold (campaigns.STALE_CLAIM_AFTER).
HEARTBEAT_SECONDS = 5

TRANSACTIONAL_SUBJECTS = {
    Delivery.Kind.CONFIRMATION: "Confirm you want to be a Homeward Hero",
    Delivery.Kind.ALREADY_SUBSCRIBED: "You are already a Homeward Hero",
}


@dataclass(frozen=True)
class Recipient:
    delivery_id: int
    email: str
    active: bool
    # Heroes only: whose links these are, and their areas (None: all of the UK).
    public_id: uuid.UUID | None = None
    forces: frozenset[int] | None = None


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
    frame = MessageFrame(
        sender=settings.DEFAULT_FROM_EMAIL, subject=campaign.subject, domain=_domain()
    )
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
                frame=frame,
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
    subject = TRANSACTIONAL_SUBJECTS[delivery.kind]
    context = email_context(
        subject=subject,
        # Only someone already subscribed has links to manage or leave a subscription.
        personal=delivery.kind == Delivery.Kind.ALREADY_SUBSCRIBED,
        wording=NewsletterSettings.load().wording(),
        choices=", ".join(hero.area_names()),
        confirm_url=absolute_url(reverse("hero-confirm", args=[confirm_token(hero.public_id)])),
    )
    recipient = _recipients(rows, transactional=True)[0]
    if not recipient.active:
        ledger.mark_cancelled(delivery_id=delivery_id, claim=claim, reason="no longer wanted")
        return False
    html, text = EmailRenderer(email_compiled(delivery.kind)).render(context)
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
    """A campaign's email, rendered and encoded once per distinct set of appeals."""

    def __init__(self, campaign: Campaign) -> None:
        self._campaign = campaign
        self._renderer = EmailRenderer(
            EmailSource(html=campaign.html_template, text=campaign.text_template)
        )
        self._forces = campaign_forces(campaign.content)
        self._bodies: dict = {}

    def body_for(self, recipient: Recipient) -> PreparedBody:
        if self._campaign.kind != Campaign.Kind.REGULAR or recipient.forces is None:
            key = None
        else:
            key = recipient.forces & self._forces
        key = (key, recipient.public_id is not None)
        body = self._bodies.get(key)
        if body is None:
            body = self._bodies[key] = self._render(forces=key[0], hero=key[1])
        return body

    def _render(self, *, forces: frozenset[int] | None, hero: bool) -> PreparedBody:
        content = content_for_areas(self._campaign.content, forces)
        html, text = self._renderer.render(
            email_context(subject=self._campaign.subject, personal=hero, **content)
        )
        return PreparedBody.prepare(html=html, text=text, placeholders=PLACEHOLDERS)


def _personal_values(recipient: Recipient) -> dict[str, str]:
    if recipient.public_id is None:
        return {}
    return {
        AREAS: _area_names(recipient.forces),
        MANAGE_URL: _link("hero-manage", recipient),
        UNSUBSCRIBE_URL: _link("hero-unsubscribe", recipient),
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
            _link("hero-unsubscribe", recipient),
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
        hero_id: (email, public_id, status, all_of_uk)
        for hero_id, email, public_id, status, all_of_uk in Hero.objects.filter(
            pk__in=hero_ids
        ).values_list("id", "email", "public_id", "status", "all_of_uk")
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
            email, public_id, status, all_of_uk = heroes[hero_id]
            recipients.append(
                Recipient(
                    delivery_id=delivery_id,
                    email=email,
                    active=status in wanted,
                    public_id=public_id,
                    forces=None if all_of_uk else frozenset(areas.get(hero_id, ())),
                )
            )
        else:
            email = partners.get(partner_id, "")
            recipients.append(Recipient(delivery_id=delivery_id, email=email, active=bool(email)))
    return recipients


def _link(name: str, recipient: Recipient) -> str:
    return _link_prefix(name) + manage_token(recipient.public_id) + "/"


@cache
def _link_prefix(name: str) -> str:
    return absolute_url(reverse(name, args=["TOKEN"])).removesuffix("TOKEN/")


def _area_names(forces: frozenset[int] | None) -> str:
    if forces is None:
        return ALL_OF_UK
    names = _force_names()
    return ", ".join(sorted(names[force_id] for force_id in forces if force_id in names))


@cache
def _force_names() -> dict[int, str]:
    return dict(PoliceForce.objects.values_list("id", "name"))


def _envelope_sender() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def _domain() -> str:
    return _envelope_sender().rpartition("@")[2] or "homeward.invalid"
