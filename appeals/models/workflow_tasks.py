"""The publicity workflow's two tasks: safeguarding leads complete the checklist, then a
publisher approves it."""

from django.urls import reverse
from wagtail.models import AbstractGroupApprovalTask


class PublicityCheckTask(AbstractGroupApprovalTask):
    """Safeguarding leads complete the publicity safety check's checklist.

    The checklist is long and needs the appeal beside it, so the task's action leads to
    a page of its own rather than Wagtail's modal.
    """

    def get_actions(self, obj, user):
        if user.is_superuser or self._user_in_groups(user):
            return [
                ("check", "Complete the publicity safety check", False),
                ("reject", "Request changes", True),
            ]
        return []

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "check":
            return reverse("appeals_publicity_check", args=[task_state.workflow_state.object_id])
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return (
            "Members of the chosen groups complete the publicity safety checklist: "
            "police authorisation, consent, the risk of publicity itself, a content review "
            "and the decision."
        )

    class Meta:
        verbose_name = "publicity safety check"
        verbose_name_plural = "publicity safety checks"


class PublisherApprovalTask(AbstractGroupApprovalTask):
    """The final approval of a passed check, by someone else where four eyes apply."""

    def get_actions(self, obj, user):
        # Wagtail asks the task model; the rule is the service's, which imports the models.
        from appeals.services import publicity_approval_refusal

        actions = super().get_actions(obj, user)
        if not actions:
            return []
        # Approving publishes: wherever it is offered (the editor, the dashboard's
        # "Awaiting your review"), it asks first, in Wagtail's modal, never in one click.
        others = [action for action in actions if action[0] != "approve"]
        if publicity_approval_refusal(appeal=obj, user=user):
            return others
        return [*others, ("approve", "Approve and publish…", True)]

    def on_action(self, task_state, user, action_name, **kwargs):
        from appeals.services import publicity_check_approve

        if action_name == "approve":
            publicity_check_approve(
                task_state=task_state, user=user, comment=kwargs.get("comment", "")
            )
            return None
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return (
            "Members of the chosen groups give the final approval of a passed publicity "
            "safety check. For appeals flagged trafficked or unaccompanied, the person who "
            "completed the check cannot approve it."
        )

    class Meta:
        verbose_name = "publicity approval"
        verbose_name_plural = "publicity approvals"
