"""A takedown that waits for nothing and records only what it has done: the photos leave
the public media before the closing returns, even with the queue down; the caches step
is done only once the CDN has taken every purge, addressed to the public host; the
person's name leaves the image search too."""

from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage
from wagtail.images import get_image_model
from wagtail.search import index

from appeals.models import AppealPage, AppealTakedown
from appeals.services import appeal_takedown_run
from tests import factories

pytestmark = pytest.mark.django_db

NAME = "Tamsin Oakenshaw"


@pytest.fixture
def appeal(directory):
    return factories.appeal_create(parent=directory, title=NAME, photos=2)


def test_photos_leave_the_public_media_as_the_closing_returns_with_the_queue_down(
    settings, appeal, django_capture_on_commit_callbacks
):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there: no job is queued
    originals = [photo.image.file.name for photo in appeal.photos.all()]
    assert all(default_storage.exists(name) for name in originals)

    factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks)

    assert not any(default_storage.exists(name) for name in originals)


def test_the_caches_step_is_done_only_once_the_cdn_has_purged(
    settings, appeal, frontend_cache, django_capture_on_commit_callbacks
):
    frontend_cache.failing = True
    takedown = factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks)
    takedown.refresh_from_db()
    assert AppealTakedown.Step.CACHES not in takedown.steps
    assert takedown.completed_at is None and "CDN" in takedown.last_error

    frontend_cache.failing = False
    assert appeal_takedown_run(takedown_id=takedown.pk)
    takedown.refresh_from_db()
    assert AppealTakedown.Step.CACHES in takedown.steps and takedown.completed_at
    assert appeal.url in frontend_cache
    # Addressed to the public site, not to the name Wagtail's Site was created with.
    assert frontend_cache.hosts() == {urlsplit(settings.BASE_URL).netloc}


def test_the_page_search_forgets_the_person_and_a_later_indexing_does_not_bring_them_back(
    appeal, django_capture_on_commit_callbacks
):
    pages = AppealPage.objects
    assert pages.search("Oakenshaw").count() == 1
    factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks)
    assert pages.search("Oakenshaw").count() == 0
    # What unpublishing's own indexing task does once it runs, after the takedown.
    index.insert_or_update_object(pages.get(pk=appeal.pk))
    assert pages.search("Oakenshaw").count() == 0


def test_the_image_search_forgets_the_person(appeal, django_capture_on_commit_callbacks):
    images = get_image_model().objects
    for photo in appeal.photos.all():
        photo.image.title = f"{NAME}, summer"
        photo.image.save()
    assert images.search("Oakenshaw").count() == 2

    factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks)

    assert images.search("Oakenshaw").count() == 0
