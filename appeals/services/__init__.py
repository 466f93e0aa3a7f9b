"""Writes for appeals. Views and jobs call these; each area of work has its own module."""

from appeals.services.closing import (
    AppealAlreadyClosed,
    appeal_close,
    appeals_expire_scheduled,
    scheduled_unpublishing_refuse,
)
from appeals.services.publicity import (
    StaleRevision,
    appeal_workflow_finish,
    police_authorisation_give,
    publicity_approval_refusal,
    publicity_check_approve,
    publicity_check_complete,
    publicity_check_for,
    publicity_expire,
    publicity_reminders_send,
    publicity_review,
    publicity_scheduled_refuse,
)
from appeals.services.retention import appeals_retention_purge
from appeals.services.return_home import return_home_interview_record
from appeals.services.takedown import appeal_takedown_run, takedown_retry, takedowns_sweep

__all__ = [
    "AppealAlreadyClosed",
    "StaleRevision",
    "appeal_close",
    "appeal_takedown_run",
    "appeal_workflow_finish",
    "appeals_expire_scheduled",
    "appeals_retention_purge",
    "police_authorisation_give",
    "publicity_approval_refusal",
    "publicity_check_approve",
    "publicity_check_complete",
    "publicity_check_for",
    "publicity_expire",
    "publicity_reminders_send",
    "publicity_review",
    "publicity_scheduled_refuse",
    "return_home_interview_record",
    "scheduled_unpublishing_refuse",
    "takedown_retry",
    "takedowns_sweep",
]
