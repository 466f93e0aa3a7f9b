"""Jobs for the RQ workers. They stay thin: the work is in services.

Each job imports its service in its body: services enqueue these jobs, so importing them
here at the top would make the two modules need each other to load.
"""

from appeals.models import AppealPage


def delivery_send(*, delivery_id: int) -> bool:
    from newsletter.services import delivery_send

    return delivery_send(delivery_id=delivery_id)


def campaign_batch_send(*, campaign_id: int, batch: int) -> int:
    from newsletter.services import campaign_batch_send

    return campaign_batch_send(campaign_id=campaign_id, batch=batch)


def campaign_regular_due() -> None:
    from newsletter.services import campaign_regular_due

    campaign_regular_due()


def campaigns_sweep() -> dict[str, int]:
    from newsletter.services import campaigns_sweep

    return campaigns_sweep()


def heroes_expire_unconfirmed() -> int:
    from newsletter.services import heroes_expire_unconfirmed

    return heroes_expire_unconfirmed()


def campaign_urgent_alert(*, appeal_id: int) -> None:
    from newsletter.services import campaign_urgent_alert

    if appeal := AppealPage.objects.filter(pk=appeal_id).first():
        campaign_urgent_alert(appeal=appeal)


def partner_notice_send(*, notice_id: int) -> bool:
    from newsletter.services.partner_notices import partner_notice_send

    return partner_notice_send(notice_id=notice_id)


def partner_notices_sweep() -> int:
    from newsletter.services.partner_notices import partner_notices_sweep

    return partner_notices_sweep()


def partner_accesses_flush() -> int:
    from newsletter.services.partner_accesses import partner_accesses_flush

    return partner_accesses_flush()
