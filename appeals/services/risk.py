"""Writes for the police's risk assessments: a review by the owning force, and asking the
force for the reviews that fall due (appeals.models.risk)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from wagtail.log_actions import log

from appeals.models import AppealPage, RiskAssessment, RiskReviewRequest, page_hold
from appeals.models.permissions import own_force_id
from appeals.models.risk import REVIEW_RISK
from appeals.risk_selectors import risk_reviews_due
from homeward.claims import done_once, sweep_each
from homeward.links import absolute_url
from homeward.text import single_line

# A request claimed longer ago than this was held by a run that died: it is sent again.
REQUEST_LEASE = timedelta(minutes=5)


def appeal_risk_review(
    *, appeal: AppealPage, user: AbstractBaseUser, level: str, reason: str
) -> RiskAssessment:
    """An officer of the force that owns the case reviews its risk level.

    The review joins the history and, being the latest assessment, sets the effective
    risk at once: the appeal's police level (its content, which the publicity check
    covered) is untouched, so nothing needs a new check. A review that breaks a rule
    (RiskAssessment.clean) raises ValidationError and changes nothing.
    """
    with transaction.atomic():
        # One change to the appeal at a time: a review and a publication never cross.
        page_hold(appeal.pk)
        appeal = AppealPage.objects.get(pk=appeal.pk)
        if own_force_id(user, REVIEW_RISK) != appeal.police_force_id:
            raise PermissionDenied("Only an officer of the force that owns the case can review.")
        if appeal.is_closed:
            raise ValidationError("The appeal is closed: its risk is no longer reviewed.")
        previous = appeal.risk_level
        assessment = RiskAssessment(
            appeal=appeal,
            kind=RiskAssessment.Kind.REVIEW,
            level=level,
            reason=reason,
            assessed_by=user,
        )
        assessment.full_clean()
        assessment.save()
        appeal.derive_risk()
        AppealPage.objects.filter(pk=appeal.pk).update(risk_level=appeal.risk_level)
        # The levels only: the reason is free text about the person, kept in the history.
        log(
            instance=appeal,
            action="homeward.risk.reviewed",
            user=user,
            data={"level": level, "effective": appeal.risk_level, "previous": previous},
        )
    return assessment


def risk_review_requests_send(*, now: datetime | None = None) -> int:
    """Email the owning force's duty inbox once for each high-risk review that is due.

    Once per appeal and due period: a request row (RiskReviewRequest) is claimed with a
    conditional UPDATE before the email goes and recorded sent after it, so a repeated
    run, or RQ running the job twice, finds it sent or held and sends nothing. A crash
    never loses one: a run that died before sending leaves its claim to lapse
    (REQUEST_LEASE) and a later run sends it. It may repeat one: a run that dies after the
    mail server took the email and before recording it sent, sends it again once the lease
    is over. A duty inbox reading a request twice costs little; a high-risk review never
    asked for may cost much more. Returns how many were sent.
    """
    now = now or timezone.now()
    due = {
        appeal.pk: appeal
        for appeal in risk_reviews_due(now=now).filter(police_force__duty_email__gt="")
    }
    return sweep_each(
        due,
        now=now,
        send=lambda pk, at: _request_send_once(due[pk], now=at),
        name="Risk review request for appeal",
    )


def _request_send_once(appeal: AppealPage, *, now: datetime) -> bool:
    request, _ = RiskReviewRequest.objects.get_or_create(
        appeal=appeal, due_since=appeal.review_due_since
    )
    return done_once(
        RiskReviewRequest.objects.filter(pk=request.pk),
        now=now,
        lease=REQUEST_LEASE,
        work=lambda: _request_send(appeal),
    )


def _request_send(appeal: AppealPage) -> None:
    context = {
        "appeal": appeal,
        "since": timezone.localtime(appeal.review_due_since),
        "hours": settings.RISK_REVIEW_INTERVAL_HOURS,
        "review_url": absolute_url(reverse("appeals_risk_review", args=[appeal.pk])),
    }
    send_mail(
        # The title names the appeal for the police; Django refuses a line break in it.
        subject=single_line(f"Risk review due: {appeal.title}"),
        message=render_to_string("appeals/email/risk_review_due.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[appeal.police_force.duty_email],
    )
