"""Writes for the publicity safety check: completion, approval, expiry and reminders."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.log_actions import log
from wagtail.models import Revision, TaskState
from wagtail.workflows import publish_workflow_state

from appeals.models import (
    AppealPage,
    PoliceAuthorisation,
    PublicityCheck,
    PublicityCheckTask,
    PublicityDecision,
    page_hold,
)
from appeals.models.permissions import AUTHORISE_PUBLICITY, own_force_id
from appeals.models.publicity import needs_four_eyes
from appeals.services.closing import appeal_expire
from homeward.links import absolute_url
from homeward.text import single_line

logger = logging.getLogger(__name__)

REMIND_BEFORE = timedelta(days=2)


class StaleRevision(ValidationError):
    """The appeal changed while someone was reviewing it."""


def police_authorisation_give(
    *, appeal: AppealPage, user: AbstractBaseUser, officer_name: str, authorised_on
) -> PoliceAuthorisation:
    """A police officer of the owning force authorises publicity for the appeal's case."""
    draft = appeal.get_latest_revision_as_object()
    if own_force_id(user, AUTHORISE_PUBLICITY) != draft.police_force_id:
        raise PermissionDenied("Only an officer of the force that owns the case can authorise.")
    authorisation = PoliceAuthorisation(
        appeal=appeal,
        authorised_by=user,
        force=draft.police_force,
        officer_name=officer_name,
        case_reference=draft.case_reference,
        authorised_on=authorised_on,
    )
    authorisation.full_clean()
    authorisation.save()
    log(
        instance=appeal,
        action="homeward.publicity.police_authorised",
        user=user,
        data={"force": draft.police_force.name, "authorised_on": authorised_on.isoformat()},
    )
    return authorisation


@transaction.atomic
def publicity_check_complete(
    *, task_state: TaskState, user: AbstractBaseUser, revision_id: int, answers: dict
) -> PublicityCheck:
    """Record a safeguarding lead's checklist for the revision they reviewed.

    The check covers exactly that revision: if the appeal changed since the page was
    opened, nothing is saved and the lead must review the new version. A check that
    breaks a rule of the checklist raises ValidationError and saves nothing.
    """
    task_state = TaskState.objects.select_for_update().get(pk=task_state.pk).specific
    if task_state.status != TaskState.STATUS_IN_PROGRESS or not isinstance(
        task_state.task.specific, PublicityCheckTask
    ):
        raise PermissionDenied("This appeal is not waiting for a publicity safety check.")
    appeal = task_state.workflow_state.content_object.specific
    revision = appeal.get_latest_revision()
    if revision.pk != revision_id:
        raise StaleRevision(
            "The appeal was changed while you were checking it. Review the new version."
        )
    content = revision.as_object()
    check = PublicityCheck(
        appeal=appeal,
        revision=revision,
        completed_by=user,
        completed_at=timezone.now(),
        four_eyes_required=needs_four_eyes(content),
        **answers,
    )
    # Every rule of the checklist, whoever calls: a check that breaks one saves nothing.
    check.full_clean(exclude=["expires_at"])  # save() sets it from the review date
    check.save()
    log(
        instance=appeal,
        action="homeward.publicity.checked",
        user=user,
        revision=revision,
        data={
            "check_id": check.pk,
            "decision": check.decision,
            "review_date": check.review_date.isoformat(),
        },
    )
    if task_state.revision_id != revision.pk:
        # The check is of the latest revision: the workflow must count it as such.
        task_state.revision = revision
        task_state.save(update_fields=["revision"])
    task_state.approve(user=user, comment=f"Decision: {check.get_decision_display()}")
    return check


def publicity_check_for(revision: Revision) -> PublicityCheck | None:
    return PublicityCheck.objects.filter(revision=revision).order_by("-completed_at").first()


def publicity_approval_refusal(*, appeal: AppealPage, user: AbstractBaseUser) -> str:
    """Why this person may not give final approval of the appeal's check now ('' if they may)."""
    check = publicity_check_for(appeal.get_latest_revision())
    if check is None:
        return "No publicity safety check has been completed for this version of the appeal."
    if check.expires_at <= timezone.now():
        return "The publicity safety check has reached its review date: it must be done again."
    if check.four_eyes_required and check.completed_by_id == user.pk:
        return (
            "This appeal is flagged trafficked or unaccompanied: the person who completed "
            "the safety check cannot also approve it."
        )
    return ""


def publicity_check_approve(
    *, task_state: TaskState, user: AbstractBaseUser, comment: str = ""
) -> PublicityCheck:
    """The final approval of the check: the clearance starts here, and a public appeal
    goes live (through the workflow finishing).

    Approvals of one appeal go one at a time: one that read the task before another
    approval finished (a double click, the dashboard and the editor at once) is refused
    before it writes anything, so nothing is approved, published or announced twice.
    """
    appeal = task_state.workflow_state.content_object.specific
    with transaction.atomic():
        page_hold(appeal.pk)
        task_state = TaskState.objects.select_for_update().get(pk=task_state.pk).specific
        if task_state.status != TaskState.STATUS_IN_PROGRESS:
            raise PermissionDenied(
                "This appeal was approved already, or its approval was withdrawn: "
                "nothing was changed."
            )
        refusal = publicity_approval_refusal(appeal=appeal, user=user)
        if not refusal:
            check = publicity_check_for(appeal.get_latest_revision())
            check.approved_by = user
            check.approved_at = timezone.now()
            check.save(update_fields=["approved_by", "approved_at"])
            log(
                instance=appeal,
                action="homeward.publicity.approved",
                user=user,
                revision=check.revision,
                data={"check_id": check.pk, "decision": check.decision},
            )
            task_state.approve(user=user, comment=comment)
            return check
    # Logged once the transaction has ended, so that the refusal stays on record.
    log(
        instance=appeal,
        action="homeward.publicity.approval_refused",
        user=user,
        data={"reason": refusal},
    )
    raise PermissionDenied(refusal)


def appeal_workflow_finish(workflow_state, user=None) -> None:
    """What happens when an appeal's workflow is approved (WAGTAIL_FINISH_WORKFLOW_ACTION).

    Only a public decision publishes. A restricted briefing or no publicity leaves the
    page unpublished: the decision is kept on the check for the fan-out to act on.
    """
    instance = workflow_state.content_object.specific
    if not isinstance(instance, AppealPage):
        return publish_workflow_state(workflow_state, user=user)
    revision = instance.get_latest_revision()
    check = publicity_check_for(revision)
    if check and check.decision == PublicityDecision.PUBLIC:
        # The approval is the authority to publish: no one holds a publish permission
        # for appeals (AppealPermissionTester), and the page's save() checks the clearance.
        revision.publish(user=user, skip_permission_checks=True)
    else:
        log(
            instance=instance,
            action="homeward.publicity.withheld",
            user=user,
            revision=revision,
            data={"decision": check.decision if check else ""},
        )


def publicity_expire(*, now: datetime | None = None) -> list[AppealPage]:
    """Take down every live appeal whose live content has no valid clearance: the same
    takedown as closing it, with the outcome "expired", but the appeal stays open until a
    renewed check is approved."""
    now = now or timezone.now()
    cleared = PublicityCheck.objects.valid_clearances(now=now).values("revision")
    expired = list(AppealPage.objects.live().exclude(live_revision__in=cleared))
    for appeal in expired:
        appeal_expire(appeal=appeal)
        logger.info("Clearance expired: appeal %s taken down", appeal.pk)
    return expired


def publicity_review(*, now: datetime | None = None) -> tuple[list[AppealPage], int]:
    """The recurring review: take down what has expired, remind about what soon will."""
    return publicity_expire(now=now), publicity_reminders_send(now=now)


def publicity_scheduled_refuse(*, now: datetime | None = None) -> list[Revision]:
    """Unschedule appeal revisions due to go live without a valid clearance.

    Wagtail's scheduled publishing stops at the first error; refusing these first lets
    every other page go live. Each is logged for staff to see, and must be checked again.
    """
    now = now or timezone.now()
    cleared = PublicityCheck.objects.valid_clearances(now=now).values("revision")
    refused = list(
        Revision.objects.filter(
            approved_go_live_at__lt=now, content_type=ContentType.objects.get_for_model(AppealPage)
        ).exclude(pk__in=cleared)
    )
    for revision in refused:
        revision.approved_go_live_at = None
        revision.save(update_fields=["approved_go_live_at"])
        log(
            instance=revision.as_object(),
            action="homeward.publicity.refused",
            revision=revision,
            data={"reason": "scheduled to go live without a valid publicity clearance"},
        )
    return refused


def publicity_reminders_send(*, now: datetime | None = None) -> int:
    """Email the people behind each live clearance that ends within two days. Once each."""
    now = now or timezone.now()
    due = PublicityCheck.objects.valid_clearances(now=now).filter(
        expires_at__lte=now + REMIND_BEFORE,
        reminder_sent_at__isnull=True,
        revision__in=AppealPage.objects.live().values("live_revision"),
    )
    sent = 0
    for check in due.select_related("appeal", "completed_by", "approved_by"):
        # Claim the reminder first: a retried or parallel run cannot send it twice.
        claimed = PublicityCheck.objects.filter(pk=check.pk, reminder_sent_at__isnull=True)
        if not claimed.update(reminder_sent_at=now):
            continue
        try:
            _send_expiry_reminder(check)
        except Exception:
            PublicityCheck.objects.filter(pk=check.pk).update(reminder_sent_at=None)
            logger.exception("Expiry reminder for check %s not sent; will retry", check.pk)
            continue
        sent += 1
    return sent


def _send_expiry_reminder(check: PublicityCheck) -> None:
    appeal = check.appeal
    people = {check.completed_by, check.approved_by, appeal.owner}
    recipients = sorted({person.email for person in people if person and person.email})
    if not recipients:
        return
    context = {
        "check": check,
        "appeal": appeal,
        "edit_url": absolute_url(f"/admin/pages/{appeal.pk}/edit/"),
    }
    send_mail(
        subject=single_line(
            f"Publicity clearance ends {date_format(check.review_date, 'j F')}: {appeal.title}"
        ),
        message=render_to_string("appeals/email/clearance_expiring.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
