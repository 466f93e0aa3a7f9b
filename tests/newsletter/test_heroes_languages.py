"""Heroes in their own language: the question on the forms, and every email (its words,
its `lang` and `dir`, its links) in the language each Hero chose, rendered once per
segment and language. The catalogues lack these strings' translations for now, so what
is checked is the language each string was looked up in, never a translated word."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from appeals.models import AppealPage
from homeward.languages import ALL_LANGUAGES, language_path
from newsletter import services
from newsletter.emails import EmailRenderer
from newsletter.models import STANDARD_WORDING, Hero, HeroConsent, NewsletterSettings
from newsletter.selectors import regular_email_content, regular_email_since
from newsletter.services import campaign_regular_due
from newsletter.tokens import manage_token
from tests import factories
from tests.newsletter.conftest import hero_create
from tests.newsletter.test_campaigns import thursday_morning

pytestmark = pytest.mark.django_db

ENGLISH_WELSH_PASHTO = [("en-gb", "English"), ("cy", "Welsh"), ("ps", "Pashto")]
PASHTO_HEADLINE = "آیا امیره مو لیدلې ده؟"  # "Have you seen Amira?"
QUESTION = "Which language should we email you in?"


@pytest.fixture
def offered(settings):
    settings.LANGUAGES = ENGLISH_WELSH_PASHTO
    return settings


@pytest.fixture
def send_regular(django_capture_on_commit_callbacks, mailbox):
    def send():
        with django_capture_on_commit_callbacks(execute=True):
            return campaign_regular_due(now=thursday_morning())

    return send


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The language of each email rendered."""
    rendered = []
    render = EmailRenderer.render

    def counted(renderer, context, *, language):
        rendered.append(language)
        return render(renderer, context, language=language)

    monkeypatch.setattr(EmailRenderer, "render", counted)
    return rendered


def lang_and_dir(attributes: str) -> dict[str, str]:
    """A tag's `lang` and `dir`, in whichever order MJML wrote them."""
    return dict(re.findall(r'\b(lang|dir)="([^"]*)"', attributes))


def html_attributes(html: str) -> dict[str, str]:
    return lang_and_dir(re.search(r"<html ([^>]*)>", html).group(1))


def in_language(code: str, message) -> str:
    """``message`` (a string, or a lazy one in English) as that language says it."""
    english = str(message)
    with translation.override(code):
        return gettext(english)


def regular_subject_in(code: str) -> str:
    """The regular email's subject, as looked up in that language, with its date in it."""
    with translation.override(code):
        return gettext("Missing people near you: %(date)s") % {
            "date": date_format(timezone.localtime(thursday_morning()), "j F Y")
        }


def links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def sign_up_data(forces, **overrides) -> dict:
    return {
        "action": "sign-up",
        "email": "ada@example.org",
        "areas": [forces[0].pk],
        "urgent_alerts": "no",
        "consent": "on",
        **overrides,
    }


def test_the_sign_up_asks_in_which_language_each_named_in_itself_the_page_s_first(
    client, offered, forces
):
    for prefix, chosen in (("", "en-gb"), ("/cy", "cy"), ("/ps", "ps")):
        response = client.post(f"{prefix}/heroes/", {"place": "LS6 3AB", "email": "a@b.org"})
        page = response.content.decode()
        assert response.status_code == 200
        assert in_language(prefix.strip("/") or "en-gb", QUESTION) in page
        assert re.findall(r'name="language" value="([^"]+)"[^>]*checked', page) == [chosen]
        assert f'action="{prefix}/heroes/"' in page  # signing up stays in the page's language
    assert '<span lang="cy" dir="ltr">Cymraeg</span>' in page
    assert '<span lang="ps" dir="rtl">پښتو</span>' in page
    assert '<span lang="en-gb" dir="ltr">English</span>' in page
    # On a page in Pashto, the words agreed to are the standard wording, in Pashto.
    consent = in_language("ps", STANDARD_WORDING["consent_wording"])
    assert consent != STANDARD_WORDING["consent_wording"]
    assert f'<label for="id_consent">{consent}</label>' in page
    assert "Email me appeals" not in page


def test_a_hero_agrees_to_the_words_they_read_and_the_record_keeps_them(client, offered, forces):
    policy = NewsletterSettings.load()
    policy.consent_wording = "Our own English wording of the consent."
    policy.save()
    data = {"place": "LS6 3AB", "email": "pashto.reader@example.org"}
    assert "Our own English wording" not in client.post("/ps/heroes/", data).content.decode()
    assert "Our own English wording" in client.post("/heroes/", data).content.decode()
    email = "pashto.reader@example.org"
    client.post("/ps/heroes/", sign_up_data(forces, email=email, language="ps"))
    (record,) = HeroConsent.objects.filter(hero__email=email)
    assert record.wording == in_language("ps", STANDARD_WORDING["consent_wording"])


def test_the_newsletter_pages_are_in_the_page_s_language(client, offered):
    page = client.post("/cy/heroes/", {}).content.decode()
    # A string the Welsh catalogue has, looked up in Welsh.
    welsh = in_language("cy", "There is a problem")
    assert welsh != "There is a problem"
    assert f'<h2 id="error-summary-title">{welsh}</h2>' in page
    assert html_attributes(page) == {"lang": "cy", "dir": "ltr"}


def test_with_english_alone_no_language_is_asked_and_heroes_get_english(
    client, settings, forces, mailbox, django_capture_on_commit_callbacks
):
    settings.LANGUAGES = [("en-gb", "English")]
    areas = client.post("/heroes/", {"place": "LS6 3AB", "email": "ada@example.org"})
    assert QUESTION not in areas.content.decode()
    assert 'name="language"' not in areas.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/heroes/", sign_up_data(forces, language="cy"))  # not asked: not heard
    hero = Hero.objects.get()
    assert hero.language == "en-gb"
    manage = client.get(reverse("hero-manage", args=[manage_token(hero.public_id)]))
    assert 'name="language"' not in manage.content.decode()
    assert html_attributes(mailbox.only_one_to(hero.email).html()) == {
        "lang": "en-gb",
        "dir": "ltr",
    }


def test_a_language_not_offered_is_refused_with_a_message_and_nothing_is_kept(
    client, settings, forces, mailbox
):
    settings.LANGUAGES = [("en-gb", "English"), ("cy", "Welsh")]
    response = client.post("/heroes/", sign_up_data(forces, language="ps"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert '<a href="#id_language_0">Choose the language we should email you in.</a>' in page
    assert not Hero.objects.exists()
    assert mailbox.arrivals == []

    with pytest.raises(ValidationError):
        services.hero_sign_up(
            email="ada@example.org", all_of_uk=True, areas=[], urgent_alerts=False, language="ps"
        )
    assert not Hero.objects.exists()


def test_a_hero_changes_the_language_of_their_emails_on_their_own_page(client, offered, forces):
    hero = hero_create("ada@example.org", areas=[forces[0]], language="cy")
    url = reverse("hero-manage", args=[manage_token(hero.public_id)])
    page = client.get(url).content.decode()
    assert re.findall(r'name="language" value="([^"]+)"[^>]*checked', page) == ["cy"]

    choices = {"action": "save", "areas": [forces[0].pk], "urgent_alerts": "no"}
    refused = client.post(url, {**choices, "language": "vi"})
    assert refused.status_code == 400
    hero.refresh_from_db()
    assert hero.language == "cy"

    assert b"Saved." in client.post(url, {**choices, "language": "ps"}).content
    hero.refresh_from_db()
    assert hero.language == "ps"


def test_a_hero_who_chooses_welsh_is_written_to_in_welsh_with_welsh_links(
    client, offered, directory, forces, mailbox, send_regular, django_capture_on_commit_callbacks
):
    factories.appeal_create(parent=directory, police_force=forces[0], title="Alys Fictional")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/heroes/", sign_up_data(forces, language="cy"))  # from the English page
    hero = Hero.objects.get()
    assert hero.language == "cy"

    confirmation = mailbox.only_one_to(hero.email)
    assert confirmation.message["Subject"] == in_language(
        "cy", "Confirm you want to be a Homeward Hero"
    )
    assert html_attributes(confirmation.html()) == {"lang": "cy", "dir": "ltr"}
    confirm_url = re.search(r"https?://\S+/heroes/confirm/\S+/", confirmation.text()).group(0)
    assert urlsplit(confirm_url).path.startswith("/cy/heroes/confirm/")
    assert confirm_url in confirmation.html()
    assert client.post(urlsplit(confirm_url).path).status_code == 200
    hero.refresh_from_db()
    assert hero.status == Hero.Status.CONFIRMED

    send_regular()
    email = mailbox.to(hero.email)[-1]
    html = email.html()
    assert html_attributes(html) == {"lang": "cy", "dir": "ltr"}
    assert email.message["Subject"] == regular_subject_in("cy")
    # The email's own words are the standard wording, in Welsh.
    assert in_language("cy", STANDARD_WORDING["regular_intro"]) in html
    assert "Thank you for being a Hero" not in html
    for link in links(html):
        assert urlsplit(link).path.startswith("/cy/"), link
        assert client.get(urlsplit(link).path).status_code == 200, link
    assert f"/cy/heroes/manage/{manage_token(hero.public_id)}/" in email.text()
    one_click = re.findall(r"<([^>]+)>", email.message["List-Unsubscribe"])[1]
    assert urlsplit(one_click).path.startswith("/cy/heroes/unsubscribe/")


def test_a_mixed_campaign_sends_each_hero_their_language_rendered_once_for_each(
    offered, directory, forces, mailbox, send_regular, renders
):
    appeal = factories.appeal_create(
        parent=directory,
        police_force=forces[0],
        title="Amira Fictional",
        translations=[{"language": "ps", "headline": PASHTO_HEADLINE}],
    )
    for email, language in [
        ("english@example.org", "en-gb"),
        ("english-too@example.org", "en-gb"),
        ("welsh@example.org", "cy"),
        ("pashto@example.org", "ps"),
    ]:
        hero_create(email, areas=[forces[0]], language=language)

    send_regular()

    assert sorted(renders) == ["cy", "en-gb", "ps"]  # one segment, once in each language
    english = mailbox.only_one_to("english@example.org")
    welsh = mailbox.only_one_to("welsh@example.org")
    pashto = mailbox.only_one_to("pashto@example.org")
    mailbox.only_one_to("english-too@example.org")
    assert html_attributes(english.html()) == {"lang": "en-gb", "dir": "ltr"}
    assert html_attributes(welsh.html()) == {"lang": "cy", "dir": "ltr"}
    assert html_attributes(pashto.html()) == {"lang": "ps", "dir": "rtl"}
    assert "direction:rtl" in pashto.html()  # its columns run right to left too

    # The appeal's own Pashto words, marked as Pashto, in the Pashto email only.
    marked = re.search(f"<p ([^>]*)><strong>{PASHTO_HEADLINE}</strong></p>", pashto.html())
    assert lang_and_dir(marked.group(1)) == {"lang": "ps", "dir": "rtl"}
    assert PASHTO_HEADLINE in pashto.text()
    assert "Description in ps" in pashto.html()
    for other in (english, welsh):
        assert PASHTO_HEADLINE not in other.html() and PASHTO_HEADLINE not in other.text()

    # Each links to the appeal in its own language.
    for arrival, code in ((english, "en-gb"), (welsh, "cy"), (pashto, "ps")):
        appeal_links = {link for link in links(arrival.html()) if "/heroes/" not in link}
        assert {urlsplit(link).path for link in appeal_links} == {language_path(appeal.url, code)}
    assert english.message["Subject"] == regular_subject_in("en-gb")
    assert pashto.message["Subject"] == regular_subject_in("ps")


def test_a_language_the_site_no_longer_offers_falls_back_to_english(
    settings, directory, forces, mailbox, send_regular
):
    settings.LANGUAGES = [("en-gb", "English"), ("cy", "Welsh")]
    appeal = factories.appeal_create(parent=directory, police_force=forces[0])
    hero_create("pashto@example.org", areas=[forces[0]], language="ps")
    send_regular()
    html = mailbox.only_one_to("pashto@example.org").html()
    assert html_attributes(html) == {"lang": "en-gb", "dir": "ltr"}
    assert {urlsplit(link).path for link in links(html) if "/heroes/" not in link} == {appeal.url}


def test_the_appeals_translations_cost_no_query_per_language(settings, directory, forces):
    for number in range(3):
        factories.appeal_create(
            parent=directory,
            police_force=forces[0],
            title=f"Appeal {number}",
            translations=[{"language": "ps"}, {"language": "cy"}],
        )
    now = thursday_morning()

    def queries_for_content(languages) -> int:
        settings.LANGUAGES = languages
        with CaptureQueriesContext(connection) as queries:
            content = regular_email_content(since=regular_email_since(now=now), now=now)
        assert len(content["new_appeals"]) == 3
        return len(queries)

    queries_for_content(ALL_LANGUAGES[:1])  # the photos' renditions made, and cached
    assert queries_for_content(ALL_LANGUAGES) == queries_for_content(ALL_LANGUAGES[:1])


def test_an_urgent_alert_goes_in_pashto_with_the_appeal_s_own_pashto_words(
    offered, directory, forces, mailbox, django_capture_on_commit_callbacks
):
    hero_create("pashto@example.org", areas=[forces[0]], urgent_alerts=True, language="ps")
    with django_capture_on_commit_callbacks(execute=True):
        appeal = factories.appeal_create(
            parent=directory,
            police_force=forces[0],
            risk_level="high",
            title="Dee Invented",
            translations=[{"language": "ps", "headline": PASHTO_HEADLINE}],
        )
    alert = mailbox.only_one_to("pashto@example.org")
    with translation.override("ps"):
        subject = gettext("Urgent: please help find %(name)s") % {"name": "Dee Invented"}
    assert alert.message["Subject"] == subject
    assert html_attributes(alert.html()) == {"lang": "ps", "dir": "rtl"}
    assert PASHTO_HEADLINE in alert.html() and PASHTO_HEADLINE in alert.text()
    assert f'href="{offered.BASE_URL}{language_path(appeal.url, "ps")}"' in alert.html()


def test_someone_already_subscribed_is_told_so_in_their_own_language(
    client, offered, forces, mailbox, django_capture_on_commit_callbacks
):
    hero = hero_create("ada@example.org", areas=[forces[0]], language="ps")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/cy/heroes/", sign_up_data(forces, language="cy"))  # anyone may ask
    hero.refresh_from_db()
    assert hero.language == "ps"  # only their own link changes their choices
    told = mailbox.only_one_to("ada@example.org")
    assert told.message["Subject"] == in_language("ps", "You are already a Homeward Hero")
    assert html_attributes(told.html()) == {"lang": "ps", "dir": "rtl"}
    assert f"/ps/heroes/manage/{manage_token(hero.public_id)}/" in told.text()


def test_an_anniversary_is_said_in_each_language_with_its_plural(offered, directory, forces):
    now = thursday_morning()
    appeal = factories.appeal_create(
        parent=directory,
        police_force=forces[0],
        missing_since=now.date() - timedelta(days=2 * 365 + 3),  # two years ago this week
    )
    AppealPage.objects.filter(pk=appeal.pk).update(first_published_at=now - timedelta(days=60))
    content = regular_email_content(since=now - timedelta(days=7), now=now)

    (card,) = content["pushed_appeals"]
    assert card["reason"] == "Missing for 2 years."
    for code in ("cy", "ps"):
        with translation.override(code):
            said = ngettext("Missing for %(years)s year.", "Missing for %(years)s years.", 2)
        assert card["languages"][code]["reason"] == said % {"years": 2}
        assert card["languages"][code]["url"].endswith(language_path(appeal.url, code))
