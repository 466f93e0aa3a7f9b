"""Every public page carries a strict Content-Security-Policy (no inline script or style
allowed, nor needed) and a Permissions-Policy; the Wagtail admin has its own, looser
policy, scoped to /admin/ and nowhere else."""

import re

import pytest
from django.core import signing
from django.urls import reverse

from homeward import roles
from newsletter.tokens import confirm_token, manage_token
from tests import factories
from tests.newsletter.conftest import hero_create
from tests.sightings.conftest import sighting_data

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")")
INLINE_STYLE = re.compile(r"<style\b|\sstyle=")
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.IGNORECASE)


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parts = [part.split() for part in header.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


def assert_strict_public_headers(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    for name in ["script-src", "style-src"]:
        assert policy[name] == ["'self'"], (name, policy[name])
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in ["camera=()", "microphone=()", "payment=()", "usb=()"]:
        assert feature in permissions, feature
    # The sighting form offers to add the reporter's location: this site only.
    assert "geolocation=(self)" in permissions
    body = response.content.decode() if not response.streaming else ""
    assert not INLINE_SCRIPT.search(body), INLINE_SCRIPT.search(body)
    assert not INLINE_STYLE.search(body), INLINE_STYLE.search(body)
    assert not EVENT_HANDLER.search(body), EVENT_HANDLER.search(body)


@pytest.fixture
def appeal(directory):
    return factories.appeal_create(title="Headered Hattie")


INFORMATION_PAGES = ["about", "privacy", "cookies", "accessibility"]


def public_responses(client, directory, appeal, settings):
    report = reverse("sighting-report", args=[appeal.pk])
    stored = client.post(report, sighting_data(appeal))
    hero = hero_create("header.hero@example.invalid", status="pending")
    settings.SIGHTING_RATE_LIMIT = (0, 600)
    return {
        "home": client.get("/"),
        "directory": client.get(directory.url),
        "directory search": client.get(directory.url, {"q": "Hattie"}),
        "appeal": client.get(appeal.url),
        "feed": client.get(f"{directory.url}feed/"),
        "sighting form": client.get(report),
        "sighting stored": stored,
        "sighting receipt": client.get(stored.url),
        "sighting invalid": client.post(report, sighting_data(appeal, location="")),
        "sighting refused": client.post(report, sighting_data(appeal, description="Again")),
        "sighting receipt forged": client.get(
            reverse("sighting-received", args=[signing.dumps("S-0000-0000", salt="x")])
        ),
        "sighting too big": client.post(
            report, sighting_data(appeal), CONTENT_LENGTH=str(50 * 1024 * 1024)
        ),
        "heroes sign-up": client.get(reverse("hero-sign-up")),
        "heroes sign-up invalid": client.post(reverse("hero-sign-up"), {"email": "nope"}),
        "heroes check email": client.get(reverse("hero-check-email")),
        "heroes confirm": client.get(reverse("hero-confirm", args=[confirm_token(hero.public_id)])),
        "heroes manage": client.get(reverse("hero-manage", args=[manage_token(hero.public_id)])),
        "heroes bad link": client.get(reverse("hero-confirm", args=["not-a-token"])),
        "heroes feedback": client.get(reverse("hero-feedback")),
        "not found": client.get("/no-such-page/"),
        "sitemap": client.get("/sitemap.xml"),
        **{f"{slug} page": client.get(f"/{slug}/") for slug in INFORMATION_PAGES},
    }


def test_every_public_page_carries_the_strict_policies(client, directory, appeal, settings):
    responses = public_responses(client, directory, appeal, settings)
    assert responses["sighting refused"].status_code == 429
    assert responses["sighting receipt"].status_code == 200
    for name, response in responses.items():
        assert response.status_code < 500, name
        try:
            assert_strict_public_headers(response)
        except (AssertionError, KeyError) as error:
            raise AssertionError(f"{name} ({response.status_code}): {error!r}") from error


def test_no_public_page_sets_a_cookie(client, directory, appeal, settings):
    """The cookie statement says the site sets none for the public: in every state of
    every public page, forms sent and refused included."""
    for name, response in public_responses(client, directory, appeal, settings).items():
        assert not response.cookies, f"{name} sets {sorted(response.cookies)}"
        assert not response.has_header("Set-Cookie"), name


def test_a_page_from_the_page_cache_carries_them_too(client, directory, appeal):
    client.get(appeal.url)  # stored in the page cache
    assert_strict_public_headers(client.get(appeal.url))


def test_the_admin_has_its_own_looser_policy_and_only_there(client, appeal):
    admin = client.get(reverse("wagtailadmin_login"))
    assert admin.status_code == 200
    policy = directives(admin)
    # Wagtail's admin needs inline scripts and styles; frames only from this site (preview).
    assert "'unsafe-inline'" in policy["script-src"] and "'self'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert "geolocation=(self)" in admin["Permissions-Policy"]
    client.force_login(factories.user_create(role=roles.PUBLISHERS))
    for response in [client.get(reverse("wagtailadmin_home")), client.get("/admin/nowhere/")]:
        assert "'unsafe-inline'" in directives(response)["script-src"]
    # Signed in, the public pages keep the strict policy (the userbar needs no inline code).
    assert_strict_public_headers(client.get(appeal.url))
