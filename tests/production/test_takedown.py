"""Takedown: a publisher closes a live appeal (found) in the admin on gunicorn, and it is
taken down everywhere by the production processes.

Proved, against every Procfile process and the fake CDN:

- the photos leave the public media folder at once: the close returns with both workers
  stopped (SIGSTOP), and no original or rendition of the appeal is left in MEDIA_ROOT;
- the CDN is sent PURGE for the appeal's page, the directory, its feed, the sitemap and
  every photo and rendition address the public pages showed, each with the public host
  (BASE_URL's host:port, not "localhost");
- the appeal's AppealTakedown ends with every step done;
- neither the page nor the image search index still knows the person's name.
"""

import time
from pathlib import Path

import pytest
from django.conf import settings
from wagtail.images import get_image_model

from appeals.models import AppealIndexPage, AppealPage, AppealTakedown
from tests.production import data
from tests.production.browser import Visitor, media_paths
from tests.production.stack import wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAME = "Marigold Quillfeather"
NAME_WORDS = ["Marigold", "Quillfeather"]
DONE_WITHIN = 60  # seconds for the takedown's steps and the CDN's purges


def appeal_files(appeal: AppealPage) -> dict[str, Path]:
    """Every public file of the appeal's photos (originals and renditions), by URL."""
    files = {}
    for photo in appeal.photos.select_related("image"):
        image = photo.image
        files[image.file.url] = Path(settings.MEDIA_ROOT) / image.file.name
        for rendition in image.renditions.all():
            files[rendition.file.url] = Path(settings.MEDIA_ROOT) / rendition.file.name
    return files


def test_closing_a_live_appeal_takes_it_down_everywhere(stack, figures, publisher_browser):
    appeal = data.draft_appeal(title=NAME, slug="marigold-quillfeather", photos=2)
    for number, photo in enumerate(appeal.photos.select_related("image"), start=1):
        photo.image.title = f"{NAME}, photo {number}"  # as staff name uploads
        photo.image.save()
    images = get_image_model().objects.filter(pk__in=appeal.photos.values("image_id"))
    assert images.search("Quillfeather").count() == 2  # the image index knows the name
    directory = AppealIndexPage.objects.get().url
    path = stack.call("appeals_publish", appeal_ids=[appeal.pk])[str(appeal.pk)]

    visitor = Visitor(stack.base_url)
    shown: set[str] = set()
    for url in (path, directory, "/"):
        response = visitor.get(url)
        assert response.status_code == 200, f"GET {url}: {response.status_code}"
        shown |= media_paths(response.text)
    assert NAME in visitor.get(path).text
    files = appeal_files(appeal)
    shown &= set(files)  # the person's photos, wherever the public pages showed them
    assert shown, "the appeal's page shows none of its photos"
    assert all(file.exists() for file in files.values())

    close_path = f"/admin/appeals/{appeal.pk}/close/"
    form = publisher_browser.get(close_path)
    assert form.status_code == 200, f"the close form: {form.status_code}"
    stack.cdn.clear()
    with stack.paused("jobs_worker", "wagtail_tasks_worker"):
        closed_at = time.monotonic()
        response = publisher_browser.submit(
            close_path, {"outcome": "found", "reason": "Found safe by the police."}
        )
        left_public = sorted(url for url, file in files.items() if file.exists())
    assert response.status_code == 302, f"closing: {response.status_code} {response.text[:500]}"

    expected_purges = {path, directory, f"{directory}feed/", "/sitemap.xml", *shown}

    def purged() -> tuple[set[str], set[str]]:
        received = [request for request in stack.cdn.received() if request.method == "PURGE"]
        right_host = {request.path for request in received if request.host == stack.public_host}
        wrong_host = {
            f"{request.host}{request.path}"
            for request in received
            if request.host != stack.public_host
        }
        return right_host, wrong_host

    def takedown_finished() -> AppealTakedown | None:
        takedown = AppealTakedown.objects.filter(appeal_id=appeal.pk).first()
        done = takedown is not None and takedown.completed_at is not None
        return takedown if done and expected_purges <= purged()[0] else None

    finished = wait_until(takedown_finished, timeout=DONE_WITHIN, interval=1)
    if finished:
        figures.recovery_s = round(time.monotonic() - closed_at, 1)
    takedown = AppealTakedown.objects.filter(appeal_id=appeal.pk).first()
    right_host, wrong_host = purged()
    missing_purges = sorted(expected_purges - right_host)
    pending_steps = takedown.steps_pending() if takedown else list(AppealTakedown.Step.values)
    names_in_page_index = [word for word in NAME_WORDS if AppealPage.objects.search(word)]
    names_in_image_index = [
        word for word in NAME_WORDS if get_image_model().objects.search(word).count()
    ]
    gone = visitor.get(path).status_code

    figures.tried = len(expected_purges) + len(files) + len(AppealTakedown.Step.values)
    figures.lost = len(missing_purges) + len(left_public) + len(pending_steps)
    figures.details = {
        "purges_missing": len(missing_purges),
        "purges_wrong_host": len(wrong_host),
        "files_public_after_close": len(left_public),
        "steps_pending": len(pending_steps),
    }

    problems = []
    if left_public:
        problems.append(
            f"{len(left_public)} of the appeal's {len(files)} photo files were still in the "
            f"public media folder when the close returned: {left_public}"
        )
    if missing_purges:
        problems.append(
            f"the CDN was not sent PURGE with Host {stack.public_host} for {missing_purges}; "
            f"it was sent {sorted(right_host)} with that host, and with other hosts: "
            f"{sorted(wrong_host)}"
        )
    if pending_steps:
        problems.append(
            f"the takedown did not finish within {DONE_WITHIN} s: steps pending "
            f"{pending_steps}, last error {takedown.last_error if takedown else 'no record'!r}"
        )
    if names_in_page_index or names_in_image_index:
        problems.append(
            f"the search index still knows the name: pages {names_in_page_index}, "
            f"images {names_in_image_index}"
        )
    if gone != 410:
        problems.append(f"the appeal's address answers {gone}, not 410 Gone")
    assert not problems, "\n".join(problems)
