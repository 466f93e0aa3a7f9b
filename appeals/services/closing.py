"""Closing an appeal: found, or its publicity withdrawn; or its publicity ending.

Closing marks the appeal and unpublishes the page in one transaction (its address answers
410 Gone from that commit), then starts its takedown (appeals.services.takedown), which
clears every other surface. An ended publicity clearance, or a scheduled unpublishing date,
takes the appeal down the same way but leaves it open: the person is still missing. Its
takedown record (outcome "expired") lasts until a renewed check puts the appeal live again,
or until it is closed after all.

A child found is owed a return home interview: closing records it as due, in the same
transaction (appeals.models.return_home), as it does the episode's anonymous statistics
row (appeals.services.statistics).

After APPEAL_RETENTION_DAYS the retention purge (appeals.services.retention) forgets the
person.
"""

from datetime import datetime
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.actions.unpublish_page import UnpublishPageAction
from wagtail.log_actions import log
from wagtail.models import Page

from appeals.models import AppealPage, AppealTakedown, ReturnHomeInterview
from appeals.off_site import unpublish_refusal
from appeals.services.statistics import episode_statistic_record
from appeals.services.takedown import takedown_run_at_once

CLOSING_OUTCOMES = (AppealTakedown.Outcome.FOUND, AppealTakedown.Outcome.WITHDRAWN)


class AppealAlreadyClosed(ValidationError):
    """Someone else closed the appeal first (or its clearance ended)."""


def appeal_close(
    *, appeal: AppealPage, user: AbstractBaseUser, outcome: str, reason: str
) -> AppealTakedown:
    """Mark an appeal found or withdrawn and start its takedown at once.

    Staff who may publish, or an officer of the owning force. The reason is for staff
    and police only: it is never published, and it is purged with the person's data.
    """
    if not appeal.permissions_for_user(user).can_close():
        if appeal.is_closed:
            raise AppealAlreadyClosed("This appeal is closed already.")
        raise PermissionDenied("Only publishers or the force that owns the case can close it.")
    reason = reason.strip()
    errors = {}
    if outcome not in CLOSING_OUTCOMES:
        errors["outcome"] = "Choose whether they were found or publicity was withdrawn."
    if not reason:
        errors["reason"] = "Give the reason: staff and police will see it, the public never."
    elif len(reason) > AppealTakedown._meta.get_field("reason").max_length:
        errors["reason"] = "Keep the reason under 1,000 characters."
    if errors:
        raise ValidationError(errors)
    return _takedown_start(appeal=appeal, outcome=outcome, reason=reason, user=user)


def appeal_expire(
    *, appeal: AppealPage, reason: str = "The publicity clearance reached its review date."
) -> AppealTakedown | None:
    """The live appeal's publicity ended: the same takedown, outcome "expired".

    The appeal stays open (still missing, no closed_at, so no retention purge starts) and
    any workflow under way stays, since it may be the renewal.
    """
    try:
        return _takedown_start(
            appeal=appeal,
            outcome=AppealTakedown.Outcome.EXPIRED,
            reason=reason,
            user=None,
            log_action="homeward.publicity.expired",
        )
    except AppealAlreadyClosed:
        return None


def appeals_expire_scheduled(*, now: datetime) -> list[AppealPage]:
    """Live appeals whose scheduled unpublishing (Wagtail's expiry date) has come: their
    publicity ends with the takedown, as at the end of a clearance. Wagtail's scheduled
    publishing would only unpublish them, which the model refuses (appeals.off_site)."""
    due = AppealPage.objects.live().filter(expire_at__lt=now)
    return [
        appeal
        for appeal in due
        if appeal_expire(appeal=appeal, reason="Its scheduled unpublishing date was reached.")
    ]


def scheduled_unpublishing_refuse(*, now: datetime) -> list[Page]:
    """Pages above live appeals whose scheduled unpublishing has come: it is cancelled (its
    date cleared, and logged). Unpublishing them would take appeals off the site without
    their takedown, so the model refuses it, and Wagtail's scheduled publishing would stop
    at that refusal every minute, holding up every other page's."""
    due = Page.objects.live().not_type(AppealPage).filter(expire_at__lt=now)
    refused = [page for page in due if unpublish_refusal(page)]
    for page in refused:
        Page.objects.filter(pk=page.pk).update(expire_at=None)
        log(
            instance=page,
            action="homeward.unpublishing.refused",
            data={"reason": "scheduled to be unpublished while it holds live appeals"},
        )
    return refused


@transaction.atomic
def _takedown_start(
    *,
    appeal: AppealPage,
    outcome: str,
    reason: str,
    user: AbstractBaseUser | None,
    log_action: str = "wagtail.unpublish",
) -> AppealTakedown:
    page = AppealPage.objects.select_for_update().get(pk=appeal.pk)
    existing = AppealTakedown.objects.select_for_update().filter(appeal=page).first()
    closing = outcome in CLOSING_OUTCOMES
    if page.is_closed or (
        existing and not (closing and existing.outcome == existing.Outcome.EXPIRED)
    ):
        raise AppealAlreadyClosed("This appeal is closed already.")
    now = timezone.now()
    # Closing an appeal that is down after expiry takes over its record and runs every
    # step again (all are safe to repeat): drafts since may have added photos.
    takedown, _ = AppealTakedown.objects.update_or_create(
        appeal=page,
        defaults={
            "appeal_number": page.pk,
            "police_force_id": page.police_force_id,
            "outcome": outcome,
            "reason": reason,
            "closed_by": user,
            "missing_since": page.missing_since,
            "first_published_at": page.first_published_at,
            "closed_at": now,
            "steps": {},
            "attempts": 0,
            "last_attempt_at": None,
            "last_error": "",
            "completed_at": None,
        },
    )
    if page.live:
        # Purges the page cache and the frontend cache after the commit (signal handlers).
        # Closing is the authority: a police officer holds no unpublish permission.
        UnpublishPageAction(page, user=user, log_action=log_action).execute(
            skip_permission_checks=True
        )
    if closing:
        AppealPage.objects.filter(pk=page.pk).update(status=outcome, closed_at=now)
        if page.current_workflow_state:
            page.current_workflow_state.cancel(user=user)
        log(instance=page, action="homeward.appeal.closed", user=user, data={"outcome": outcome})
        if outcome == AppealTakedown.Outcome.FOUND and page.is_child:
            ReturnHomeInterview.due_for(page, found_at=now)
        episode_statistic_record(appeal=page, takedown=takedown)
    # The steps that touch only our own storage run right after the commit, so the photos
    # leave the public media before the closing request answers, whether or not the queue
    # is up; the CDN's purges, which may be slow, go to a worker (or the sweep).
    transaction.on_commit(partial(takedown_run_at_once, takedown=takedown))
    return takedown
