"""Publish → searchable: an appeal cleared and published in production is found by its
name in the public directory search, on gunicorn, within 30 seconds.

Wagtail writes its search index in a background task, which production runs on the
Procfile's wagtail_tasks worker. The test process takes the appeal out of the index
before publishing (it indexed the draft as it saved it), so only production can put it
back. Each search asks for its own address, so that none is answered from the page
cache: what is measured is the index.

The second test is the page cache's part: someone who searched in the moment between
publishing and indexing (held open here by pausing the wagtail_tasks worker) and who
searches again must find the appeal within the same 30 seconds, not be served the empty
result from the page cache until it expires.
"""

import time
from itertools import count
from urllib.parse import urlencode

import pytest

from appeals.models import AppealIndexPage, AppealPage
from tests.production import data
from tests.production.browser import NO_ANSWER, Visitor
from tests.production.stack import wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAME = "Perpetua Brightwater"
FOUND_WITHIN = 30  # seconds


def test_a_published_appeal_is_found_by_its_name_in_the_directory_search(stack, figures):
    appeal = data.draft_appeal(title=NAME, slug="perpetua-brightwater")
    data.index_forget(appeal)
    assert not AppealPage.objects.filter(pk=appeal.pk).search(NAME)
    directory = AppealIndexPage.objects.get().url
    visitor = Visitor(stack.base_url)
    figures.tried = 1

    path = stack.call("appeals_publish", appeal_ids=[appeal.pk])[str(appeal.pk)]
    published = time.monotonic()
    assert visitor.status(path) == 200, "the published appeal's page does not answer"

    probes = count()
    statuses = search_until_found(
        visitor,
        # Each search its own address: this measures the index, not the page cache.
        lambda: f"{directory}?{urlencode({'q': NAME, 'probe': next(probes)})}",
        path=path,
        since=published,
        figures=figures,
    )

    worker = stack.processes["wagtail_tasks_worker"]
    assert not figures.lost, (
        f"{NAME!r} was not found by the directory search within {FOUND_WITHIN} s of "
        f"publishing ({len(statuses)} searches, statuses {sorted(set(statuses))}); "
        f"the index has {'an' if AppealPage.objects.search(NAME) else 'no'} entry for it; "
        f"wagtail_tasks_worker is "
        f"{'running' if worker.running else f'not running (exit {worker.exit_code})'}"
    )
    assert figures.errors_5xx == 0


def test_a_search_made_before_indexing_does_not_hide_the_appeal(stack, figures):
    figures.scenario = "publish_searchable_after_an_early_search"
    name = "Clemency Ashdown"
    appeal = data.draft_appeal(title=name, slug="clemency-ashdown")
    data.index_forget(appeal)
    search = f"{AppealIndexPage.objects.get().url}?{urlencode({'q': name})}"
    visitor = Visitor(stack.base_url)
    figures.tried = 1

    with stack.paused("wagtail_tasks_worker"):
        path = stack.call("appeals_publish", appeal_ids=[appeal.pk])[str(appeal.pk)]
        early = visitor.get(search)  # published, not yet indexed
        assert early.status_code == 200
        assert f'href="{path}"' not in early.text
    indexing = time.monotonic()

    statuses = search_until_found(
        visitor, lambda: search, path=path, since=indexing, figures=figures
    )
    in_index = AppealPage.objects.filter(pk=appeal.pk).search(name).count()
    figures.details["in_index"] = bool(in_index)
    assert not figures.lost, (
        f"the search {search} still answered without {name!r} {FOUND_WITHIN} s after the "
        f"wagtail_tasks worker went on ({len(statuses)} searches); the index "
        f"{'has' if in_index else 'does not have'} it; "
        f"Cache-Control {visitor.get(search).headers.get('Cache-Control')!r}"
    )


def search_until_found(visitor, search_url, *, path, since, figures) -> list[int]:
    """Search every second, for FOUND_WITHIN seconds, until the appeal's link shows;
    record the figures (recovery counted from ``since``) and return every status seen."""
    statuses: list[int] = []

    def found() -> bool:
        try:
            response = visitor.get(search_url())
        except OSError:
            statuses.append(NO_ANSWER)
            return False
        statuses.append(response.status_code)
        return response.status_code == 200 and f'href="{path}"' in response.text

    is_found = wait_until(found, timeout=FOUND_WITHIN, interval=1)
    if is_found:
        figures.recovery_s = round(time.monotonic() - since, 1)
    figures.lost = 0 if is_found else 1
    figures.errors_5xx = sum(status >= 500 for status in statuses)
    figures.details = {"searches": len(statuses)}
    return statuses
