"""The printable poster (A4) and flyer (A5): made from the live, cleared appeal only,
with a real text layer, cached like a page, and gone (410) the moment the appeal is."""

from datetime import date

import pytest
from django.urls import reverse

from appeals import public_views
from appeals.models import AppealShortLink
from homeward import roles
from tests import factories
from tests.pdf import pdf_read, pdf_text

pytestmark = pytest.mark.django_db

A4_POINTS = (595, 842)
A5_POINTS = (420, 595)


@pytest.fixture
def appeal(directory):
    return factories.appeal_create(
        title="Ysolde Pembrooke-Asante",
        age_when_missing=14,
        missing_since=date(2025, 3, 9),
        last_seen_area="Knaresborough",
        height_cm=157,
        hair="Short black braids",
        clothing="A green school-style blazer and white trainers",
        distinguishing_features="A small tattoo of a swallow on her left wrist",
    )


def poster_urls(appeal) -> tuple[str, str]:
    link = AppealShortLink.for_appeal(appeal.pk)
    return link.poster_url, link.flyer_url


def test_the_poster_and_flyer_say_who_when_where_and_what_to_do(client, appeal):
    link = AppealShortLink.for_appeal(appeal.pk)
    for url, size, filename in [
        (link.poster_url, A4_POINTS, "poster-a4"),
        (link.flyer_url, A5_POINTS, "flyer-a5"),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'inline; filename="missing-{appeal.slug}-{filename}.pdf"'
        )
        assert "public" in response["Cache-Control"] and "s-maxage" in response["Cache-Control"]
        reader = pdf_read(response.content)
        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        assert (round(box.width), round(box.height)) == size
        text = pdf_text(response.content)
        for words in [
            "MISSING",
            "Ysolde Pembrooke-Asante",
            "Age: 14",
            "Missing since: 9 March 2025",
            "Last seen in: Knaresborough",
            "Height: 5ft 2in (157 cm)",
            "Short black braids",
            "A green school-style blazer and white trainers",
            "A small tattoo of a swallow on her left wrist",
            "Call 999",
            "116 000",
            f"127.0.0.1:8000/a/{link.code}",
            "North Yorkshire Police",
        ]:
            assert words in text, (words, text)
        assert reader.metadata.title == "Missing: Ysolde Pembrooke-Asante"
        assert reader.metadata.author == "Homeward"
        assert reader.trailer["/Root"]["/Lang"] == "en-GB"
        images = [
            name
            for name, obj in reader.pages[0]["/Resources"]["/XObject"].items()
            if obj.get_object()["/Subtype"] == "/Image"
        ]
        assert len(images) == 1  # the photo


def test_every_letter_of_a_name_is_in_the_poster_font(client, directory):
    """Names come from everywhere: a letter the font lacks prints as an empty box."""
    from reportlab.pdfbase import pdfmetrics

    name = "Łucja Şahin-Nguyễn Ólafsdóttir"
    appeal = factories.appeal_create(title=name, last_seen_area="Ørsted Way, Čapek Court")
    poster, _ = poster_urls(appeal)
    assert name in pdf_text(client.get(poster).content)
    for font_name in ["PosterSans", "PosterSans-Bold"]:
        glyphs = pdfmetrics.getFont(font_name).face.charToGlyph
        missing = {letter for letter in name + appeal.last_seen_area if ord(letter) not in glyphs}
        assert not missing, (font_name, missing)


def test_the_poster_shows_the_live_revision_never_a_later_draft(client, appeal):
    draft = appeal.get_latest_revision_as_object()
    draft.title = "Someone Else Entirely"
    draft.clothing = "A draft description"
    draft.save_revision(user=factories.staff(roles.EDITORS))

    text = pdf_text(client.get(poster_urls(appeal)[0]).content)
    assert "Ysolde Pembrooke-Asante" in text
    assert "Someone Else" not in text and "draft description" not in text


def test_the_poster_is_drawn_once_then_served_from_the_page_cache(client, appeal, monkeypatch):
    drawn = []
    original = public_views.poster_pdf
    monkeypatch.setattr(
        public_views, "poster_pdf", lambda *a, **k: drawn.append(1) or original(*a, **k)
    )
    url = poster_urls(appeal)[0]
    first, second = client.get(url), client.get(url)
    assert first.content == second.content
    assert len(drawn) == 1


def test_after_takedown_the_cached_poster_answers_410(
    client, appeal, django_capture_on_commit_callbacks
):
    urls = poster_urls(appeal)
    for url in urls:
        assert client.get(url).status_code == 200  # and now cached
    factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks, reason="Found safe.")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 410
        assert "Ysolde" not in response.content.decode()
        assert "116&nbsp;000" in response.content.decode()


def test_an_appeal_that_never_went_public_has_no_poster(client, directory):
    draft = factories.appeal_create(publish=False, title="Never Public")
    for url in poster_urls(draft):
        assert client.get(url).status_code == 404


def test_unknown_codes_are_not_found(client, appeal):
    assert client.get(reverse("appeal-poster-a4", kwargs={"code": "zzzzzzz"})).status_code == 404
