"""Going live: what an appeal going public, or a restricted clearance, sets off. One place.

An appeal goes public when a revision with a valid public clearance becomes its live
revision: at the workflow's approval, or later, when ``publish_scheduled`` publishes a
revision scheduled to go live. Wagtail's ``page_published`` fires on both, and also when a
revision is only *scheduled* (the page is saved not live, with ``approved_go_live_at`` in
the future) and on every re-publish, so the fan-out checks for itself: only a live,
publicly visible appeal fans out, and each step can happen once per appeal only.

- One post per configured social channel (``SocialPost``, unique per appeal and channel
  among the posts no takedown has withdrawn: an appeal renewed after its clearance
  expired is posted afresh, once); the posts' ledger is appeals.services.social_posts.
- Whatever other apps register for ``after_appeal_goes_live`` (appeals.lifecycle_hooks):
  the Heroes' urgent alert for a high-risk appeal, once per appeal.
- The regular Heroes email needs nothing from here: it lists the publicly visible appeals
  first published since the last edition (``first_published_at`` is set at go-live).

A restricted decision publishes nothing and calls ``after_appeal_cleared_restricted`` (the
partner briefing, once per appeal); no publicity sets off nothing.
"""

from django.db import transaction
from wagtail.models import WorkflowState

from appeals import jobs
from appeals.channels import channels_on
from appeals.lifecycle_hooks import AFTER_CLEARED_RESTRICTED, AFTER_GOES_LIVE, lifecycle_hooks_run
from appeals.models import AppealPage, PublicityCheck, PublicityDecision, SocialPost
from homeward.jobs import enqueue_after_commit

Status, Deletion = SocialPost.Status, SocialPost.Deletion


def appeal_published(*, appeal: AppealPage) -> None:
    """Wagtail published a revision of the appeal: fan out if it has really gone live."""
    if appeal.live:  # not when the revision was only scheduled to go live later
        enqueue_after_commit(jobs.appeal_fan_out, {"appeal_id": appeal.pk})


def appeal_fan_out(*, appeal: AppealPage) -> list[SocialPost]:
    """A post per channel, and what other apps set off, for a publicly visible appeal.
    Idempotent, as is every hook's part."""
    appeal = AppealPage.objects.publicly_visible().filter(pk=appeal.pk).first()
    if appeal is None:
        return []
    with transaction.atomic():
        lifecycle_hooks_run(AFTER_GOES_LIVE, appeal=appeal)
        SocialPost.objects.bulk_create(
            [SocialPost(appeal=appeal, channel=channel.name) for channel in channels_on()],
            ignore_conflicts=True,  # posted, or on its way, already
        )
        queued = list(
            appeal.social_posts.filter(
                status=Status.QUEUED, deletion=Deletion.NOT_ASKED, withdrawn_at__isnull=True
            )
        )
        if queued:
            enqueue_after_commit(jobs.social_post_send, *[{"post_id": post.pk} for post in queued])
    return queued


def appeal_workflow_approved(*, workflow_state: WorkflowState) -> None:
    """An appeal's workflow was approved: a restricted decision sets off what other apps
    register for it (the partner briefing).

    (A public decision publishes the appeal, which fans out through ``appeal_published``;
    no publicity does nothing.)
    """
    appeal = workflow_state.content_object.specific
    if isinstance(appeal, AppealPage) and _restricted_clearance(appeal):
        enqueue_after_commit(jobs.appeal_cleared_restricted, {"appeal_id": appeal.pk})


def appeal_cleared_restricted(*, appeal: AppealPage) -> None:
    """While the appeal's latest revision is cleared for restricted publicity only, run
    the hooks for it. Each does its part once per appeal."""
    if not appeal.live and _restricted_clearance(appeal):
        lifecycle_hooks_run(AFTER_CLEARED_RESTRICTED, appeal=appeal)


def _restricted_clearance(appeal: AppealPage) -> bool:
    return (
        PublicityCheck.objects.valid_clearances(decision=PublicityDecision.RESTRICTED)
        .filter(revision=appeal.get_latest_revision())
        .exists()
    )
