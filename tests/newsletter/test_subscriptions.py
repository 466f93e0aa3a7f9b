"""The subscription lifecycle, with real email: sign up, confirm, choose, leave, suppress."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from newsletter.models import Delivery, Hero, HeroConsent, NewsletterSettings
from newsletter.services import heroes_expire_unconfirmed
from newsletter.tokens import confirm_token, manage_token
from tests.newsletter.conftest import hero_create

pytestmark = pytest.mark.django_db

SIGN_UP = reverse("hero-sign-up")


@pytest.fixture
def sign_up(client, forces, django_capture_on_commit_callbacks):
    def post(remote_addr="127.0.0.1", **overrides):
        data = {
            "action": "sign-up",
            "email": "ada@example.org",
            "areas": [forces[0].pk, forces[1].pk],
            "urgent_alerts": "yes",
            "consent": "on",
            **overrides,
        }
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                SIGN_UP,
                {k: v for k, v in data.items() if v is not None},
                REMOTE_ADDR=remote_addr,
            )

    return post


def link_in(text: str, name: str) -> str:
    match = re.search(rf"https?://\S+/heroes/{name}/\S+/", text)
    assert match, f"no {name} link in:\n{text}"
    return match.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_sign_up_emails_a_confirmation_and_records_consent(sign_up, mailbox, forces):
    response = sign_up(email="  Ada@Example.ORG ")
    assert response.status_code == 302
    assert response["Location"] == reverse("hero-check-email")

    hero = Hero.objects.get()
    assert hero.email == "ada@example.org"
    assert hero.status == Hero.Status.PENDING
    assert set(hero.areas.all()) == {forces[0], forces[1]}
    assert hero.urgent_alerts

    arrival = mailbox.only_one_to("ada@example.org")
    message = arrival.message
    assert message["Subject"] == "Confirm you want to be a Homeward Hero"
    assert message["To"] == "ada@example.org"
    assert message["Message-ID"].startswith("<homeward.")
    assert message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    assert forces[0].name in arrival.text()
    assert "Yes, confirm my subscription" in arrival.html()

    consent = HeroConsent.objects.get(hero=hero)
    policy = NewsletterSettings.load()
    assert consent.action == HeroConsent.Action.SIGNED_UP
    assert consent.wording == policy.consent_wording
    assert consent.wording_version == policy.consent_version
    assert consent.choices["urgent_alerts"] is True


def test_the_confirmation_link_asks_then_confirms(sign_up, mailbox, client):
    sign_up()
    url = link_in(mailbox.only_one_to("ada@example.org").text(), "confirm")

    page = client.get(url)
    assert page.status_code == 200
    assert b"Yes, confirm my subscription" in page.content
    assert (
        Hero.objects.get().status == Hero.Status.PENDING
    )  # a GET (a link scanner) changes nothing

    done = client.post(url)
    assert b"You are now a Hero" in done.content
    hero = Hero.objects.get()
    assert hero.status == Hero.Status.CONFIRMED
    assert hero.confirmed_at is not None
    assert list(hero.consents.values_list("action", flat=True)) == ["signed-up", "confirmed"]

    again = client.post(url)
    assert b"You are already a Hero" in again.content


def test_signing_up_a_subscribed_address_looks_the_same_and_changes_nothing(
    sign_up, mailbox, forces
):
    hero = hero_create("ada@example.org", areas=[forces[2]])
    response = sign_up(areas=[forces[0].pk], urgent_alerts="no")
    assert response.status_code == 302
    assert response["Location"] == reverse("hero-check-email")

    hero.refresh_from_db()
    assert hero.status == Hero.Status.CONFIRMED
    assert list(hero.areas.all()) == [forces[2]]
    arrival = mailbox.only_one_to("ada@example.org")
    assert arrival.message["Subject"] == "You are already a Homeward Hero"
    assert "/heroes/manage/" in arrival.text()


def test_resubscribing_after_unsubscribing_needs_a_new_confirmation(sign_up, mailbox, forces):
    hero = hero_create("ada@example.org", areas=[forces[2]], status=Hero.Status.UNSUBSCRIBED)
    sign_up()
    hero.refresh_from_db()
    assert hero.status == Hero.Status.PENDING
    assert mailbox.only_one_to("ada@example.org").message["Subject"].startswith("Confirm")


def test_an_address_that_complained_is_never_written_to_unasked(sign_up, mailbox):
    hero_create("ada@example.org", status=Hero.Status.COMPLAINED)
    assert sign_up().status_code == 302
    assert mailbox.arrivals == []
    assert Hero.objects.get().status == Hero.Status.COMPLAINED


def test_repeated_sign_ups_send_one_email(sign_up, mailbox):
    for _ in range(4):
        sign_up()
    assert len(mailbox.to("ada@example.org")) == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": ""}, "Enter your email address."),
        ({"email": "not-an-address"}, "Enter an email address like name@example.com."),
        ({"email": "a" * 250 + "@example.org"}, "Ensure this value has at most 254 characters"),
        ({"email": "zoë@example.org"}, "Enter an email address like name@example.com."),
        ({"consent": None}, "Tick the box to say you agree"),
        ({"areas": None}, "Choose at least one area, or choose all of the UK."),
        ({"areas": ["999999"]}, "Choose areas from the list."),
        ({"areas": ["x"]}, "Choose areas from the list."),
        ({"areas": None, "place": "Xyz"}, "We could not find “Xyz”."),
        ({"urgent_alerts": None}, "Say whether you want urgent alerts."),
    ],
)
def test_bad_sign_ups_are_explained_and_store_nothing(sign_up, mailbox, overrides, message):
    response = sign_up(**overrides)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert message in page.replace("&#x27;", "'")
    assert Hero.objects.count() == 0
    assert mailbox.arrivals == []


def test_a_mistyped_domain_is_questioned_until_the_person_says_it_is_right(sign_up, mailbox):
    response = sign_up(email="ada@gmial.com")
    assert response.status_code == 400
    assert "Did you mean ada@gmail.com?" in response.content.decode()
    assert Hero.objects.count() == 0

    assert sign_up(email="ada@gmial.com", address_is_right="on").status_code == 302
    assert Hero.objects.get().email == "ada@gmial.com"


def test_the_hidden_field_filled_in_looks_accepted_but_stores_nothing(sign_up, mailbox):
    response = sign_up(website="http://spam.example")
    assert response.status_code == 302
    assert Hero.objects.count() == 0
    assert mailbox.arrivals == []


def test_sign_ups_are_rate_limited_per_client(sign_up, settings, mailbox):
    settings.HERO_SIGN_UP_RATE_LIMIT = (2, 3600)
    flooding = "203.0.113.91"
    assert sign_up(email="one@example.org", remote_addr=flooding).status_code == 302
    assert sign_up(email="two@example.org", remote_addr=flooding).status_code == 302
    refused = sign_up(email="three@example.org", remote_addr=flooding)
    assert refused.status_code == 429
    assert b"Too many tries" in refused.content
    assert not Hero.objects.filter(email="three@example.org").exists()
    assert sign_up(email="four@example.org", remote_addr="203.0.113.92").status_code == 302


def tampered(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@pytest.mark.parametrize("route", ["hero-confirm", "hero-manage", "hero-unsubscribe"])
@pytest.mark.parametrize("how", ["forged", "tampered", "other-salt", "cut-short"])
def test_forged_and_tampered_links_are_refused_kindly(client, forces, route, how):
    hero = hero_create("ada@example.org", areas=[forces[0]], status=Hero.Status.PENDING)
    right = (confirm_token if route == "hero-confirm" else manage_token)(hero.public_id)
    wrong = (manage_token if route == "hero-confirm" else confirm_token)(hero.public_id)
    token = {
        "forged": f"{hero.public_id.hex}:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "tampered": tampered(right),
        "other-salt": wrong,
        "cut-short": right[: len(right) // 2],
    }[how]
    for method in (client.get, client.post):
        response = method(reverse(route, args=[token]))
        assert response.status_code == 404
        assert b"This link does not work" in response.content
    hero.refresh_from_db()
    assert hero.status == Hero.Status.PENDING


def test_an_expired_confirmation_link_says_so_and_confirms_nothing(client, forces):
    hero = hero_create("ada@example.org", areas=[forces[0]], status=Hero.Status.PENDING)
    with time_machine.travel(timezone.now() - timedelta(days=4)):
        token = confirm_token(hero.public_id)
    response = client.post(reverse("hero-confirm", args=[token]))
    assert response.status_code == 410
    assert b"This link has expired" in response.content
    hero.refresh_from_db()
    assert hero.status == Hero.Status.PENDING


def test_choices_change_through_the_signed_manage_link(client, forces):
    hero = hero_create("ada@example.org", areas=[forces[0]])
    url = reverse("hero-manage", args=[manage_token(hero.public_id)])
    assert client.get(url).status_code == 200

    bad = client.post(url, {"action": "save", "urgent_alerts": "no"})
    assert bad.status_code == 400
    assert list(hero.areas.all()) == [forces[0]]

    response = client.post(url, {"action": "save", "areas": [forces[1].pk], "urgent_alerts": "yes"})
    assert b"Saved." in response.content
    hero.refresh_from_db()
    assert list(hero.areas.all()) == [forces[1]]
    assert hero.urgent_alerts
    assert hero.consents.get().action == HeroConsent.Action.CHANGED

    client.post(url, {"all_of_uk": "on", "areas": [forces[1].pk], "urgent_alerts": "yes"})
    hero.refresh_from_db()
    assert hero.all_of_uk
    assert not hero.areas.exists()


def test_unsubscribe_by_get_only_asks(client, forces):
    hero = hero_create("ada@example.org", areas=[forces[0]])
    response = client.get(reverse("hero-unsubscribe", args=[manage_token(hero.public_id)]))
    assert response.status_code == 200
    assert b"Yes, unsubscribe" in response.content
    hero.refresh_from_db()
    assert hero.status == Hero.Status.CONFIRMED


def test_one_click_unsubscribe_works_without_a_csrf_token_and_cancels_queued_mail(forces):
    hero = hero_create("ada@example.org", areas=[forces[0]])
    queued = Delivery.objects.create(hero=hero, kind=Delivery.Kind.ALREADY_SUBSCRIBED)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("hero-unsubscribe", args=[manage_token(hero.public_id)]),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert b"You have unsubscribed" in response.content
    hero.refresh_from_db()
    assert hero.status == Hero.Status.UNSUBSCRIBED
    queued.refresh_from_db()
    assert queued.status == Delivery.Status.CANCELLED
    assert hero.consents.get().action == HeroConsent.Action.UNSUBSCRIBED


def test_an_unsubscribed_hero_can_come_back_from_their_own_link(client, forces):
    hero = hero_create("ada@example.org", areas=[forces[0]], status=Hero.Status.UNSUBSCRIBED)
    url = reverse("hero-manage", args=[manage_token(hero.public_id)])
    assert b"You are not subscribed" in client.get(url).content
    client.post(url, {"resubscribe": "1"})
    hero.refresh_from_db()
    assert hero.status == Hero.Status.CONFIRMED


def test_unconfirmed_sign_ups_are_forgotten_after_a_week(forces):
    old = hero_create("old@example.org", status=Hero.Status.PENDING)
    Hero.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    hero_create("new@example.org", status=Hero.Status.PENDING)
    hero_create("kept@example.org")
    assert heroes_expire_unconfirmed() == 1
    assert set(Hero.objects.values_list("email", flat=True)) == {
        "new@example.org",
        "kept@example.org",
    }


@pytest.mark.parametrize(("kind", "status"), [("bounce", "bounced"), ("complaint", "complained")])
def test_bounces_and_complaints_by_webhook_stop_sending(client, settings, forces, kind, status):
    settings.NEWSLETTER_FEEDBACK_TOKEN = "s3cret-token"
    hero = hero_create("ada@example.org", areas=[forces[0]])
    queued = Delivery.objects.create(hero=hero, kind=Delivery.Kind.ALREADY_SUBSCRIBED)
    url = reverse("hero-feedback")
    body = {"type": kind, "email": "ADA@example.org"}
    assert client.post(url, body, content_type="application/json").status_code == 403
    wrong = client.post(
        url, body, content_type="application/json", headers={"Authorization": "Bearer nope"}
    )
    assert wrong.status_code == 403
    malformed = client.post(
        url,
        "{not json",
        content_type="application/json",
        headers={"Authorization": "Bearer s3cret-token"},
    )
    assert malformed.status_code == 400
    hero.refresh_from_db()
    assert hero.status == Hero.Status.CONFIRMED

    response = client.post(
        url, body, content_type="application/json", headers={"Authorization": "Bearer s3cret-token"}
    )
    assert response.json() == {"suppressed": True}
    hero.refresh_from_db()
    assert hero.status == status
    queued.refresh_from_db()
    assert queued.status == Delivery.Status.CANCELLED


def test_bounces_by_management_command(forces, capsys):
    hero_create("ada@example.org", areas=[forces[0]])
    call_command("newsletter_feedback", "bounce", "ada@example.org", "nobody@example.org")
    assert Hero.objects.get().status == Hero.Status.BOUNCED
    assert "nobody@example.org: not a Hero" in capsys.readouterr().out


def test_how_long_unconfirmed_sign_ups_are_kept_is_the_setting_the_privacy_notice_states(
    forces, settings
):
    settings.HERO_UNCONFIRMED_RETENTION_DAYS = 2
    old = hero_create("older@example.org", status=Hero.Status.PENDING)
    Hero.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    assert heroes_expire_unconfirmed() == 1
