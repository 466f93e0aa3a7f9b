"""An image a live appeal shows changes (a new focal point, a title, a new file, its
renditions deleted): the page cache and the CDN let go of every page that shows it, so
no one is served a page whose photo addresses are gone."""

import re

import pytest
from django.db import transaction

from homeward.page_cache import page_cache_generation
from tests import factories

# As in production: each change commits (and runs its on-commit purge) at once.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHOTO = re.compile(
    r'<img [^>]*class="appeal__photo"[^>]*src="([^"]+)"|'
    r'<img [^>]*src="([^"]+)"[^>]*class="appeal__photo"'
)


def main_photo_url(html: str) -> str:
    match = PHOTO.search(html)
    assert match, html
    return match.group(1) or match.group(2)


@pytest.fixture
def appeal(directory):
    return factories.appeal_create(title="Pictured Penelope")


@pytest.fixture
def image(appeal):
    return appeal.photos.first().image


def test_a_page_whose_renditions_were_deleted_is_rendered_again(client, appeal, image):
    html = client.get(appeal.url).content.decode()  # cached, with the renditions' addresses
    assert main_photo_url(html) == main_photo_url(client.get(appeal.url).content.decode())
    image.renditions.all().delete()  # as Wagtail does when an image gets a new file
    client.get(appeal.url)
    # Rendered again (making its renditions again), not the cached page whose photos 404.
    assert image.renditions.filter(filter_spec="fill-600x750-c100").exists()


def test_any_saved_change_purges(appeal, image):
    generation = page_cache_generation()
    image.title = "Renamed"
    image.save()
    assert page_cache_generation() != generation


def test_the_cdn_purges_the_appeal_and_what_lists_it_once(appeal, image, frontend_cache):
    image.get_rendition("fill-200x250-c100")
    image.get_rendition("fill-600x750-c100")
    frontend_cache.clear()
    with transaction.atomic():
        image.title = "Renamed again"
        image.save()
        image.renditions.all().delete()
    paths = frontend_cache.paths()
    assert appeal.url in paths
    assert "/" in paths and appeal.get_parent().url in paths
    assert len(paths) == len(set(paths)), paths  # each address once


def test_an_image_no_live_appeal_shows_purges_nothing(directory, frontend_cache):
    draft = factories.appeal_create(publish=False)
    loose = factories.image_create()
    generation = page_cache_generation()
    frontend_cache.clear()
    for image in [loose, draft.photos.first().image]:
        image.title = "Changed"
        image.save()
        image.renditions.all().delete()
    assert page_cache_generation() == generation
    assert not frontend_cache.paths()
