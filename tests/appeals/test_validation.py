"""Editors' mistakes get a clear message in the admin and save nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from appeals.models import AppealPage
from homeward import roles
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(factories.user_create(role=roles.PUBLISHERS))
    return client


def post_new_appeal(client, directory, data, submit=True):
    """Save a new appeal as a draft, or submit it for checks (which validates it fully)."""
    url = reverse("wagtailadmin_pages:add", args=("appeals", "appealpage", directory.pk))
    if submit:
        data = {**data, "action-submit": "action-submit"}
    return client.post(url, data)


def form_errors(response) -> dict:
    form = response.context["form"]
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items()}
    photos = form.formsets["photos"]
    if photos.non_form_errors():
        errors["photos"] = [str(e) for e in photos.non_form_errors()]
    for number, photo_errors in enumerate(photos.errors):
        for name, errs in photo_errors.items():
            errors[f"photos-{number}-{name}"] = [str(e) for e in errs]
    return errors


def test_a_complete_appeal_saves(editor_client, directory):
    response = post_new_appeal(editor_client, directory, factories.new_appeal_form_data())
    assert response.status_code == 302
    appeal = AppealPage.objects.get(slug="valentina-wychwood")
    assert appeal.is_child and appeal.photos.count() == 1


@pytest.mark.parametrize("submit", [False, True], ids=["draft", "submit"])
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"missing_since": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "missing_since",
            "cannot be in the future",
        ),
        ({"age_when_missing": "-3"}, "age_when_missing", "greater than or equal to 0"),
        ({"age_when_missing": "130"}, "age_when_missing", "less than or equal to 120"),
        ({"age_when_missing": ""}, "age_when_missing", "or a date of birth"),
        (
            {"date_of_birth": (timezone.localdate() + timedelta(days=30)).isoformat()},
            "date_of_birth",
            "cannot be in the future",
        ),
        (
            {"date_of_birth": timezone.localdate().isoformat()},
            "date_of_birth",
            "must be before they went missing",
        ),
        ({"last_seen_area": "14 Mill Lane, Scarborough"}, "last_seen_area", "street address"),
        ({"last_seen_area": "Near YO11 2AB"}, "last_seen_area", "postcode"),
        ({"height_cm": "900"}, "height_cm", "less than or equal to 250"),
        (
            {"age_when_missing": "30", "unaccompanied_asylum_seeking": "on"},
            "unaccompanied_asylum_seeking",
            "Only a child",
        ),
        ({"age_when_missing": "40", "in_care": "on"}, "in_care", "Only a child"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    editor_client, directory, overrides, field, message, submit
):
    response = post_new_appeal(
        editor_client, directory, factories.new_appeal_form_data(**overrides), submit
    )
    assert response.status_code == 200
    errors = form_errors(response)
    assert any(message in error for error in errors.get(field, [])), errors
    assert not AppealPage.objects.filter(slug="valentina-wychwood").exists()


# A draft may be incomplete (Wagtail leaves required fields until then), but it cannot
# be submitted for checks without its photos and their alt text.
@pytest.mark.parametrize(
    ("photos", "field", "message"),
    [
        ([{"image": "", "alt_text": "Smiling"}], "photos-0-image", "required"),
        ([{"image": "IMAGE", "alt_text": ""}], "photos-0-alt_text", "required"),
        ([], "photos", "at least 1"),
    ],
)
def test_submitting_needs_photos_with_alt_text(editor_client, directory, photos, field, message):
    for photo in photos:
        if photo["image"] == "IMAGE":
            photo["image"] = factories.image_create().pk
    response = post_new_appeal(
        editor_client, directory, factories.new_appeal_form_data(photos=photos)
    )
    assert response.status_code == 200
    assert any(message in error for error in form_errors(response)[field])
    assert not AppealPage.objects.filter(slug="valentina-wychwood").exists()


def test_more_than_five_photos_are_refused(editor_client, directory):
    photos = [{"image": factories.image_create().pk, "alt_text": f"Photo {n}"} for n in range(6)]
    response = post_new_appeal(
        editor_client, directory, factories.new_appeal_form_data(photos=photos)
    )
    assert response.status_code == 200
    assert any("at most 5" in error for error in form_errors(response)["photos"])


@pytest.mark.parametrize("area", ["Leeds city centre", "Moss Side", "Near the M6", "Isle of Wight"])
def test_towns_and_districts_are_fine_as_areas(area):
    appeal = factories.appeal_build(last_seen_area=area)
    appeal.full_clean(exclude=["path", "depth", "content_type", "translation_key", "locale"])
