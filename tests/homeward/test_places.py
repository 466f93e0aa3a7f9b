"""The gazetteer: postcodes, towns and regions to police forces, without a database."""

from importlib import import_module

import pytest
from django.utils.text import slugify

from homeward.places import (
    AREAS,
    NO_UK_FORCE,
    PLACES_BY_FORCE,
    area_force_slugs,
    find_place,
    forces_for_place,
    place_label,
)

FORCES = import_module("homeward.migrations.0002_police_forces").FORCES
FORCE_SLUGS = {slugify(name) for names in FORCES.values() for name in names}
# British Transport Police covers the railways, not a place.
PLACED_FORCES = FORCE_SLUGS - {"british-transport-police"}
WELSH = {slugify(name) for name in FORCES["wales"]}
MET, CITY = "metropolitan-police-service", "city-of-london-police"


def test_every_slug_in_the_data_is_a_real_force():
    area_slugs = {slug for _, forces in AREAS.values() for slug in forces}
    assert area_slugs <= FORCE_SLUGS
    assert set(PLACES_BY_FORCE) <= FORCE_SLUGS


def test_every_force_that_covers_a_place_has_a_postcode_area_and_a_town():
    area_slugs = {slug for _, forces in AREAS.values() for slug in forces}
    assert area_slugs == PLACED_FORCES
    assert set(PLACES_BY_FORCE) == PLACED_FORCES
    assert all(PLACES_BY_FORCE[slug].strip() for slug in PLACED_FORCES)


def test_every_uk_postcode_area_is_mapped_and_every_district_has_a_force():
    assert len(AREAS) == 121
    assert set(NO_UK_FORCE) == {"GY", "JE", "IM"}
    for area in AREAS:
        for district in range(100):
            assert area_force_slugs(area, district), (area, district)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LS6 3AB", ["west-yorkshire-police"]),
        ("ls63ab", ["west-yorkshire-police"]),
        ("LS6", ["west-yorkshire-police"]),
        ("LS24", ["north-yorkshire-police"]),
        ("Cardiff", ["south-wales-police"]),
        ("CF10", ["south-wales-police"]),
        ("CF10 1EP", ["south-wales-police"]),
        ("EH1", ["police-scotland"]),
        ("BT1", ["police-service-of-northern-ireland"]),
        ("SW1A 1AA", [MET]),
        ("W1A", [MET]),
        ("M1 1AE", ["greater-manchester-police"]),
        ("B1", ["west-midlands-police"]),
        ("Scotland", ["police-scotland"]),
        ("Northern Ireland", ["police-service-of-northern-ireland"]),
        ("Greater Manchester", ["greater-manchester-police"]),
        ("Isle of Wight", ["hampshire-and-isle-of-wight-constabulary"]),
        ("Cornwall", ["devon-and-cornwall-police"]),
        ("Tower Hamlets", [MET]),
        ("Newcastle", ["northumbria-police"]),
    ],
)
def test_known_places(text, expected):
    assert forces_for_place(text) == expected


def test_places_that_straddle_forces_list_each():
    assert set(forces_for_place("EC2")) == {CITY, MET}
    assert set(forces_for_place("London")) == {CITY, MET}
    assert set(forces_for_place("Wales")) == WELSH
    assert set(forces_for_place("Yorkshire")) >= {
        "west-yorkshire-police",
        "south-yorkshire-police",
        "north-yorkshire-police",
    }
    assert set(forces_for_place("LS")) == {"west-yorkshire-police", "north-yorkshire-police"}
    # Two towns of one name: both are offered, the person unticks the other.
    assert set(forces_for_place("Bangor")) == {
        "north-wales-police",
        "police-service-of-northern-ireland",
    }


def test_names_are_matched_however_they_are_written():
    for text in ["Saint Albans", "st. albans", "ST ALBANS", " St  Albans "]:
        assert forces_for_place(text) == ["hertfordshire-constabulary"], text
    assert forces_for_place("Brighton & Hove") == ["sussex-police"]
    assert forces_for_place("newcastle-upon-tyne") == ["northumbria-police"]
    assert forces_for_place("Kings Lynn") == ["norfolk-constabulary"]
    assert forces_for_place("Ynys Mon") == ["north-wales-police"]
    assert forces_for_place("Leeds, West Yorkshire") == ["west-yorkshire-police"]


def test_unknown_and_empty_places_have_no_forces():
    for text in ["", "   ", "Xyz", "QQ1 1AA", "12345", "Paris"]:
        assert forces_for_place(text) == [], text
        assert find_place(text) is None


def test_crown_dependencies_are_understood_but_have_no_uk_force():
    place = find_place("JE2 3AB")
    assert place.label == "JE2 (Jersey)"
    assert place.force_slugs == ()
    assert forces_for_place("GY") == []


def test_place_label_says_the_place_back():
    assert place_label("ls6 3ab") == "LS6 (Leeds)"
    assert place_label("saint helens") == "St Helens"
    assert place_label("Nowhere") is None
