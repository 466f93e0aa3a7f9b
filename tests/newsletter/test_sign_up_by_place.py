"""Signing up, and changing areas, by postcode or town instead of a list of 45 forces."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from homeward.models import PoliceForce
from newsletter import services
from newsletter.models import Hero, HeroConsent
from newsletter.tokens import manage_token
from tests.newsletter.conftest import hero_create

pytestmark = pytest.mark.django_db

SIGN_UP = reverse("hero-sign-up")
EMAIL = "ada@example.org"


def force(slug: str) -> PoliceForce:
    return PoliceForce.objects.get(slug=slug)


def ticked(page: str) -> set[str]:
    """The slugs of the area checkboxes ticked on a page."""
    return set(re.findall(r'id="id_areas_([a-z-]+)" checked', page))


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_the_first_page_asks_where_and_for_an_email_address(client):
    page = text(client.get(SIGN_UP))
    assert 'name="place"' in page and 'autocomplete="postal-code"' in page
    assert re.search(r'<label for="id_place">Where do you want appeals for\?</label>', page)
    assert "(optional)" not in page  # a place is asked for; the list is the alternative
    assert 'type="email"' in page and 'autocomplete="email"' in page
    assert page.count('<label for="id_email"') == 1
    assert 'value="continue">Continue</button>' in page


def test_a_postcode_finds_its_force_and_stores_nothing_yet(client):
    response = client.post(SIGN_UP, {"place": "ls6 3ab", "email": EMAIL})
    assert response.status_code == 200
    page = text(response)
    assert "<h1>Check your areas</h1>" in page
    assert ticked(page) == {"west-yorkshire-police"}
    assert "For LS6 (Leeds)" in page
    assert 'name="email" value="ada@example.org"' in page
    # Every other force is still there to add, folded away.
    assert page.count('name="areas"') == PoliceForce.objects.count()
    assert Hero.objects.count() == 0


def test_a_place_on_a_boundary_ticks_each_force(client):
    page = text(client.post(SIGN_UP, {"place": "EC2A 1AB", "email": EMAIL}))
    assert ticked(page) == {"city-of-london-police", "metropolitan-police-service"}


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        ({}, ["Enter a postcode or town, like LS6 or Leeds.", "Enter your email address."]),
        (
            {"place": "Xyz", "email": EMAIL},
            [
                "We could not find “Xyz”. Enter a postcode like LS6 3AB, or a town like Leeds, "
                "or choose areas from the list."
            ],
        ),
        ({"place": "JE2 3AB", "email": EMAIL}, ["JE2 (Jersey) has its own police"]),
    ],
)
def test_the_first_page_says_what_to_do(client, data, messages):
    response = client.post(SIGN_UP, data)
    assert response.status_code == 400
    page = text(response)
    assert '<div class="error-summary" role="alert"' in page and "autofocus" in page
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    for message in messages:
        assert message in summary
    assert 'href="#id_place"' in summary
    assert "<title>Error: Become a Hero" in page
    # The list opens as the way on when a place given was not found.
    opened = re.search(r'<details class="areas" open>\s*<summary>Or choose', page)
    assert bool(opened) == bool(data.get("place"))
    assert Hero.objects.count() == 0


def test_areas_from_the_list_or_all_of_the_uk_need_no_place(client):
    chosen = force("cumbria-constabulary")
    page = text(client.post(SIGN_UP, {"areas": [chosen.pk], "email": EMAIL}))
    assert ticked(page) == {"cumbria-constabulary"}
    everywhere = text(client.post(SIGN_UP, {"all_of_uk": "on", "email": EMAIL}))
    assert ticked(everywhere) == set()
    assert 'name="all_of_uk" id="id_all_of_uk" checked' in everywhere


def test_find_adds_another_place_and_sign_up_keeps_only_the_forces(
    client, mailbox, django_capture_on_commit_callbacks
):
    first = text(client.post(SIGN_UP, {"place": "LS6 3AB", "email": EMAIL}))
    places_said = sorted(set(re.findall(r'name="places_said" value="([^"]+)"', first)))
    assert places_said == ["LS6 3AB"]
    areas = [force("west-yorkshire-police").pk]

    found = client.post(
        SIGN_UP,
        {"action": "find", "email": EMAIL, "places_said": places_said, "areas": areas,
         "place": "Cardiff"},
    )  # fmt: skip
    assert found.status_code == 200
    page = text(found)
    assert "Found Cardiff." in page
    assert ticked(page) == {"west-yorkshire-police", "south-wales-police"}
    assert "For LS6 (Leeds)" in page and "For Cardiff" in page
    assert Hero.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            SIGN_UP,
            {
                "action": "sign-up",
                "email": EMAIL,
                "places_said": ["LS6 3AB", "Cardiff"],
                "areas": [force("west-yorkshire-police").pk, force("south-wales-police").pk],
                "urgent_alerts": "no",
                "consent": "on",
            },
        )
    assert done["Location"] == reverse("hero-check-email")
    hero = Hero.objects.get()
    assert sorted(hero.area_names()) == ["South Wales Police", "West Yorkshire Police"]
    # Data minimisation: the postcode and town were only a way to find the forces.
    consent = HeroConsent.objects.get(hero=hero)
    assert "LS6" not in str(consent.choices) and "Cardiff" not in str(consent.choices)
    assert "LS6" not in mailbox.only_one_to(EMAIL).text()


def test_find_with_an_unknown_place_says_so_and_keeps_the_ticks(client):
    response = client.post(
        SIGN_UP,
        {"action": "find", "email": EMAIL, "areas": [force("kent-police").pk], "place": "Nowhere"},
    )
    assert response.status_code == 400
    page = text(response)
    assert "We could not find “Nowhere”." in page
    assert ticked(page) == {"kent-police"}
    assert Hero.objects.count() == 0


def test_signing_up_with_every_area_unticked_is_refused_with_the_list_open(client):
    response = client.post(
        SIGN_UP, {"action": "sign-up", "email": EMAIL, "urgent_alerts": "no", "consent": "on"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Choose at least one area, or choose all of the UK." in page
    assert 'href="#id_areas_avon-and-somerset-constabulary"' in page  # the first box
    assert re.search(r'<details class="areas" open>\s*<summary>Add or remove', page)
    assert Hero.objects.count() == 0


def test_change_goes_back_to_the_first_page_as_answered(client):
    page = text(
        client.post(SIGN_UP, {"action": "change", "email": EMAIL, "places_said": ["Leeds"]})
    )
    assert "<h1>Become a Hero</h1>" in page
    assert 'value="ada@example.org"' in page and 'value="Leeds"' in page


def test_the_hidden_field_filled_in_on_the_first_page_stores_nothing(client, mailbox):
    response = client.post(SIGN_UP, {"place": "Leeds", "email": EMAIL, "website": "x"})
    assert response["Location"] == reverse("hero-check-email")
    assert Hero.objects.count() == 0


def test_the_manage_page_finds_areas_by_place_and_saves_only_when_asked(client):
    hero = hero_create(EMAIL, areas=[force("kent-police")], urgent_alerts=True)
    url = reverse("hero-manage", args=[manage_token(hero.public_id)])
    assert ticked(text(client.get(url))) == {"kent-police"}

    found = client.post(
        url,
        {"action": "find", "place": "Swansea", "areas": [force("kent-police").pk],
         "urgent_alerts": "yes"},
    )  # fmt: skip
    page = text(found)
    assert "Found Swansea." in page and "save your choices to keep it" in page
    assert ticked(page) == {"kent-police", "south-wales-police"}
    assert list(hero.areas.all()) == [force("kent-police")]

    client.post(
        url,
        {"action": "save", "areas": [force("south-wales-police").pk], "urgent_alerts": "yes"},
    )
    assert list(hero.areas.all()) == [force("south-wales-police")]

    bad = client.post(url, {"action": "find", "place": "", "urgent_alerts": "yes"})
    assert bad.status_code == 400
    assert "Enter a postcode or town, like LS6 or Leeds." in text(bad)


def test_the_services_refuse_a_subscription_to_no_area_or_an_unknown_force(mailbox):
    with pytest.raises(ValidationError):
        services.hero_sign_up(email=EMAIL, all_of_uk=False, areas=[], urgent_alerts=False)
    with pytest.raises(ValidationError):
        services.hero_sign_up(
            email=EMAIL, all_of_uk=False, areas=[PoliceForce(name="Nowhere")], urgent_alerts=False
        )
    assert Hero.objects.count() == 0

    hero = hero_create(EMAIL, areas=[force("kent-police")])
    with pytest.raises(ValidationError):
        services.hero_preferences_update(hero=hero, all_of_uk=False, areas=[], urgent_alerts=True)
    assert list(hero.areas.all()) == [force("kent-police")]
    assert not hero.consents.exists()
