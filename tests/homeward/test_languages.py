"""The public site's languages: the URL decides, RTL where the script is, caches never
cross, staff stay in English, and the compiled catalogues are those of the sources."""

import gettext
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import to_locale

from homeward import roles
from homeward.checks import offered_languages_complete, untranslated_count
from homeward.languages import ALL_LANGUAGES, languages_offered
from tests import factories
from tests.languages import RTL

pytestmark = pytest.mark.django_db

LOCALE = Path(django_settings.BASE_DIR) / "site" / "locale"
EVERY_LANGUAGE = override_settings(LANGUAGES=ALL_LANGUAGES)


def html_attributes(html: str) -> dict:
    tag = re.search(r"<html ([^>]*)>", html).group(1)
    return dict(re.findall(r'(\w+)="([^"]*)"', tag))


@EVERY_LANGUAGE
@pytest.mark.parametrize("code", [code for code, _ in ALL_LANGUAGES])
def test_each_language_has_its_own_address_with_lang_and_direction(client, directory, code):
    prefix = "" if code == "en-gb" else f"/{code}"
    response = client.get(f"{prefix}/")
    assert response.status_code == 200
    assert html_attributes(response.content.decode()) == {
        "lang": code,
        "dir": "rtl" if code in RTL else "ltr",
    }
    assert response["Content-Language"] == code


@EVERY_LANGUAGE
def test_a_page_in_pashto_is_in_pashto_and_links_stay_in_pashto(client, directory, appeal):
    html = client.get(f"/ps{appeal.url}").content.decode()
    assert "ورک شوي خلک" in html  # "Missing people"
    assert "Missing people" not in html
    assert f'href="/ps{directory.url}"' in html
    # Numbers stay left to right inside right-to-left text.
    assert '<bdi dir="ltr">116&nbsp;000</bdi>' in html


@EVERY_LANGUAGE
def test_the_switcher_names_each_language_in_itself_and_leads_to_this_page(client, appeal):
    html = client.get(appeal.url).content.decode()
    switcher = html[html.index('class="language-switcher"') :]
    assert f'<a href="/ps{appeal.url}" hreflang="ps" lang="ps" dir="rtl">پښتو</a>' in switcher
    assert f'<a href="/cy{appeal.url}" hreflang="cy" lang="cy" dir="ltr">Cymraeg</a>' in switcher
    assert '<span lang="en-gb" dir="ltr" aria-current="true">' in switcher


def test_with_english_alone_there_is_no_switcher_and_no_prefix(client, appeal):
    assert django_settings.LANGUAGES == [("en-gb", "English")]
    assert "language-switcher" not in client.get(appeal.url).content.decode()
    assert client.get(f"/ps{appeal.url}").status_code == 404


@EVERY_LANGUAGE
def test_the_same_path_in_two_languages_is_never_served_from_the_other_s_cache(client, appeal):
    english = client.get(appeal.url)
    pashto = client.get(f"/ps{appeal.url}")
    again = client.get(appeal.url)
    assert "public" in english["Cache-Control"] and "public" in pashto["Cache-Control"]
    assert html_attributes(english.content.decode())["lang"] == "en-gb"
    assert html_attributes(pashto.content.decode())["lang"] == "ps"
    assert again.content == english.content
    # Nothing but the address decides: a browser's preference changes no cached page.
    assert "Accept-Language" not in english.get("Vary", "")
    assert client.get(appeal.url, HTTP_ACCEPT_LANGUAGE="ps").content == english.content


@EVERY_LANGUAGE
def test_the_bare_home_page_follows_the_browser_privately(client, directory):
    to_pashto = client.get("/", HTTP_ACCEPT_LANGUAGE="ps-AF,ps;q=0.9,en;q=0.5")
    assert to_pashto.status_code == 302 and to_pashto["Location"] == "/ps/"
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    for response in (to_pashto, english):
        assert response["Cache-Control"] == "private, no-cache"
        assert "Accept-Language" in response["Vary"]
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de").status_code == 200  # none offered
    shared = client.get("/?utm_source=poster", HTTP_ACCEPT_LANGUAGE="ps")
    assert shared["Location"] == "/ps/?utm_source=poster"


@EVERY_LANGUAGE
def test_staff_pages_stay_in_english_whatever_the_browser_asks(client):
    client.force_login(factories.user_create(role=roles.EDITORS))
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ps,ar").content.decode()
    assert html_attributes(html)["lang"] == "en-gb"


def test_a_language_without_text_is_a_mistake_in_the_setting():
    with pytest.raises(ValueError, match="xx"):
        languages_offered(["cy", "xx"])
    assert languages_offered(["ps"]) == [("en-gb", "English"), ("ps", "Pashto")]


@pytest.mark.parametrize("code", [code for code, _ in ALL_LANGUAGES if code != "en-gb"])
def test_each_catalogue_is_compiled_from_its_source(code, tmp_path):
    folder = LOCALE / to_locale(code) / "LC_MESSAGES"
    source = (folder / "django.po").read_text()
    assert "#, fuzzy" not in source, f"{code} has entries marked fuzzy"
    compiled = tmp_path / "django.mo"
    msgfmt = shutil.which("msgfmt")  # GNU gettext, which Django's compilemessages runs
    subprocess.run([msgfmt, "--check", "-o", compiled, folder / "django.po"], check=True)  # noqa: S603
    with open(compiled, "rb") as fresh, open(folder / "django.mo", "rb") as kept:
        assert gettext.GNUTranslations(fresh)._catalog == gettext.GNUTranslations(kept)._catalog, (
            f"site/locale/{folder.parent.name}/LC_MESSAGES/django.mo is stale: run make messages"
        )


@pytest.mark.parametrize("code", [code for code, _ in ALL_LANGUAGES if code != "en-gb"])
def test_no_translation_brings_a_quote_that_would_end_an_attribute(code):
    """Templates put some translations in attributes (alt, aria-label) unescaped: a
    straight double quote the English lacks would cut the attribute short."""
    folder = LOCALE / to_locale(code) / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    quoted = [
        (english, translated)
        for key, translated in catalogue.items()
        if '"' in re.sub(r"<[^>]*>", "", translated)  # markup such as <bdi dir="ltr"> is HTML
        and '"' not in (english := key[0] if isinstance(key, tuple) else key)
    ]
    assert quoted == [], "use typographic quotes (“ ” « ») in these"


@pytest.mark.parametrize("code", [code for code, _ in ALL_LANGUAGES if code != "en-gb"])
def test_every_catalogue_is_complete(code):
    """No string of our own pages, forms or emails is left in English in any language."""
    assert untranslated_count(code) == 0


def test_only_complete_languages_may_be_offered(monkeypatch, tmp_path):
    with override_settings(LANGUAGES=ALL_LANGUAGES):
        assert offered_languages_complete() == []
    # A catalogue lacking one string: Pashto, compiled without its last translation.
    folder = tmp_path / "ps" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source = (LOCALE / "ps" / "LC_MESSAGES" / "django.po").read_text()
    cut = source.rstrip().rsplit("\nmsgstr ", 1)[0] + '\nmsgstr ""\n'
    (folder / "django.po").write_text(cut)
    msgfmt = shutil.which("msgfmt")
    subprocess.run([msgfmt, "-o", folder / "django.mo", folder / "django.po"], check=True)  # noqa: S603
    monkeypatch.setattr("homeward.checks.CATALOGUES", tmp_path)
    with override_settings(LANGUAGES=[("en-gb", "English"), ("ps", "Pashto")]):
        (refusal,) = offered_languages_complete()
    assert refusal.id == "homeward.E001"
    assert refusal.msg == "PUBLIC_LANGUAGES offers Pashto, whose catalogue lacks 1 strings."
    assert offered_languages_complete() == []  # English alone, by default


@EVERY_LANGUAGE
def test_the_sitemap_lists_each_page_in_every_language_with_its_alternates(client, appeal):
    sitemap = client.get("/sitemap.xml").content.decode()
    assert f"<loc>http://127.0.0.1:8000/ps{appeal.url}</loc>" in sitemap
    assert f"<loc>http://127.0.0.1:8000{appeal.url}</loc>" in sitemap
    assert (
        f'<xhtml:link rel="alternate" hreflang="ti" href="http://127.0.0.1:8000/ti{appeal.url}"/>'
        in sitemap
    )
    assert f'hreflang="x-default" href="http://127.0.0.1:8000{appeal.url}"' in sitemap


@EVERY_LANGUAGE
def test_a_page_not_found_and_an_ended_appeal_answer_in_the_address_s_language(
    client, appeal, django_capture_on_commit_callbacks
):
    missing = client.get("/ps/no-such-page/")
    assert missing.status_code == 404
    assert "پاڼه ونه موندل شوه" in missing.content.decode()  # "Page not found"
    assert html_attributes(missing.content.decode()) == {"lang": "ps", "dir": "rtl"}
    factories.appeal_found(appeal, capture=django_capture_on_commit_callbacks, reason="Found.")
    gone = client.get(f"/cy{appeal.url}")
    assert gone.status_code == 410
    assert "apêl hon wedi dod i ben" in gone.content.decode()  # "This appeal has ended"
    assert appeal.title not in gone.content.decode()


@EVERY_LANGUAGE
def test_the_heading_and_intro_staff_write_in_english_show_translated_wording(client, directory):
    home = client.get("/ps/").content.decode()
    assert "ایا تاسو دوی لیدلي دي؟" in home and "Have you seen them?" not in home
    assert "Have you seen them?" in client.get("/").content.decode()
    listing = client.get(f"/cy{directory.url}").content.decode()
    assert "<h1>Missing people</h1>" not in listing and "Plant ac oedolion" in listing


@pytest.mark.parametrize(
    ("code", "march"), [("ps", "مارچ"), ("ti", "መጋቢት"), ("fa-af", "مارچ"), ("cy", "Mawrth")]
)
def test_dates_name_the_month_in_the_language_django_s_own_or_ours(code, march):
    with translation.override(code):
        assert date_format(date(2026, 3, 5), "j F Y") == f"5 {march} 2026"


@EVERY_LANGUAGE
def test_pages_staff_write_in_english_are_marked_english(client, directory):
    html = client.get("/ar/privacy/").content.decode()
    assert '<div lang="en-gb" dir="ltr">' in html
    footer = html[html.index('class="site-footer__links"') :]
    assert 'lang="en-gb" dir="ltr">Privacy notice</a>' in footer
