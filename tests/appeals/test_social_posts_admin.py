"""Every appeal's social posts in the admin, on Wagtail's generic listing: paged (a record
page stopped at one appeal), filtered, exported, named by network, and only for those whose
role lets them see posts."""

import pytest
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


def test_a_publisher_lists_every_appeals_posts_named_by_network(client, posts):
    client.force_login(factories.staff(roles.PUBLISHERS))
    page = client.get(reverse(INDEX)).content.decode()
    assert "Failing Fenella" in page and "Posted Percival" in page
    assert "X (Twitter)" in page and "Mastodon" in page
    record = reverse("appeals_publicity_record", args=[posts["failing"].pk])
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
    # One live post per network and appeal; withdrawn ones (each go-live's) may be many.
    SocialPost.objects.bulk_create(
        SocialPost(
            appeal=appeal,
            channel="x",
            status=SocialPost.Status.CANCELLED,
            withdrawn_at=timezone.now(),
        )
        for _ in range(55)
    )
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
