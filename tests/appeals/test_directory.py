from datetime import timedelta

import pytest
from django.utils import timezone

from appeals.models import AppealPage
from appeals.services.closing import appeal_expire
from homeward.models import PoliceForce
from tests import factories

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [appeal.title for appeal in response.context["appeals_page"].object_list]


@pytest.fixture
def appeals():
    today = timezone.localdate()
    return {
        "leeds_child": factories.appeal_create(
            title="Ysolde Marrowby",
            age_when_missing=14,
            gender=AppealPage.Gender.NON_BINARY,
            last_seen_area="Leeds",
            police_force=PoliceForce.objects.get(slug="west-yorkshire-police"),
            missing_since=today - timedelta(days=2),
            hair="Braided black hair",
        ),
        "glasgow_adult": factories.appeal_create(
            title="Thaddeus Crumpwell",
            age_when_missing=44,
            gender=AppealPage.Gender.MALE,
            last_seen_area="Glasgow",
            police_force=PoliceForce.objects.get(slug="police-scotland"),
            missing_since=today - timedelta(days=45),
        ),
        "old_case": factories.appeal_create(
            title="Oriel Fenwright",
            age_when_missing=16,
            last_seen_area="Cardiff",
            police_force=PoliceForce.objects.get(slug="south-wales-police"),
            missing_since=today - timedelta(days=900),
        ),
    }


def test_lists_live_appeals_newest_first(client, directory, appeals):
    response = client.get(directory.url)
    assert response.status_code == 200
    assert names(response) == ["Ysolde Marrowby", "Thaddeus Crumpwell", "Oriel Fenwright"]


def test_drafts_and_closed_appeals_are_not_listed(client, directory, appeals):
    factories.appeal_create(title="Draft Dorothea", publish=False)
    factories.appeal_create(title="Found Fennimore", status=AppealPage.Status.FOUND)
    unpublished = factories.appeal_create(title="Unpublished Ulric")
    appeal_expire(appeal=unpublished)  # taken down, and still open
    html = client.get(directory.url).content.decode()
    for title in ["Draft Dorothea", "Found Fennimore", "Unpublished Ulric"]:
        assert title not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("force=police-scotland", ["Thaddeus Crumpwell"]),
        ("person=child", ["Ysolde Marrowby", "Oriel Fenwright"]),
        ("person=adult", ["Thaddeus Crumpwell"]),
        ("since=7d", ["Ysolde Marrowby"]),
        ("since=1y", ["Ysolde Marrowby", "Thaddeus Crumpwell"]),
        ("since=over1y", ["Oriel Fenwright"]),
        ("person=child&since=1y", ["Ysolde Marrowby"]),
        ("q=Crumpwell", ["Thaddeus Crumpwell"]),
        ("q=glasgow", ["Thaddeus Crumpwell"]),
        ("q=braided", ["Ysolde Marrowby"]),
        ("q=cardiff&person=adult", []),
        ("q=Marowby", ["Ysolde Marrowby"]),
        ("age=12-17", ["Ysolde Marrowby", "Oriel Fenwright"]),
        ("age=26-64", ["Thaddeus Crumpwell"]),
        ("age=under-12", []),
        ("gender=male", ["Thaddeus Crumpwell"]),
        ("gender=female", ["Oriel Fenwright"]),
        ("gender=non-binary&age=12-17", ["Ysolde Marrowby"]),
        ("age=12-17&since=over1y&force=south-wales-police", ["Oriel Fenwright"]),
    ],
)
def test_filters_and_search_are_bookmarkable_urls(client, directory, appeals, query, expected):
    response = client.get(f"{directory.url}?{query}")
    assert response.status_code == 200
    assert names(response) == expected
    assert response.context["is_filtered"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("force=atlantis-constabulary", "force"),
        ("person=robot", "person"),
        ("since=forever", "since"),
        ("age=ancient", "age"),
        ("gender=not-stated", "gender"),
    ],
)
def test_bad_filter_values_get_an_error_summary_not_a_500(client, directory, appeals, query, field):
    response = client.get(f"{directory.url}?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem with the filters" in html
    assert f'href="#id_{field}"' in html
    assert f'aria-describedby="id_{field}_error"' in html
    assert f'id="id_{field}_error"' in html
    assert len(names(response)) == 3  # everyone is still listed


def test_an_overlong_search_is_refused_clearly(client, directory, appeals):
    response = client.get(f"{directory.url}?q={'x' * 101}")
    assert response.status_code == 200
    assert "Ensure this value has at most 100 characters" in response.content.decode()


def test_paginated_with_filters_kept_in_page_links(client, directory):
    for number in range(14):
        factories.appeal_create(age_when_missing=10 + number % 5)
    first = client.get(f"{directory.url}?person=child")
    assert len(names(first)) == 12
    assert 'href="?person=child&amp;page=2"' in first.content.decode()
    second = client.get(f"{directory.url}?person=child&page=2")
    assert len(names(second)) == 2
    assert client.get(f"{directory.url}?page=999").context["appeals_page"].number == 2
    assert client.get(f"{directory.url}?page=abc").context["appeals_page"].number == 1


def test_a_page_of_twelve_cards_costs_a_fixed_number_of_queries(
    client, directory, django_assert_max_num_queries
):
    for _ in range(12):
        factories.appeal_create()
    client.get(directory.url)  # make the renditions
    from homeward.page_cache import page_cache_purge

    page_cache_purge()
    with django_assert_max_num_queries(12):
        client.get(directory.url)


def test_searches_are_never_shared_cached(client, directory, appeals):
    """Searches are as many as people type: kept in the shared cache, they would push out
    the pages everyone asks for. And a search always reads the appeals as they are now."""
    assert "s-maxage" in client.get(directory.url)["Cache-Control"]
    searched = client.get(directory.url, {"q": "Marrowby"})
    assert "private" in searched["Cache-Control"] and "s-maxage" not in searched["Cache-Control"]

    AppealPage.objects.filter(pk=appeals["leeds_child"].pk).update(title="Ysolde Other")
    assert names(client.get(directory.url, {"q": "Marrowby"})) == []  # not from a cache


def test_age_ranges_are_of_the_age_when_missing_and_meet_without_gaps(client, directory):
    for age in [11, 12, 17, 18, 65]:
        factories.appeal_create(title=f"Aged {age}", age_when_missing=age)
    ranges = {
        "under-12": ["Aged 11"],
        "12-17": ["Aged 12", "Aged 17"],
        "18-25": ["Aged 18"],
        "26-64": [],
        "65-plus": ["Aged 65"],
    }
    for age, expected in ranges.items():
        assert sorted(names(client.get(directory.url, {"age": age}))) == expected


def test_cards_one_link_each_photos_in_three_widths_the_first_row_at_once(client, directory):
    for _ in range(6):
        factories.appeal_create()
    for url in [directory.url, "/"]:
        html = client.get(url).content.decode()
        cards = html.split('<li class="appeal-card">')[1:]
        assert len(cards) == 6
        for number, card in enumerate(cards, start=1):
            card = card.split("</li>", 1)[0]
            assert card.count("<a ") == 1  # the photo is inside the link's reach, not a second link
            photo = card.split("<img ", 1)[1].split(">", 1)[0]
            srcset = photo.split('srcset="', 1)[1].split('"', 1)[0]
            for width in ["fill-200x250-c100", "fill-400x500-c100", "fill-600x750-c100"]:
                assert srcset.count(width) == 1  # the same crop at three widths
            assert 'sizes="' in photo and 'width="' in photo and 'height="' in photo
            assert f'loading="{"eager" if number <= 4 else "lazy"}"' in photo


def test_the_home_page_shows_two_full_rows_of_faces(client, directory):
    for _ in range(9):
        factories.appeal_create()
    html = client.get("/").content.decode()
    assert html.count('<li class="appeal-card">') == 8
