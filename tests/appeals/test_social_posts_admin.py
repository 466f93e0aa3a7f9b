"""Every appeal's social posts in the admin, on Wagtail's generic listing: paged (a record
page stopped at one appeal), filtered, exported, named by network, and only for those whose
role lets them see posts."""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from appeals.models import SocialPost
from homeward import roles
from tests import factories

pytestmark = pytest.mark.django_db

INDEX = "appeals_social_posts:index"


@pytest.fixture
def posts(directory):
    failing = factories.appeal_create(parent=directory, title="Failing Fenella")
    posted = factories.appeal_create(parent=directory, title="Posted Percival")
    SocialPost.objects.create(appeal=failing, channel="x", status=SocialPost.Status.FAILED)
    SocialPost.objects.create(
        appeal=posted, channel="mastodon", status=SocialPost.Status.POSTED, reference="123"
    )
    return {"failing": failing, "posted": posted}


def withdrawn_posts_create(appeal, count: int) -> None:
    """An appeal has one live post per network; withdrawn ones (each go-live's) may be many."""
    SocialPost.objects.bulk_create(
        SocialPost(
            appeal=appeal,
            channel="x",
            status=SocialPost.Status.CANCELLED,
            withdrawn_at=timezone.now(),
        )
        for _ in range(count)
    )


def test_a_publisher_lists_every_appeals_posts_named_by_network(client, posts):
    client.force_login(factories.staff(roles.PUBLISHERS))
    page = client.get(reverse(INDEX)).content.decode()
    assert "Failing Fenella" in page and "Posted Percival" in page
    assert "X (Twitter)" in page and "Mastodon" in page
    record = reverse("appeals_social_posts:appeal", args=[posts["failing"].pk])
    assert f'href="{record}"' in page  # where a failed post is tried again


def test_posts_are_filtered_by_state_and_network_and_exported(client, posts):
    client.force_login(factories.staff(roles.PUBLISHERS))
    failed = client.get(reverse(INDEX), {"status": "failed"}).content.decode()
    assert "Failing Fenella" in failed and "Posted Percival" not in failed
    mastodon = client.get(reverse(INDEX), {"channel": "mastodon"}).content.decode()
    assert "Posted Percival" in mastodon and "Failing Fenella" not in mastodon
    export = client.get(reverse(INDEX), {"export": "csv"})
    rows = export.getvalue().decode()
    assert "Failing Fenella" in rows and "Posted Percival" in rows and "123" in rows


def test_the_list_is_paged(client, directory):
    appeal = factories.appeal_create(parent=directory)
    withdrawn_posts_create(appeal, 55)
    client.force_login(factories.staff(roles.PUBLISHERS))
    first = client.get(reverse(INDEX)).content.decode()
    second = client.get(reverse(INDEX), {"p": 2}).content.decode()
    assert first.count("Cancelled") >= 50
    assert 0 < second.count("Cancelled") < 50


@pytest.mark.parametrize("role", [roles.EDITORS, roles.SAFEGUARDING_LEADS, roles.POLICE_OFFICERS])
def test_roles_without_the_posts_permission_are_refused(client, posts, role):
    user = factories.user_create(
        role=role, force_slug="kent-police" if role == roles.POLICE_OFFICERS else None
    )
    client.force_login(user)
    response = client.get(reverse(INDEX))
    assert response.status_code in {302, 403}
    assert "Failing Fenella" not in response.content.decode()


def test_an_appeals_record_is_its_own_posts_paged_with_try_again(client, posts):
    failing = posts["failing"]
    withdrawn_posts_create(failing, 55)
    client.force_login(factories.staff(roles.PUBLISHERS))
    url = reverse("appeals_social_posts:appeal", args=[failing.pk])
    pages = [client.get(url, {"p": number}) for number in (1, 2)]
    assert [page.status_code for page in pages] == [200, 200]
    html = "".join(page.content.decode() for page in pages)
    assert "Page 1 of 2" in html and "Page 2 of 2" in html
    assert html.count("Cancelled") >= 55 and ">123<" not in html  # not the other appeal's
    assert html.count("Try again") == 1  # the failed post's
    assert "Publicity record: Failing Fenella" in html


def test_an_appeal_someone_may_not_see_has_no_record_for_them(client, posts):
    """Staff with the posts' permissions but no role see no appeal: 404, as for none."""
    user = factories.user_create()
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["access_admin", "view_socialpost", "change_socialpost"]
        )
    )
    client.force_login(user)
    failing = posts["failing"]
    post = SocialPost.objects.get(appeal=failing)
    assert client.get(reverse("appeals_social_posts:appeal", args=[failing.pk])).status_code == 404
    assert client.post(reverse("appeals_social_posts:retry", args=[post.pk])).status_code == 404
    post.refresh_from_db()
    assert post.status == SocialPost.Status.FAILED


def test_a_records_times_are_the_charitys_local_time(client, directory):
    appeal = factories.appeal_create(parent=directory)
    SocialPost.objects.filter(appeal=appeal).delete()
    SocialPost.objects.create(
        appeal=appeal, channel="x", retry_at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    )
    client.force_login(factories.staff(roles.PUBLISHERS))
    page = client.get(reverse("appeals_social_posts:appeal", args=[appeal.pk])).content.decode()
    assert "Queued: next try 1 Jul 2026 13:00" in page  # British Summer Time
