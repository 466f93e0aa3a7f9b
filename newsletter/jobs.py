"""Jobs for the RQ workers. They stay thin: the work is in services."""

from newsletter import services


def delivery_send(*, delivery_id: int) -> bool:
    return services.delivery_send(delivery_id=delivery_id)


def campaign_batch_send(*, campaign_id: int, batch: int) -> int:
    return services.campaign_batch_send(campaign_id=campaign_id, batch=batch)


def campaign_regular_due() -> None:
    services.campaign_regular_due()


def campaigns_sweep() -> dict[str, int]:
    return services.campaigns_sweep()


def heroes_expire_unconfirmed() -> int:
    return services.heroes_expire_unconfirmed()


def campaign_urgent_alert(*, appeal_id: int) -> None:
    from appeals.models import AppealPage

    appeal = AppealPage.objects.filter(pk=appeal_id).first()
    if appeal is not None:
        services.campaign_urgent_alert(appeal=appeal)
