"""Property-based tests: whatever is typed into the form, it answers clearly and stores only
what it accepts, unchanged."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from homeward.text import single_line
from sightings.forms import MARKUP, SightingForm
from sightings.models import Sighting
from tests.sightings.conftest import date_parts, sighting_data

pytestmark = pytest.mark.django_db

# The same fixtures serve every example: the form under test changes nothing in them.
examples = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
any_text = st.text(max_size=2200)
dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1))
# What people type in a date's Day, Month or Year box.
date_box = st.one_of(st.integers(-1, 10_000).map(str), st.text(max_size=6))


@examples
@given(
    location=any_text,
    description=any_text,
    clothing=any_text,
    seen_on=st.one_of(
        dates.map(date_parts),
        st.fixed_dictionaries({f"seen_on_{box}": date_box for box in ["day", "month", "year"]}),
    ),
    identity=st.sampled_from(["anonymous", "named", "", "other"]),
    email=any_text,
)
def test_the_form_always_decides_and_what_it_accepts_is_clean(
    appeal, location, description, clothing, seen_on, identity, email
):
    data = sighting_data(
        appeal,
        location=location,
        description=description,
        clothing=clothing,
        identity=identity,
        email=email,
        **seen_on,
    )
    form = SightingForm(data, appeal=appeal)
    if form.is_valid():
        cleaned = form.cleaned_data
        assert 0 < len(cleaned["location"]) <= 300 and 0 < len(cleaned["description"]) <= 2000
        for name in ["location", "description", "clothing"]:
            assert not MARKUP.search(cleaned[name])
        assert cleaned["seen_at"].date() >= appeal.missing_since
        if identity != "named":
            assert cleaned["email"] == ""
    else:
        for errors in form.errors.values():
            assert all(isinstance(error, str) and error for error in errors)


@examples
@given(description=any_text, location=any_text)
def test_posting_anything_never_fails_and_keeps_exactly_what_was_accepted(
    client, appeal, description, location
):
    before = Sighting.objects.count()
    response = client.post(
        reverse("sighting-report", args=[appeal.pk]),
        sighting_data(appeal, description=description, location=location),
    )
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        stored = Sighting.objects.order_by("-pk").first()
        assert stored.description == description.strip()
        # A one-line answer is kept on one line: a pasted tab or line break is a space.
        assert stored.location == single_line(location)
    else:
        assert Sighting.objects.count() == before
