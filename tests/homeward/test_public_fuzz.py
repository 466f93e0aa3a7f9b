"""Fuzzing every public form and query string: whatever arrives, the answer is a page
(2xx, 3xx or 4xx), never a server error. Text includes quotes, operators, control and
direction characters, and invalid UTF-8 escapes."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsletter.tokens import manage_token
from sightings.models import Sighting
from tests.newsletter.conftest import hero_create
from tests.sightings.conftest import aged_token

pytestmark = pytest.mark.django_db

examples = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
# Text as a person or a script might send it, with the characters query languages use.
awkward = st.text(alphabet=st.characters(codec="utf-8"), max_size=60) | st.sampled_from(
    ['"', '"a', "a & b", "!", "(", "-", "\\", "a:b", "*", "'", "%", "\x00", "\u202e", "OR", ""]
)
params = st.dictionaries(
    st.sampled_from(["q", "force", "person", "age", "gender", "since", "page", "other"]),
    awkward,
    max_size=6,
)


def answered(response) -> bool:
    return response.status_code < 500


@examples
@given(query=params)
@example(query={"q": '"'})  # an error from SQLite's full-text search, once
@example(query={"q": "a OR (b"})
@example(query={"q": "Leigh's", "age": "65-plus", "gender": "male", "since": "over1y"})
def test_the_directory_answers_any_query_string(client, directory, appeal, query):
    assert answered(client.get(directory.url, query))


@examples
@given(query=params)
def test_the_feed_and_the_home_page_answer_any_query_string(client, directory, query):
    assert answered(client.get(f"{directory.url}feed/", query))
    assert answered(client.get("/", query))


@examples
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "seen_on",
                "seen_on_day",
                "seen_on_month",
                "seen_on_year",
                "seen_time",
                "location",
                "description",
                "identity",
                "email",
                "phone",
                "name",
                "latitude",
                "longitude",
                "with_them_now",
                "website",
                "clothing",
            ]
        ),
        awkward,
        max_size=8,
    ),
    with_token=st.booleans(),
    content_length=st.none() | st.sampled_from(["abc", "-1", "", "1e9", "99999999999999"]),
)
# The date's three boxes: a day that does not exist, a year of digits no int() accepts.
@example(
    fields={"seen_on_day": "31", "seen_on_month": "2", "seen_on_year": "\u0663\u0662"},
    with_token=True,
    content_length=None,
)
@example(fields={"seen_on": "9999-99-99", "seen_on_day": ""}, with_token=True, content_length=None)
def test_the_sighting_form_answers_any_post(client, appeal, fields, with_token, content_length):
    data = {**fields, **({"token": aged_token(appeal.pk)} if with_token else {})}
    extra = {"CONTENT_LENGTH": content_length} if content_length is not None else {}
    before = Sighting.objects.count()
    response = client.post(reverse("sighting-report", args=[appeal.pk]), data, **extra)
    assert answered(response)
    if response.status_code != 302:
        assert Sighting.objects.count() == before  # refused: nothing stored


# The Heroes' pages: both steps of the sign-up (the button pressed says which) and the
# manage page's lookup and save.
hero_fields = st.dictionaries(
    st.sampled_from(
        [
            "email",
            "place",
            "places_said",
            "areas",
            "all_of_uk",
            "address_is_right",
            "urgent_alerts",
            "consent",
            "website",
        ]
    ),
    awkward,
    max_size=7,
).flatmap(
    lambda fields: st.sampled_from([None, "find", "sign-up", "change", "save", "x"]).map(
        lambda action: fields if action is None else {**fields, "action": action}
    )
)


@examples
@given(fields=hero_fields)
@example(fields={"email": "a@example.invalid", "place": "LS6", "action": "find"})
@example(fields={"areas": ["1", "99999", "x"], "places_said": "LS6", "action": "sign-up"})
def test_the_heroes_sign_up_answers_any_post(client, fields):
    assert answered(client.post(reverse("hero-sign-up"), fields))


@pytest.fixture
def manage_url(db) -> str:
    hero = hero_create("fuzz.manage@example.invalid")
    return reverse("hero-manage", args=[manage_token(hero.public_id)])


@examples
@given(fields=hero_fields)
def test_the_heroes_manage_page_answers_any_post(client, manage_url, fields):
    assert answered(client.post(manage_url, fields))


@examples
@given(token=st.text(alphabet=st.characters(codec="ascii", exclude_characters="/?#"), min_size=1))
def test_signed_links_answer_any_token(client, token):
    for name in ["hero-confirm", "hero-manage", "hero-unsubscribe", "sighting-received"]:
        assert answered(client.get(reverse(name, args=[token])))
