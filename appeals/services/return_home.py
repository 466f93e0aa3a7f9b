"""Recording a found child's return home interview: offered, by whom, held, or why not."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from wagtail.log_actions import log
from wagtail.permissions import policy_registry

from appeals.models import ReturnHomeInterview
from appeals.services.statistics import episode_statistic_return_home


@transaction.atomic
def return_home_interview_record(
    *,
    interview: ReturnHomeInterview,
    user: AbstractBaseUser,
    offered_by: str,
    offered_by_name: str,
    offered_at: datetime | None,
    held_at: datetime | None,
    not_held_reason: str,
) -> ReturnHomeInterview:
    """Record where the interview stands. Only dates, who offered it, and a reason code:
    never what the child said."""
    policy = policy_registry.get_by_type(ReturnHomeInterview)
    if not policy.user_has_permission_for_instance(user, "change", interview):
        raise PermissionDenied(
            "Only caseworkers and the child's local authority record return home interviews."
        )
    interview = ReturnHomeInterview.objects.select_for_update().get(pk=interview.pk)
    interview.offered_by = offered_by
    interview.offered_by_name = offered_by_name.strip()
    interview.offered_at = offered_at
    interview.held_at = held_at
    interview.not_held_reason = not_held_reason
    interview.updated_by = user
    interview.full_clean()
    interview.save()
    episode_statistic_return_home(interview=interview)
    log(
        instance=interview,
        action="homeward.return_home.recorded",
        user=user,
        data={
            "offered": offered_at is not None,
            "held": held_at is not None,
            "not_held_reason": not_held_reason,
        },
    )
    return interview
