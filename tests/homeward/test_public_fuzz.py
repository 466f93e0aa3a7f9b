"""Fuzzing every public form and query string: whatever arrives, the answer is a page
(2xx, 3xx or 4xx), never a server error. Text includes quotes, operators, control and
direction characters, and invalid UTF-8 escapes."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sightings.models import Sighting
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
def test_the_sighting_form_answers_any_post(client, appeal, fields, with_token, content_length):
    data = {**fields, **({"token": aged_token(appeal.pk)} if with_token else {})}
    extra = {"CONTENT_LENGTH": content_length} if content_length is not None else {}
    before = Sighting.objects.count()
    response = client.post(reverse("sighting-report", args=[appeal.pk]), data, **extra)
    assert answered(response)
    if response.status_code != 302:
        assert Sighting.objects.count() == before  # refused: nothing stored


@examples
@given(
    fields=st.dictionaries(
        st.sampled_from(["email", "where", "areas", "urgent_alerts", "consent", "website"]),
        awkward,
        max_size=6,
    )
)
def test_the_heroes_sign_up_answers_any_post(client, fields):
    assert answered(client.post(reverse("hero-sign-up"), fields))


@examples
@given(token=st.text(alphabet=st.characters(codec="ascii", exclude_characters="/?#"), min_size=1))
def test_signed_links_answer_any_token(client, token):
    for name in ["hero-confirm", "hero-manage", "hero-unsubscribe", "sighting-received"]:
        assert answered(client.get(reverse(name, args=[token])))
