"""Forgetting the person: APPEAL_RETENTION_DAYS after an appeal closed, its personal data
goes from every table and from storage, leaving the anonymous record (force, dates,
outcome), the episode's statistics row (no longer linked to it), its dates and outcome in
the person's history while another of their episodes is kept (appeals.models.people), and
an audit entry that says it was purged.
"""

import logging
import re
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import ForeignObjectRel
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import COMMENTS_RELATION_NAME, ModelLogEntry, PageLogEntry, TaskState
from wagtail.search import index

from appeals.lifecycle_hooks import BEFORE_PURGE, lifecycle_hooks_run
from appeals.models import (
    AppealPage,
    AppealPhoto,
    AppealTakedown,
    AppealTranslation,
    EpisodeStatistic,
    Person,
    PersonEpisode,
    RiskAssessment,
)
from appeals.services.closing import CLOSING_OUTCOMES
from appeals.services.photos import images_no_missing_appeal_shares

logger = logging.getLogger(__name__)

REMOVED = "[removed]"


def appeals_retention_purge(*, now: datetime | None = None) -> int:
    """Purge the personal data of appeals closed more than APPEAL_RETENTION_DAYS ago.

    Each becomes "Closed appeal <id>": no name, description, translations, photos or
    history of any; the anonymous record keeps the force, the dates and the outcome, and
    the audit log records the purge. Sightings are the police's, purged on their own
    schedule. Returns how many appeals were purged.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.APPEAL_RETENTION_DAYS)
    # An appeal down after its clearance expired is still open: it is never purged.
    due = AppealTakedown.objects.filter(
        outcome__in=CLOSING_OUTCOMES,
        purged_at__isnull=True,
        closed_at__lte=cutoff,
        appeal__isnull=False,
    ).values_list("pk", flat=True)
    purged = 0
    for takedown_id in list(due):
        try:
            _appeal_purge(takedown_id=takedown_id, now=now)
        except Exception:
            logger.exception("Retention: takedown %s not purged; will retry", takedown_id)
            continue
        purged += 1
    if purged:
        logger.info("Retention: purged the personal data of %s closed appeals", purged)
    return purged


@transaction.atomic
def _appeal_purge(*, takedown_id: int, now: datetime) -> None:
    takedown = AppealTakedown.objects.select_for_update().get(pk=takedown_id)
    page = AppealPage.objects.select_for_update().get(pk=takedown.appeal_id)
    names = _names_of(page)
    former_slug = page.slug
    images = list(images_no_missing_appeal_shares(appeal=page))
    # The photo store deletes both the private file and any public copy.
    files = [(image.file.storage, image.file.name) for image in images]
    for rendition in get_image_model().get_rendition_model().objects.filter(image__in=images):
        files.append((rendition.file.storage, rendition.file.name))

    AppealPhoto.objects.filter(page=page).delete()
    image_type = ContentType.objects.get_for_model(get_image_model())
    for entry in ModelLogEntry.objects.filter(
        content_type=image_type, object_id__in=[str(image.pk) for image in images]
    ):
        _scrub_row(entry, names)
    get_image_model().objects.filter(pk__in=[image.pk for image in images]).delete()

    # Every language of the appeal goes with the English: the revisions below are
    # rewritten from the page, which then has none.
    AppealTranslation.objects.filter(page=page).delete()
    # The risk history keeps its levels, kinds and dates; its reasons are free text that
    # may name the person or where they are. The one change ever made to its rows.
    RiskAssessment.objects.filter(appeal=page).update(reason="")
    _anonymise(page)
    page.save(clean=False)
    # A taken-down appeal is never indexed again (AppealPage.get_indexed_objects): make
    # sure no entry with the name is left.
    index.remove_object(page)
    content = page.serializable_data()
    page.revisions.update(content=content, object_str=page.title)
    getattr(page, COMMENTS_RELATION_NAME).all().delete()
    entries = PageLogEntry.objects.filter(page_id=page.pk)
    entries.update(label=page.title)
    for entry in entries:
        _scrub_row(entry, names)
    for state in TaskState.objects.filter(revision__in=page.revisions.all()).exclude(comment=""):
        _scrub_row(state, names)
    for row in _rows_about(page):
        _scrub_row(row, names)
    # Other apps' copies of the person's details (the Heroes emails).
    lifecycle_hooks_run(BEFORE_PURGE, appeal_id=page.pk)

    # The trends' row stays, and from now on nothing leads from it to the appeal.
    EpisodeStatistic.objects.filter(takedown=takedown).update(takedown=None)
    _person_forget_if_last(page)
    takedown.reason = ""
    # What each step removed named the photos' files; when it was done is all that stays.
    takedown.steps = {step: {"at": done["at"]} for step, done in takedown.steps.items()}
    takedown.last_error = ""
    takedown.purged_at = now
    takedown.former_slug_digest = AppealTakedown.slug_digest(former_slug)
    takedown.save(
        update_fields=["reason", "steps", "last_error", "purged_at", "former_slug_digest"]
    )
    log(
        instance=page,
        action="homeward.appeal.purged",
        data={
            "police_force": takedown.police_force.slug,
            "outcome": takedown.outcome,
            "closed_on": takedown.closed_at.date().isoformat(),
        },
    )
    transaction.on_commit(lambda: _files_delete(files))


def _person_forget_if_last(page: AppealPage) -> None:
    """A purged episode's dates and outcome stay in the person's history only while
    another of their episodes is within retention: with their last one, the person goes."""
    link = PersonEpisode.objects.filter(appeal_id=page.pk).first()
    if link is None:
        return
    others_kept = (
        PersonEpisode.objects.filter(person_id=link.person_id)
        .exclude(appeal_id=page.pk)
        .exclude(appeal__takedown__purged_at__isnull=False)
    )
    if not others_kept.exists():
        Person.objects.filter(pk=link.person_id).delete()


def _names_of(page: AppealPage) -> list[str]:
    """The name and slug the appeal has had, whole and word by word, longest first, and
    its case reference (copied onto the police authorisation and the publicity checks)."""
    whole = {page.title, page.draft_title, page.slug, page.seo_title, page.case_reference}
    for title, content in page.revisions.values_list("object_str", "content"):
        whole |= {title, content.get("title"), content.get("slug"), content.get("seo_title")}
        whole.add(content.get("case_reference"))
    whole.discard(None)
    whole.discard("")
    words = {
        word
        for name in whole - {page.seo_title, page.case_reference}
        for word in re.split(r"[\s\-_.,]+", name)
        if len(word) >= 3
    }
    return sorted(whole | words, key=len, reverse=True)


def _anonymise(page: AppealPage) -> None:
    page.title = page.draft_title = f"Closed appeal {page.pk}"
    page.slug = f"closed-appeal-{page.pk}"
    page.set_url_path(page.get_parent())
    page.seo_title = page.search_description = ""
    page.date_of_birth = page.age_when_missing = page.height_cm = None
    page.gender = AppealPage.Gender.NOT_STATED
    page.build = page.hair = page.clothing = page.distinguishing_features = ""
    page.message = page.last_seen_area = page.case_reference = ""
    page.in_care = page.trafficked = page.unaccompanied_asylum_seeking = False
    page.domestic_abuse = False
    page.local_authority = page.arrived_in_uk_on = None


def _rows_about(page: AppealPage):
    """Rows of other tables that belong to the appeal, except sightings (the police's,
    purged on their own schedule), emails (forgotten by newsletter's purge hook) and the
    record."""
    for relation in AppealPage._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or relation.many_to_many:
            continue
        model = relation.related_model
        if model._meta.app_label in {"sightings", "newsletter"} or model in {
            AppealPhoto,
            AppealTakedown,
        }:
            continue
        yield from model._default_manager.filter(**{relation.field.name: page.pk})


def _scrub(value, names: list[str]):
    if isinstance(value, str):
        for name in names:
            value = re.sub(rf"(?i)\b{re.escape(name)}\b", REMOVED, value)
        return value
    if isinstance(value, list):
        return [_scrub(item, names) for item in value]
    if isinstance(value, dict):
        return {key: _scrub(item, names) for key, item in value.items()}
    return value


def _scrub_row(row: models.Model, names: list[str]) -> None:
    changed = []
    for field in row._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField | models.JSONField):
            continue
        if field.choices or field.primary_key:
            continue
        value = getattr(row, field.attname)
        scrubbed = _scrub(value, names)
        if scrubbed != value:
            setattr(row, field.attname, scrubbed)
            changed.append(field.attname)
    if changed:
        type(row)._default_manager.filter(pk=row.pk).update(
            **{name: getattr(row, name) for name in changed}
        )


def _files_delete(files) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Retention: file %s not deleted", name)
