"""Writes for appeals. Views and jobs call these; each area of work has its own module."""

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

__all__ = [
    "StaleRevision",
    "appeal_workflow_finish",
    "police_authorisation_give",
    "publicity_approval_refusal",
    "publicity_check_approve",
    "publicity_check_complete",
    "publicity_check_for",
    "publicity_expire",
    "publicity_reminders_send",
    "publicity_review",
    "publicity_scheduled_refuse",
]
