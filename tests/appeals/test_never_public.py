"""The police case reference, the risk level, the safeguarding flags, the child's local
authority and their date of arrival never go public."""

from datetime import date

import pytest

from appeals.models import AppealPage, AppealShortLink
from tests import factories
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

CASE_REFERENCE = "WYP-SECRET-77341"
COUNCIL = "Quillingham Borough Council"
ARRIVED = date(2019, 3, 17)
RISK_REASON = "Zorblax fictional officer judgement"
# Words that would reveal a flag or the risk level if they appeared anywhere public.
REVEALING = [
    CASE_REFERENCE,
    RISK_REASON,
    "zorblax",
    "risk",
    "trafficked",
    "traffick",
    "asylum",
    "unaccompanied",
    "in care",
    "domestic",
    "safeguarding",
    COUNCIL,
    "quillingham",
    "council",
    "2019-03-17",
    "17 March 2019",
    "17/03/2019",
]


@pytest.fixture
def flagged(directory):
    return factories.appeal_create(
        title="Perdita Sallowmere",
        case_reference=CASE_REFERENCE,
        police_risk_level=AppealPage.RiskLevel.LOW,
        police_risk_reason=RISK_REASON,
        in_care=True,
        trafficked=True,
        unaccompanied_asylum_seeking=True,
        domestic_abuse=True,
        local_authority=factories.local_authority_create(COUNCIL),
        arrived_in_uk_on=ARRIVED,
    )


def public_urls(flagged, directory):
    return [
        "/",
        directory.url,
        f"{directory.url}?q=Perdita",
        f"{directory.url}feed/",
        "/sitemap.xml",
        flagged.url,
    ]


def test_no_public_surface_reveals_them(client, directory, flagged):
    for url in public_urls(flagged, directory):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode().lower()
        for word in REVEALING:
            assert word.lower() not in text, f"{word!r} found at {url}"


def test_the_appeal_itself_is_reachable_on_each_surface(client, directory, flagged):
    # The check above means nothing if the appeal were missing from these pages.
    for url in public_urls(flagged, directory):
        if "sitemap" in url:
            assert flagged.slug in client.get(url).content.decode()
        else:
            assert "Perdita" in client.get(url).content.decode(), url


@pytest.mark.parametrize(
    "query", [CASE_REFERENCE, "trafficked", "asylum", "high", "low", "Zorblax", "Quillingham"]
)
def test_search_cannot_find_an_appeal_by_them(client, directory, flagged, query):
    response = client.get(directory.url, {"q": query})
    assert list(response.context["appeals_page"].object_list) == []
    assert "Perdita" not in response.content.decode()


def test_the_poster_and_flyer_reveal_them_neither(client, flagged):
    link = AppealShortLink.for_appeal(flagged.pk)
    for url in [link.poster_url, link.flyer_url]:
        text = pdf_text(client.get(url).content)
        assert "Perdita Sallowmere" in text, url
        for word in REVEALING:
            assert word.lower() not in text.lower(), f"{word!r} found in {url}"
