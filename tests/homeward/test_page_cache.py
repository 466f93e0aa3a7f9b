"""The shared page cache: fast for the public, and purged the moment anything changes."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from appeals.models import AppealPage
from appeals.services.closing import appeal_close, appeal_expire
from homeward import roles
from homeward.page_cache import GENERATION_KEY, PageCacheMiddleware
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run purges queued for after commit, as a real transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_public_page_is_served_from_the_cache_without_touching_the_database(
    client, appeal, django_assert_num_queries
):
    first = client.get(appeal.url)
    assert "public" in first["Cache-Control"] and "s-maxage=300" in first["Cache-Control"]
    assert "max-age=0" in first["Cache-Control"]
    with django_assert_num_queries(0):
        second = client.get(appeal.url)
    assert second.content == first.content


def test_the_directory_and_its_filtered_views_are_cached_separately(client, directory, appeal):
    assert appeal.title in client.get(directory.url).content.decode()
    assert appeal.title not in client.get(f"{directory.url}?force=kent-police").content.decode()
    assert appeal.title in client.get(directory.url).content.decode()


@pytest.mark.parametrize("change", ["republish", "expire", "close", "move"])
def test_every_change_purges_the_cache_at_once(client, directory, appeal, on_commit, change):
    assert appeal.title in client.get("/").content.decode()
    assert client.get(appeal.url).status_code == 200
    generation = cache.get(GENERATION_KEY)

    with on_commit():
        if change == "republish":
            appeal.title = "Renamed Rosalind"
            appeal.save_revision()
            factories.publicity_clear(appeal)
        elif change == "expire":
            appeal_expire(appeal=appeal)
        elif change == "close":
            publisher = factories.user_create(role=roles.PUBLISHERS)
            appeal_close(appeal=appeal, user=publisher, outcome="found", reason="Found.")
        elif change == "move":
            factories.appeal_create()
            AppealPage.objects.get(pk=appeal.pk).move(directory, pos="last-child")

    assert cache.get(GENERATION_KEY) != generation
    home = client.get("/").content.decode()
    page = client.get(appeal.url)
    directory_html = client.get(directory.url).content.decode()
    if change == "republish":
        assert "Renamed Rosalind" in home and "Renamed Rosalind" in directory_html
    elif change != "move":
        assert appeal.title not in home and appeal.title not in directory_html
        assert page.status_code in (404, 410)


def test_signed_in_staff_always_see_the_live_page(client, appeal):
    client.get(appeal.url)  # cached for the public
    client.force_login(factories.user_create(role=roles.EDITORS))
    response = client.get(appeal.url)
    assert "private" in response["Cache-Control"]
    assert response.wsgi_request.user.is_authenticated


def test_failed_responses_are_not_cached(client, directory):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


def test_caching_can_be_switched_off(client, appeal, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(appeal.url)
    response = client.get(appeal.url)
    assert "public" not in response["Cache-Control"]


def test_page_cache_runs_before_sessions(client):
    middleware = settings.MIDDLEWARE
    assert middleware.index("homeward.page_cache.PageCacheMiddleware") < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )


def shareable_view(calls: list, *, cookie: str | None = None):
    """A view that counts its calls and says its response may be shared."""

    def view(request):
        calls.append(request)
        response = HttpResponse("hello")
        response["Cache-Control"] = "public, max-age=0, s-maxage=300"
        if cookie:
            response.set_cookie(cookie, "x")
        return response

    return view


def test_a_response_that_sets_a_cookie_is_never_shared(rf):
    calls = []
    middleware = PageCacheMiddleware(shareable_view(calls, cookie="preference"))
    middleware(rf.get("/cookie-page/"))
    middleware(rf.get("/cookie-page/"))
    assert len(calls) == 2


def test_a_request_with_a_session_cookie_skips_the_cache(rf):
    calls = []
    middleware = PageCacheMiddleware(shareable_view(calls))
    middleware(rf.get("/shared-page/"))
    middleware(rf.get("/shared-page/"))
    assert len(calls) == 1
    signed_in = rf.get("/shared-page/")
    signed_in.COOKIES[settings.SESSION_COOKIE_NAME] = "abc"
    middleware(signed_in)
    assert len(calls) == 2
