"""The Heroes emails' and partners' part in an appeal's life, through
appeals.lifecycle_hooks: the urgent alert when a high-risk appeal goes live, the partner
briefing for a restricted clearance, cancelling the emails not yet sent and telling
partners when it is taken down, and forgetting it at the retention purge. Registered
when the app is ready, in web and worker processes alike."""

from wagtail import hooks

from appeals.lifecycle_hooks import (
    AFTER_CLEARED_RESTRICTED,
    AFTER_GOES_LIVE,
    BEFORE_PURGE,
    TAKEDOWN_STEP,
)
from appeals.models import AppealPage, AppealTakedown
from homeward.jobs import enqueue_after_commit
from newsletter import jobs
from newsletter.services import (
    campaign_partner_briefing,
    campaigns_forget_appeal,
    campaigns_withdraw_appeal,
)
from newsletter.services.partner_notices import partner_notices_make


@hooks.register(AFTER_GOES_LIVE)
def urgent_alert_enqueue(*, appeal: AppealPage) -> None:
    # Once per appeal: the alert is a campaign unique to the appeal.
    if appeal.risk_level == AppealPage.RiskLevel.HIGH:
        enqueue_after_commit(jobs.campaign_urgent_alert, {"appeal_id": appeal.pk})


@hooks.register(AFTER_CLEARED_RESTRICTED)
def partner_briefing_send(*, appeal: AppealPage) -> None:
    campaign_partner_briefing(appeal=appeal)


@hooks.register(TAKEDOWN_STEP)
def emails_cancel_step():
    return AppealTakedown.Step.EMAILS, _emails_cancel


def _emails_cancel(takedown: AppealTakedown) -> dict:
    return {"cancelled": campaigns_withdraw_appeal(appeal_id=takedown.appeal_id)}


@hooks.register(TAKEDOWN_STEP)
def partners_tell_step():
    return AppealTakedown.Step.PARTNERS, _partners_tell


def _partners_tell(takedown: AppealTakedown) -> dict:
    return partner_notices_make(takedown=takedown)


@hooks.register(BEFORE_PURGE)
def appeal_forget(*, appeal_id: int) -> None:
    campaigns_forget_appeal(appeal_id=appeal_id)
