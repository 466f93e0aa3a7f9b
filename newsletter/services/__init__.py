"""Writes for Heroes: subscriptions, campaigns and sending. Views and jobs call these."""

from newsletter.services.campaigns import (
    campaign_cancel,
    campaign_partner_briefing,
    campaign_regular_due,
    campaign_urgent_alert,
    campaigns_forget_appeal,
    campaigns_sweep,
    campaigns_withdraw_appeal,
)
from newsletter.services.heroes import (
    ConfirmOutcome,
    hero_confirm,
    hero_preferences_update,
    hero_resubscribe,
    hero_sign_up,
    hero_suppress,
    hero_unsubscribe,
    heroes_expire_unconfirmed,
)
from newsletter.services.sending import campaign_batch_send, delivery_send

__all__ = [
    "ConfirmOutcome",
    "campaign_batch_send",
    "campaign_cancel",
    "campaign_partner_briefing",
    "campaign_regular_due",
    "campaign_urgent_alert",
    "campaigns_forget_appeal",
    "campaigns_sweep",
    "campaigns_withdraw_appeal",
    "delivery_send",
    "hero_confirm",
    "hero_preferences_update",
    "hero_resubscribe",
    "hero_sign_up",
    "hero_suppress",
    "hero_unsubscribe",
    "heroes_expire_unconfirmed",
]
