"""The directory's search finds people as the public types them: partial names, typos,
accents, places and forces. The same tests run on SQLite (the Python fallback) and on
PostgreSQL (pg_trgm and unaccent), so the two agree."""

from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.utils import timezone

from appeals.models import AppealPage
from appeals.search import word_similarity
from homeward.models import PoliceForce
from tests import factories

pytestmark = pytest.mark.django_db


def force(slug: str) -> PoliceForce:
    return PoliceForce.objects.get(slug=slug)


def found(client, directory, query: str, **filters) -> list[str]:
    response = client.get(directory.url, {"q": query, **filters})
    assert response.status_code == 200
    return [appeal.title for appeal in response.context["appeals_page"].object_list]


@pytest.fixture
def people():
    today = timezone.localdate()

    def appeal(title, area, force_slug, days_ago, **fields):
        return factories.appeal_create(
            title=title,
            last_seen_area=area,
            police_force=force(force_slug),
            missing_since=today - timedelta(days=days_ago),
            **fields,
        )

    return [
        appeal("Ginevra Kettlewell", "Wakefield", "west-yorkshire-police", 3),
        appeal("Zoë Abernethy", "Inverness", "police-scotland", 4),
        appeal("Bartholomew Quince", "Croydon", "metropolitan-police-service", 5),
        appeal("Esther Vandermeer", "Barbican", "city-of-london-police", 6),
        appeal("Rhodri Pengelly", "Aberystwyth", "dyfed-powys-police", 7),
        appeal("Cassius Leigh", "Maidstone", "kent-police", 8, hair="Braided auburn hair"),
        appeal("Wilhelmina Stroud", "Wigan", "greater-manchester-police", 9),
    ]


def test_partial_names_typos_and_accents_find_the_person(client, directory, people):
    assert found(client, directory, "Ginev") == ["Ginevra Kettlewell"]
    assert found(client, directory, "Kettlewel") == ["Ginevra Kettlewell"]
    assert found(client, directory, "ginevra  KETTLEWELL") == ["Ginevra Kettlewell"]
    assert found(client, directory, "Kettlewell Ginevra") == ["Ginevra Kettlewell"]
    assert found(client, directory, "Zoe") == ["Zoë Abernethy"]
    assert found(client, directory, "Abernéthy") == ["Zoë Abernethy"]
    assert found(client, directory, "Vandermere") == ["Esther Vandermeer"]
    # Every word must match something of theirs; an area counts, a description too.
    assert found(client, directory, "Ginevra Inverness") == []
    assert found(client, directory, "Zoe Inverness") == ["Zoë Abernethy"]
    assert found(client, directory, "braided") == ["Cassius Leigh"]
    # Nothing like anyone, and a one- or two-letter postcode area is not a place.
    assert found(client, directory, "Xylophone") == []
    assert found(client, directory, "Al") == []


def test_places_and_forces_find_the_appeals_of_the_forces_covering_them(client, directory, people):
    assert found(client, directory, "West Yorkshire") == ["Ginevra Kettlewell"]
    assert found(client, directory, "west yorks") == ["Ginevra Kettlewell"]
    assert found(client, directory, "Leeds") == ["Ginevra Kettlewell"]  # a town of West Yorkshire
    assert found(client, directory, "LS6") == ["Ginevra Kettlewell"]  # a postcode district
    assert found(client, directory, "Scotland") == ["Zoë Abernethy"]
    assert found(client, directory, "Police Scotland") == ["Zoë Abernethy"]
    assert found(client, directory, "Wales") == ["Rhodri Pengelly"]
    # The Met and the City of London Police, newest first: every appeal in London.
    assert found(client, directory, "London") == ["Bartholomew Quince", "Esther Vandermeer"]
    assert found(client, directory, "Croydon") == ["Bartholomew Quince"]
    assert found(client, directory, "police") == []  # names no force in particular


def test_a_name_match_comes_before_the_appeals_of_a_place_of_that_name(client, directory, people):
    # Leigh is a surname and a town of Greater Manchester.
    assert found(client, directory, "Leigh") == ["Cassius Leigh", "Wilhelmina Stroud"]
    # The other filters still apply to a search.
    assert found(client, directory, "Leigh", force="kent-police") == ["Cassius Leigh"]
    assert found(client, directory, "London", force="kent-police") == []


def test_only_publicly_visible_appeals_are_searched(client, directory, people):
    factories.appeal_create(title="Ginevra Draftwell", publish=False)
    factories.appeal_create(title="Ginevra Foundling", status=AppealPage.Status.FOUND)
    assert found(client, directory, "Ginevra") == ["Ginevra Kettlewell"]
    assert found(client, directory, "Yorkshire", force="north-yorkshire-police") == []


def test_the_python_fallback_measures_as_pg_trgm_does():
    # PostgreSQL's documented example, and the cases the directory relies on.
    assert word_similarity("word", "two words") == pytest.approx(0.8)
    assert word_similarity("Ginev", "Ginevra Kettlewell") == pytest.approx(5 / 6)
    assert word_similarity("Kettlewel", "Ginevra Kettlewell") == pytest.approx(0.9)
    assert word_similarity("Zoe", "Zoë Abernethy") == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compares with pg_trgm")
def test_the_python_fallback_agrees_with_postgresql():
    pairs = [
        ("ginev", "Ginevra Kettlewell"),
        ("kettlwell", "Ginevra Kettlewell"),
        ("marrowbee", "Ysolde Marrowby"),
        ("al", "Alice"),
        ("zoe", "Zoë Abernethy"),
        ("bart quince", "Bartholomew Quince"),
    ]
    with connection.cursor() as cursor:
        for needle, haystack in pairs:
            cursor.execute(
                "SELECT word_similarity(unaccent(lower(%s)), unaccent(lower(%s)))",
                [needle, haystack],
            )
            expected = cursor.fetchone()[0]
            assert word_similarity(needle, haystack) == pytest.approx(expected, abs=1e-6)


def test_a_search_costs_the_listing_s_queries_and_two_more(client, directory):
    """The forces, for places; on SQLite the candidates' words too. Not one per card."""
    from django.test.utils import CaptureQueriesContext

    for _ in range(12):
        factories.appeal_create(last_seen_area="Leeds")
    client.get(directory.url, {"q": "Leeds"})  # make the renditions
    with CaptureQueriesContext(connection) as listing:
        client.get(directory.url, {"since": "30d"})
    with CaptureQueriesContext(connection) as search:
        response = client.get(directory.url, {"q": "Leeds"})
    assert len(response.context["appeals_page"].object_list) == 12
    assert len(search) <= len(listing) + 2


def test_the_title_names_the_search_and_the_filters(client, directory, people):
    def title(**params) -> str:
        html = client.get(directory.url, params).content.decode()
        title = unescape(html.split("<title>", 1)[1].split("</title>", 1)[0])
        return title.removesuffix(" \N{EN DASH} Homeward")

    assert title() == "Missing people"
    assert title(q="Ginev") == 'Missing people matching "Ginev"'
    assert title(q="Ginev", force="west-yorkshire-police", age="12-17", gender="female") == (
        'Missing people matching "Ginev": West Yorkshire Police, aged 12 to 17, female'
    )
    assert title(since="7d", person="child", page="1") == (
        "Missing people: children, missing in the last 7 days"
    )
    assert title(age="ancient") == "Error: Missing people"
