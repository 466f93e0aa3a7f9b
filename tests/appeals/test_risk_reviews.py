"""Risk that never fades: the police risk level is kept with who set it, when and why; the
owning force reviews it, the latest review is the level everyone uses (a trafficked or
unaccompanied child stays high risk whatever), and the purge forgets the reasons. When
reviews fall due: test_risk_reviews_due."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from appeals.models import AppealPage, RiskAssessment
from appeals.models.risk import RiskAssessmentChanged
from appeals.services import appeals_retention_purge
from appeals.services.risk import appeal_risk_review
from homeward import roles
from tests import factories

pytestmark = pytest.mark.django_db

FORCE, OTHER_FORCE = "north-yorkshire-police", "kent-police"
HIGH, MEDIUM, LOW = AppealPage.RiskLevel.HIGH, AppealPage.RiskLevel.MEDIUM, AppealPage.RiskLevel.LOW
RECORDED, REVIEW = RiskAssessment.Kind.RECORDED, RiskAssessment.Kind.REVIEW
REASON = "Fictional reason: seen safe and well by an officer at a friend's house today."


def officer(force=FORCE):
    return factories.user_create(role=roles.POLICE_OFFICERS, force_slug=force)


def fresh(appeal: AppealPage) -> AppealPage:
    return AppealPage.objects.get(pk=appeal.pk)


def review(appeal, level, reason="", *, user=None) -> RiskAssessment:
    return appeal_risk_review(appeal=appeal, user=user or officer(), level=level, reason=reason)


def history(appeal) -> list[tuple[str, str]]:
    return [(a.kind, a.level) for a in RiskAssessment.objects.filter(appeal=appeal).latest_first()]


def assessed_hours_ago(appeal, hours: float) -> None:
    """Move the appeal's history back in time (only a test changes rows that way)."""
    RiskAssessment.objects.filter(appeal=appeal).update(
        assessed_at=timezone.now() - timedelta(hours=hours)
    )


def republish(appeal, **changes) -> AppealPage:
    """An editor changes the appeal and it goes through the safety check again."""
    draft = fresh(appeal).get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(draft, name, value)
    draft.save_revision(user=factories.staff(roles.EDITORS))
    return factories.publicity_clear(draft)


# The history


def test_publishing_records_the_police_level_with_who_and_when(directory):
    before = timezone.now()
    appeal = factories.appeal_create(risk_level=HIGH)
    recorded = RiskAssessment.objects.get(appeal=appeal)
    assert (recorded.kind, recorded.level, recorded.reason) == (RECORDED, HIGH, "")
    assert recorded.assessed_by == factories.staff(roles.EDITORS)  # the revision's author
    assert recorded.assessed_at >= before
    # Published again with the same level: nothing new to record.
    republish(appeal, hair="Short, dyed red")
    assert history(appeal) == [(RECORDED, HIGH)]


def test_a_draft_records_nothing_until_it_is_published(directory):
    appeal = factories.appeal_create(publish=False, risk_level=HIGH)
    assert history(appeal) == []
    assert fresh(appeal).risk_level == HIGH


def test_a_flagged_childs_lower_police_level_is_recorded_with_its_reason(directory):
    appeal = factories.appeal_create(
        trafficked=True, police_risk_level=LOW, police_risk_reason=REASON
    )
    recorded = RiskAssessment.objects.get(appeal=appeal)
    assert (recorded.level, recorded.reason) == (LOW, REASON)
    assert fresh(appeal).risk_level == HIGH


def test_a_review_joins_the_history_and_the_audit_log_without_its_reason(directory):
    appeal = factories.appeal_create(risk_level=HIGH)
    reviewer = officer()
    assessment = review(appeal, MEDIUM, REASON, user=reviewer)
    assert (assessment.kind, assessment.assessed_by, assessment.reason) == (
        REVIEW,
        reviewer,
        REASON,
    )
    assert history(appeal) == [(REVIEW, MEDIUM), (RECORDED, HIGH)]
    entry = PageLogEntry.objects.get(page=appeal, action="homeward.risk.reviewed")
    assert entry.user == reviewer
    assert entry.data == {"level": MEDIUM, "effective": MEDIUM, "previous": HIGH}
    assert "friend" not in str(entry.data)


def test_the_history_is_append_only(directory):
    assessment = review(factories.appeal_create(risk_level=HIGH), HIGH)
    assessment.level = LOW
    with pytest.raises(RiskAssessmentChanged):
        assessment.save()
    assert RiskAssessment.objects.get(pk=assessment.pk).level == HIGH
    # No one may be granted changing or deleting one.
    codenames = Permission.objects.filter(content_type__model="riskassessment")
    assert set(codenames.values_list("codename", flat=True)) == {"add_riskassessment"}


# Who may review


def test_an_officer_of_the_owning_force_may_review(directory):
    appeal = factories.appeal_create(risk_level=HIGH)
    review(appeal, HIGH, user=officer(FORCE))
    assert history(appeal)[0] == (REVIEW, HIGH)


REFUSED = {
    "another force's officer": lambda: officer(OTHER_FORCE),
    "an officer's role without a force": lambda: factories.user_create(role=roles.POLICE_OFFICERS),
    "editor": lambda: factories.user_create(role=roles.EDITORS),
    "safeguarding lead": lambda: factories.user_create(role=roles.SAFEGUARDING_LEADS),
    "caseworker": lambda: factories.user_create(role=roles.CASEWORKERS),
    "publisher": lambda: factories.user_create(role=roles.PUBLISHERS),
    "administrator": lambda: factories.user_create(role=roles.ADMINISTRATORS),
    "superuser": lambda: factories.user_create(is_superuser=True, is_staff=True),
    "anonymous": AnonymousUser,
}


@pytest.mark.parametrize("who", REFUSED)
def test_no_one_else_may_review(directory, who):
    appeal = factories.appeal_create(risk_level=HIGH)
    with pytest.raises(PermissionDenied):
        review(appeal, LOW, REASON, user=REFUSED[who]())
    assert history(appeal) == [(RECORDED, HIGH)]
    assert fresh(appeal).risk_level == HIGH


def test_the_review_form_opens_only_for_the_owning_force(client, directory):
    appeal = factories.appeal_create(risk_level=HIGH)
    url = reverse("appeals_risk_review", args=[appeal.pk])
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(officer(OTHER_FORCE))
    assert client.get(url).status_code == 404  # as for a case that does not exist
    for role in (roles.EDITORS, roles.PUBLISHERS, roles.CASEWORKERS):
        client.force_login(factories.user_create(role=role))
        refused = client.get(url, follow=True).content.decode()
        assert "Sorry, you do not have permission" in refused, role
        assert client.post(url, {"level": "low", "reason": REASON}).status_code == 302
    client.force_login(officer(FORCE))
    assert client.get(url).status_code == 200
    assert history(appeal) == [(RECORDED, HIGH)]


def test_a_closed_appeal_is_no_longer_reviewed(directory, django_capture_on_commit_callbacks):
    appeal = factories.appeal_create(risk_level=HIGH)
    factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        review(appeal, HIGH)
    assert history(appeal) == [(RECORDED, HIGH)]


# The rules: a lower level needs a written reason


def assert_refused_and_unchanged(appeal, level, reason, message):
    logged = PageLogEntry.objects.filter(page=appeal, action="homeward.risk.reviewed")
    before = (history(appeal), fresh(appeal).risk_level, logged.count())
    with pytest.raises(ValidationError) as refused:
        review(appeal, level, reason)
    assert message in str(refused.value.message_dict["reason"])
    assert (history(appeal), fresh(appeal).risk_level, logged.count()) == before


@pytest.mark.parametrize("flag", ["trafficked", "unaccompanied_asylum_seeking"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_lower_than_high_for_a_flagged_child_needs_a_reason(directory, flag, reason):
    # The police already recorded low (with their reason): low again is not lower than
    # before, yet a flagged child's level below high is always explained.
    appeal = factories.appeal_create(
        **{flag: True, "police_risk_level": LOW, "police_risk_reason": REASON}
    )
    assert_refused_and_unchanged(appeal, LOW, reason, "trafficked or unaccompanied child")
    review(appeal, HIGH)  # high needs no reason
    review(appeal, LOW, REASON)
    assert history(appeal)[:2] == [(REVIEW, LOW), (REVIEW, HIGH)]


def test_lower_than_the_last_assessment_needs_a_reason(directory):
    appeal = factories.appeal_create(risk_level=MEDIUM)
    assert_refused_and_unchanged(appeal, LOW, "", "lower than the last assessment (medium)")
    review(appeal, HIGH)  # a higher level, or the same, needs none
    review(appeal, HIGH)
    assert_refused_and_unchanged(appeal, MEDIUM, " ", "lower than the last assessment (high)")
    review(appeal, MEDIUM, REASON)
    assert fresh(appeal).risk_level == MEDIUM


def test_the_form_says_what_to_do_and_records_nothing_until_it_is_right(client, directory):
    appeal = factories.appeal_create(risk_level=HIGH)
    url = reverse("appeals_risk_review", args=[appeal.pk])
    client.force_login(officer())
    response = client.post(url, {"level": "low", "reason": ""})
    assert response.status_code == 200
    assert "Say why the risk has come down" in response.content.decode()
    assert history(appeal) == [(RECORDED, HIGH)]
    response = client.post(url, {"level": "", "reason": ""})
    assert "Choose the risk level" in response.content.decode()
    response = client.post(url, {"level": "low", "reason": REASON})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Risk review recorded" in page
    # The history, newest first, with who and why.
    assert page.index("Police review") < page.index("Recorded on the appeal")
    assert "seen safe and well" in page


# The effective risk follows the latest review


def test_the_effective_risk_follows_the_latest_review(directory):
    appeal = factories.appeal_create(risk_level=HIGH)
    review(appeal, LOW, REASON)
    appeal = fresh(appeal)
    assert appeal.risk_level == LOW
    # The level recorded at referral is content the check covered: a review leaves it.
    assert appeal.police_risk_level == HIGH
    review(appeal, MEDIUM)
    assert fresh(appeal).risk_level == MEDIUM


def test_a_flagged_child_stays_high_risk_whatever_the_review(directory):
    appeal = factories.appeal_create(trafficked=True)
    review(appeal, LOW, REASON)
    assert history(appeal)[0] == (REVIEW, LOW)
    assert fresh(appeal).risk_level == HIGH
    with pytest.raises(IntegrityError), transaction.atomic():
        AppealPage.objects.filter(pk=appeal.pk).update(risk_level=LOW)


def test_a_police_level_the_editor_changes_supersedes_the_last_review(directory):
    appeal = factories.appeal_create(risk_level=MEDIUM)
    review(appeal, LOW, REASON)
    republish(appeal, police_risk_level=HIGH)
    assert history(appeal) == [(RECORDED, HIGH), (REVIEW, LOW), (RECORDED, MEDIUM)]
    assert fresh(appeal).risk_level == HIGH


def test_a_review_of_a_draft_stands_when_it_is_first_published(directory):
    appeal = factories.appeal_create(publish=False, risk_level=MEDIUM)
    review(appeal, HIGH)
    factories.publicity_clear(appeal)
    # The referral level is older than the review: publishing it does not undo the review.
    assert history(appeal) == [(REVIEW, HIGH)]
    assert fresh(appeal).risk_level == HIGH


def test_a_live_appeal_after_a_review_still_saves_edits_and_publishes(client, directory):
    appeal = factories.appeal_create(risk_level=HIGH)
    review(appeal, MEDIUM, REASON)
    live = fresh(appeal)
    # The guard compares the page with its live revision: both read the same review.
    live.save()
    assert live.live_revision.as_object().risk_level == MEDIUM
    assert AppealPage.objects.publicly_visible().filter(pk=appeal.pk).exists()
    # Edited in the admin, then through the safety check again.
    client.force_login(factories.user_create(role=roles.EDITORS))
    edit_url = reverse("wagtailadmin_pages:edit", args=[appeal.pk])
    data = factories.edit_form_data(client, edit_url)
    data["hair"] = "Short, dyed red"
    assert client.post(edit_url, data).status_code == 302
    published = factories.publicity_clear(fresh(appeal))
    assert published.live and published.hair == "Short, dyed red"
    assert (published.police_risk_level, published.risk_level) == (HIGH, MEDIUM)
    assert AppealPage.objects.publicly_visible().filter(pk=appeal.pk).exists()


def test_staff_see_the_history_on_the_police_tab(client, directory):
    appeal = factories.appeal_create(risk_level=HIGH)
    review(appeal, MEDIUM, REASON)
    client.force_login(factories.user_create(role=roles.PUBLISHERS))
    page = client.get(reverse("wagtailadmin_pages:edit", args=[appeal.pk])).content.decode()
    assert "Risk assessments" in page
    assert "seen safe and well" in page and "Police review" in page
    assert reverse("appeals_risk_review", args=[appeal.pk]) not in page  # theirs to review


# Retention


def test_the_purge_forgets_the_reasons_and_keeps_the_levels(
    directory, django_capture_on_commit_callbacks
):
    appeal = factories.appeal_create(
        trafficked=True, police_risk_level=LOW, police_risk_reason=REASON
    )
    review(appeal, MEDIUM, "Fictional: staying with her aunt in Quillwater.")
    factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks)
    assert appeals_retention_purge(now=timezone.now() + timedelta(days=31)) == 1
    kept = RiskAssessment.objects.filter(appeal=appeal).latest_first()
    assert [(a.kind, a.level, a.reason) for a in kept] == [
        (REVIEW, MEDIUM, ""),
        (RECORDED, LOW, ""),
    ]
