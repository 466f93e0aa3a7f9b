"""Publish → searchable: an appeal cleared and published in production is found by its
name in the public directory search, on gunicorn, at once.

The directory search reads the live appeals themselves (appeals/search.py), not a search
index that a worker writes later, so there is nothing to wait for: the first search
after publishing must find the appeal. Each search asks for its own address, so none is
answered from the page cache.

The second test is the caches' part: someone who searched for the person just before
the appeal went public, and who searches again with the same address, must find it, not
be served the empty result from the page cache or the browser's.
"""

import time
from itertools import count
from urllib.parse import urlencode

import pytest

from appeals.models import AppealIndexPage
from tests.production import data
from tests.production.browser import NO_ANSWER, Visitor
from tests.production.stack import wait_until

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NAME = "Perpetua Brightwater"
FOUND_WITHIN = 30  # seconds: the figure allowed; expected at the first search


def test_a_published_appeal_is_found_by_its_name_in_the_directory_search(stack, figures):
    appeal = data.draft_appeal(title=NAME, slug="perpetua-brightwater")
    directory = AppealIndexPage.objects.get().url
    visitor = Visitor(stack.base_url)
    figures.tried = 1

    path = stack.call("appeals_publish", appeal_ids=[appeal.pk])[str(appeal.pk)]
    published = time.monotonic()
    assert visitor.status(path) == 200, "the published appeal's page does not answer"

    probes = count()
    statuses = search_until_found(
        visitor,
        lambda: f"{directory}?{urlencode({'q': NAME, 'probe': next(probes)})}",
        path=path,
        since=published,
        figures=figures,
    )
    assert not figures.lost, (
        f"{NAME!r} was not found by the directory search within {FOUND_WITHIN} s of "
        f"publishing ({len(statuses)} searches, statuses {sorted(set(statuses))})"
    )
    assert statuses == [200], f"found only after {len(statuses)} searches"
    assert figures.errors_5xx == 0


def test_a_search_made_before_publishing_does_not_hide_the_appeal(stack, figures):
    figures.scenario = "publish_searchable_after_an_early_search"
    name = "Clemency Ashdown"
    appeal = data.draft_appeal(title=name, slug="clemency-ashdown")
    search = f"{AppealIndexPage.objects.get().url}?{urlencode({'q': name})}"
    visitor = Visitor(stack.base_url)
    figures.tried = 1

    early = visitor.get(search)  # not public yet
    assert early.status_code == 200
    assert "No one matches" in early.text
    assert "no-cache" in early.headers.get("Cache-Control", "")
    path = stack.call("appeals_publish", appeal_ids=[appeal.pk])[str(appeal.pk)]
    published = time.monotonic()

    statuses = search_until_found(
        visitor, lambda: search, path=path, since=published, figures=figures
    )
    assert not figures.lost, (
        f"the search {search} still answered without {name!r} {FOUND_WITHIN} s after "
        f"publishing ({len(statuses)} searches); "
        f"Cache-Control {visitor.get(search).headers.get('Cache-Control')!r}"
    )
    assert statuses == [200], f"found only after {len(statuses)} searches"


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
