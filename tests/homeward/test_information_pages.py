"""Trust: who runs the site and what happens to what people send, linked from every page
and every form that collects data; editable by staff; true to the settings."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Site

from homeward.models import CharityDetails, InformationPage
from tests import factories

pytestmark = pytest.mark.django_db

FOOTER = re.compile(r'<footer class="site-footer">.*</footer>', re.DOTALL)


def test_a_new_site_has_its_privacy_cookie_accessibility_and_about_pages(client, directory):
    pages = {page.purpose: page for page in InformationPage.objects.live()}
    assert set(pages) == {"about", "privacy", "cookies", "accessibility"}
    for page in pages.values():
        response = client.get(page.url)
        assert response.status_code == 200
        assert f"<h1>{page.title}</h1>" in response.content.decode()
        assert "public" in response["Cache-Control"]


@pytest.mark.parametrize(
    "url", ["/", "/appeals/", "/privacy/", "/heroes/", "/no-such-page/"], ids=str
)
def test_every_page_links_to_the_information_pages_from_its_footer(client, directory, url):
    footer = FOOTER.search(client.get(url).content.decode()).group()
    for slug in ["about", "privacy", "cookies", "accessibility"]:
        assert f'href="/{slug}/"' in footer, (url, slug)


def test_the_privacy_notice_says_how_long_data_is_kept_from_the_settings(client, settings):
    settings.SIGHTING_RETENTION_DAYS = 45
    settings.APPEAL_RETENTION_DAYS = 21
    settings.HERO_UNCONFIRMED_RETENTION_DAYS = 3
    text = client.get("/privacy/").content.decode()
    assert "Until the appeal ends, then 45 days more" in text
    assert "deleted 21 days after that" in text
    assert "<td>3 days, then it is deleted.</td>" in text


def test_the_charity_details_staff_set_show_in_the_footer_and_on_the_about_page(
    client, django_capture_on_commit_callbacks
):
    client.get("/")  # cached before the change
    details = CharityDetails.load()
    details.name = "Lanternfield Trust"
    details.charity_number = "Registered charity 0000000 (a fictional number)"
    details.email = "hello@lanternfield.invalid"
    with django_capture_on_commit_callbacks(execute=True):
        details.save()
    assert "Lanternfield Trust publishes appeals" in client.get("/").content.decode()
    about = client.get("/about/").content.decode()
    assert "Registered charity 0000000" in about
    assert 'href="mailto:hello@lanternfield.invalid"' in about


def test_a_purpose_belongs_to_one_page_whatever_saves_it(directory):
    home = directory.get_parent()
    second = InformationPage(
        title="Another privacy page", slug="privacy-2", summary="Two.", purpose="privacy", body=[]
    )
    with pytest.raises(ValidationError, match="Another page already has this purpose"):
        home.add_child(instance=second)
    other = InformationPage(title="Hello", slug="hello", summary="Hi.", purpose="other", body=[])
    home.add_child(instance=other)
    assert InformationPage.objects.filter(purpose="other").count() == 1


def test_staff_edit_an_information_page_in_the_cms(client, django_capture_on_commit_callbacks):
    client.force_login(factories.staff("Administrators"))
    page = InformationPage.objects.get(purpose="cookies")
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert client.get(edit).status_code == 200
    page.summary = "Still none, and now in fewer words."
    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()
    client.logout()
    assert "Still none, and now in fewer words." in client.get("/cookies/").content.decode()


def test_the_sitemap_names_the_public_address_whatever_the_site_record_says(
    client, directory, settings
):
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    settings.BASE_URL = "https://homeward.example"
    appeal = factories.appeal_create(title="Mapped Maisie")
    sitemap = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert f"https://homeward.example{appeal.url}" in locations
    assert "https://homeward.example/privacy/" in locations
    assert all(location.startswith("https://homeward.example/") for location in locations)


@pytest.mark.parametrize("where", ["home", "directory"])
def test_home_and_directory_describe_themselves_to_search_engines_and_share_cards(
    client, directory, where
):
    html = client.get("/" if where == "home" else directory.url).content.decode()
    description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
    assert len(description) > 40
    assert f'<meta property="og:description" content="{description}">' in html
    assert re.search(r'<meta property="og:image" content="http[^"]+/share[^"]*\.png"', html)
    assert '<meta property="og:url" content="http' in html
    # No person's photo on a listing's share card: it would outlive their appeal.
    assert "original_images" not in re.search(r'og:image" content="([^"]+)"', html).group(1)
