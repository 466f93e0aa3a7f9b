"""Reads for the police's risk assessments: an appeal's history, and the reviews due."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    When,
)
from django.db.models.functions import Cast, Coalesce
from wagtail.models import Page, Revision

from appeals.models import AppealPage, RiskAssessment


def risk_review_interval() -> timedelta:
    """How often the owning force reviews a high-risk appeal's assessment."""
    return timedelta(hours=settings.RISK_REVIEW_INTERVAL_HOURS)


def risk_assessments_of(appeal: AppealPage):
    """The appeal's whole risk history, newest first, with who assessed each level."""
    return RiskAssessment.objects.filter(appeal=appeal).select_related("assessed_by").latest_first()


def _with_review_due(appeals):
    """Annotated with ``review_due_since`` (their latest assessment; without one, their
    first publication, else their first revision: when they were made) and
    ``review_due_at`` (that plus the review interval)."""
    latest = (
        RiskAssessment.objects.filter(appeal=OuterRef("pk"))
        .latest_first()
        .values("assessed_at")[:1]
    )
    created = (
        Revision.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return appeals.annotate(
        review_due_since=Coalesce(Subquery(latest), F("first_published_at"), Subquery(created))
    ).annotate(
        review_due_at=ExpressionWrapper(
            F("review_due_since") + risk_review_interval(), output_field=DateTimeField()
        )
    )


def risk_reviews_due(*, now: datetime, within: timedelta = timedelta(0), force_id=None):
    """Open high-risk appeals (live or not) whose review falls due by ``now + within``,
    the longest overdue first; a force's only, if given (see _with_review_due)."""
    appeals = AppealPage.objects.filter(
        status=AppealPage.Status.MISSING, risk_level=AppealPage.RiskLevel.HIGH
    )
    if force_id is not None:
        appeals = appeals.filter(police_force_id=force_id)
    return (
        _with_review_due(appeals)
        .filter(review_due_at__lte=now + within)
        .select_related("police_force")
        .order_by("review_due_at", "pk")
    )


def risk_review_queue(*, force_id: int):
    """A force's open appeals for its officers to review: high risk first, soonest due
    first (see _with_review_due), then the others, newest first."""
    high_first = Case(When(risk_level=AppealPage.RiskLevel.HIGH, then=0), default=1)
    return _with_review_due(
        AppealPage.objects.filter(police_force_id=force_id, status=AppealPage.Status.MISSING)
    ).order_by(high_first, "review_due_at", "-pk")
