from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.panels import Panel
from wagtail.admin.ui.components import Component

from appeals.models.permissions import AUTHORISE_PUBLICITY, own_force_id
from homeward.capabilities import READ_PUBLICITY_CHECKS

# What the dashboard shows: clearances ending this soon, expiries this recent.
ENDING_WITHIN = timedelta(days=2)
EXPIRED_WITHIN = timedelta(days=7)
# Items a dashboard list names before it says how many more there are.
SHOWN = 10
# Risk reviews the dashboard shows coming due, beside those already overdue.
REVIEWS_DUE_WITHIN = timedelta(hours=2)


class PublicityChecksPanel(Panel):
    """The appeal's publicity safety checks, in its editor, for those allowed to read them."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "appeals/admin/publicity_checks_panel.html"

        def is_shown(self):
            return bool(self.instance.pk) and self.request.user.has_perm(READ_PUBLICITY_CHECKS)

        def get_context_data(self, parent_context=None):
            from appeals.selectors import publicity_checks_of  # models load this module

            context = super().get_context_data(parent_context)
            context["checks"] = publicity_checks_of(self.instance)
            return context


class RiskAssessmentsPanel(Panel):
    """The appeal's police risk history, newest first, read-only: for everyone who may
    open its editor; officers of the owning force also get the link to review it."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "appeals/admin/risk_assessments_panel.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            from appeals.models.risk import REVIEW_RISK  # models load this module
            from appeals.risk_selectors import risk_assessments_of

            context = super().get_context_data(parent_context)
            context["assessments"] = risk_assessments_of(self.instance)
            own_force = own_force_id(self.request.user, REVIEW_RISK)
            if own_force is not None and own_force == self.instance.police_force_id:
                context["review_url"] = reverse("appeals_risk_review", args=[self.instance.pk])
            return context


class EpisodesPanel(Panel):
    """The person's other episodes (count, dates, outcomes, earlier public appeals), with
    the way to link them, for everyone who may open the appeal's editor."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "appeals/admin/episode_history.html"

        def is_shown(self):
            return bool(self.instance.pk)

        def get_context_data(self, parent_context=None):
            from appeals.admin_episodes import episode_history_context  # models load this

            context = super().get_context_data(parent_context)
            context["appeal"] = self.instance
            context.update(episode_history_context(appeal=self.instance, user=self.request.user))
            return context


def appeal_link_for(appeal, user, check=None) -> str:
    """Where this person may open the appeal: its editor, else its latest check's answers
    (a safeguarding lead cannot edit a live appeal), else nowhere ('')."""
    from appeals.selectors import publicity_check_readable_by

    if appeal.permissions_for_user(user).can_edit():
        return reverse("wagtailadmin_pages:edit", args=[appeal.pk])
    check = check or appeal.publicity_checks.order_by("-completed_at").first()
    if check is not None and publicity_check_readable_by(check=check, user=user):
        return check.get_absolute_url()
    return ""


class ClearancesDashboardPanel(Component):
    """Clearances ending within two days, and appeals taken down by expiry this week."""

    name = "publicity_clearances"
    template_name = "appeals/admin/clearances_dashboard_panel.html"
    order = 50

    def __init__(self, *, now, user):
        self.now = now
        self.user = user

    def get_context_data(self, parent_context):
        from appeals.selectors import publicity_clearances_ending, publicity_recent_expiries

        context = super().get_context_data(parent_context)
        context["ending"] = [
            (check, appeal_link_for(check.appeal, self.user, check))
            for check in publicity_clearances_ending(now=self.now, within=ENDING_WITHIN)
        ]
        context["expired"] = [
            (entry, appeal_link_for(entry.page.specific, self.user))
            for entry in publicity_recent_expiries(now=self.now, within=EXPIRED_WITHIN)
        ]
        return context


class NextStepsDashboardPanel(Component):
    """What this person is to do next, by what they may do: each list links to the screen
    where they do it."""

    name = "appeals_next_steps"
    template_name = "appeals/admin/next_steps_dashboard_panel.html"
    order = 40

    def __init__(self, *, user):
        self.user = user

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["lists"] = [entry for entry in self._lists() if entry["items"]]
        return context

    def _lists(self):
        from wagtail.permissions import policy_registry

        from appeals import selectors
        from appeals.models import (
            AppealPage,
            AppealTakedown,
            PublicityCheckTask,
            PublisherApprovalTask,
            ReturnHomeInterview,
            SocialPost,
        )
        from appeals.models.risk import REVIEW_RISK
        from appeals.risk_selectors import risk_reviews_due

        user = self.user
        review_force_id = own_force_id(user, REVIEW_RISK)
        if review_force_id is not None:
            # High-risk cases of their force whose assessment is due for review, most
            # overdue first: the risk does not fade while no one looks at it.
            now = timezone.now()
            due = risk_reviews_due(now=now, within=REVIEWS_DUE_WITHIN, force_id=review_force_id)
            yield _list(
                "Risk reviews due",
                [
                    (
                        f"{appeal.draft_title}: "
                        + ("overdue since" if appeal.review_due_at <= now else "due by")
                        + f" {date_format(timezone.localtime(appeal.review_due_at), 'j M, H:i')}",
                        reverse("appeals_risk_review", args=[appeal.pk]),
                    )
                    for appeal in due
                ],
                more_url=reverse("appeals_risk_reviews"),
            )
        force_id = own_force_id(user, AUTHORISE_PUBLICITY)
        if force_id is not None:
            yield _list(
                "Appeals waiting for your authorisation",
                [
                    (appeal.draft_title, reverse("appeals_police_authorisation", args=[appeal.pk]))
                    for appeal in selectors.police_authorisations_awaited(force_id=force_id)
                ],
                more_url=reverse("appeals_police_authorisation_index"),
            )
        for task_class, heading, url_name in [
            (PublicityCheckTask, "Publicity safety checks waiting", "appeals_publicity_check"),
            (PublisherApprovalTask, "Approvals waiting", "wagtailadmin_pages:edit"),
        ]:
            states = selectors.workflow_tasks_awaiting(user=user, task_class=task_class)
            appeals = AppealPage.objects.in_bulk(
                [int(state.workflow_state.object_id) for state in states]
            )
            yield _list(
                heading,
                [
                    (appeal.draft_title, reverse(url_name, args=[appeal.pk]))
                    for appeal in appeals.values()
                ],
            )
        if policy_registry.get_by_type(SocialPost).user_has_permission(user, "view"):
            yield _list(
                "Failed social posts",
                [
                    (
                        f"{post.appeal.title}: {post.get_channel_display()}",
                        reverse("appeals_social_posts:appeal", args=[post.appeal_id]),
                    )
                    for post in selectors.social_posts_failed(user=user)
                ],
            )
        if policy_registry.get_by_type(AppealTakedown).user_has_permission(user, "view"):
            index = reverse("appeals_takedowns:index")
            yield _list(
                "Takedowns still pending",
                [
                    (takedown.appeal.title if takedown.appeal else "(deleted page)", index)
                    for takedown in selectors.takedowns_pending(user=user)
                ],
                more_url=f"{index}?pending=true",
            )
        interviews = policy_registry.get_by_type(ReturnHomeInterview)
        if interviews.user_has_permission(user, "change"):
            # Overdue first: each child is owed one within 72 hours of being found.
            outstanding = interviews.instances_user_has_permission_for(user, "change").outstanding()
            yield _list(
                "Return home interviews due (72 hours)",
                [
                    (
                        f"{interview.appeal.title}: "
                        + ("overdue" if interview.is_overdue() else "due")
                        + f" by {date_format(timezone.localtime(interview.due_by), 'j M, H:i')}",
                        reverse("appeals_return_home:edit", args=[interview.pk]),
                    )
                    for interview in outstanding.order_by("due_by")
                ],
                more_url=reverse("appeals_return_home:index") + "?outstanding=true",
            )


def _list(heading, items, more_url=""):
    return {
        "heading": heading,
        "items": items[:SHOWN],
        "more": max(len(items) - SHOWN, 0),
        "more_url": more_url,
    }
