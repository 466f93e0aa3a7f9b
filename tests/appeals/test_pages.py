import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page

from appeals.models import AppealIndexPage, AppealPage
from homeward.models import HomePage
from tests import factories

pytestmark = pytest.mark.django_db


def test_page_tree_is_home_then_directory_then_appeals(appeal):
    home = HomePage.objects.get()
    directory = AppealIndexPage.objects.get()
    assert home.get_parent().depth == 1
    assert directory.get_parent().specific == home
    assert appeal.get_parent().specific == directory
    assert appeal.url == f"/appeals/{appeal.slug}/"


def test_appeals_live_only_under_the_directory():
    assert AppealPage.can_create_at(AppealIndexPage.objects.get())
    assert not AppealPage.can_create_at(HomePage.objects.get())
    assert not AppealIndexPage.can_create_at(Page.objects.get(depth=1))
    assert AppealPage.allowed_subpage_models() == []


def test_appeal_page_shows_the_public_description(client):
    appeal = factories.appeal_create(
        title="Wrenna Quillfeather",
        height_cm=163,
        build="Slim",
        hair="Long curly red hair",
        clothing="A yellow raincoat",
        distinguishing_features="A small scar on her chin",
        message="Wrenna, we love you. Please call 116 000.",
    )
    response = client.get(appeal.url)
    html = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Wrenna Quillfeather",
        "5ft 4in (163 cm)",
        "Long curly red hair",
        "A yellow raincoat",
        "A small scar on her chin",
        "Wrenna, we love you.",
        "North Yorkshire Police",
        "Missing from Harrogate",
    ]:
        assert text in html


def test_every_appeal_page_says_how_to_help(client, appeal):
    html = client.get(appeal.url).content.decode()
    assert 'href="tel:999"' in html
    assert "Report a sighting" in html
    assert 'href="tel:116000"' in html


def test_share_links_and_card_meta_use_no_third_party_scripts(client, appeal):
    html = client.get(appeal.url).content.decode()
    scripts = re.findall(r"<script[^>]*>", html, re.IGNORECASE)
    # Ours only: static files of this site, deferred (sharing, and the form's own).
    assert '<script src="/static/appeals/js/share.js" defer>' in scripts
    assert all(re.fullmatch(r'<script src="/static/[\w/.-]+\.js" defer>', tag) for tag in scripts)
    assert (
        "https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2F127.0.0.1%3A8000%2Fappeals%2F"
        in html
    )
    assert "https://x.com/intent/post?" in html
    assert "https://wa.me/?" in html
    assert "mailto:?subject=Missing%3A%20" in html
    assert '<meta property="og:title" content="Missing: ' + appeal.title in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert '<meta property="og:image" content="http://127.0.0.1:8000/media/images/' in html
    assert '<meta property="og:image:alt" content="Photo 1 of ' + appeal.title in html


def test_age_when_missing_comes_from_the_date_of_birth_and_today_age_is_shown(client):
    today = timezone.localdate()
    appeal = factories.appeal_create(
        date_of_birth=date(today.year - 17, 1, 1) - timedelta(days=1),
        missing_since=date(today.year - 2, 6, 1),
        age_when_missing=None,
    )
    assert appeal.age_when_missing == 15
    assert appeal.is_child
    assert appeal.age_text == "15 (now 17)"


def test_without_a_date_of_birth_today_age_is_approximate():
    today = timezone.localdate()
    appeal = factories.appeal_build(
        age_when_missing=30, missing_since=date(today.year - 3, 1, 1) - timedelta(days=1)
    )
    assert appeal.age_text == "30 (now about 33)"
    appeal.missing_since = today
    assert appeal.age_text == "30"


def test_adults_are_not_children():
    appeal = factories.appeal_create(age_when_missing=18)
    assert not appeal.is_child


def test_up_to_five_photos_are_shown_first_one_leading(client):
    appeal = factories.appeal_create(photos=5)
    html = client.get(appeal.url).content.decode()
    assert html.count('class="appeal__photo"') == 1
    for number in range(1, 6):
        assert f'alt="Photo {number} of {appeal.title}"' in html


@pytest.mark.parametrize("status", [AppealPage.Status.FOUND, AppealPage.Status.WITHDRAWN])
def test_a_closed_appeal_is_gone_and_names_no_one(client, status):
    appeal = factories.appeal_create(status=status, title="Ottoline Brackwater")
    response = client.get(appeal.url)
    assert response.status_code == 410
    html = response.content.decode()
    assert "Ottoline" not in html
    assert "116&nbsp;000" in html
    main = html[html.index("<main") : html.index("</main>")]
    assert "found" not in main.lower()  # the outcome is never announced


def test_an_uncached_appeal_page_makes_at_most_ten_queries(
    client, appeal, django_assert_max_num_queries
):
    client.get(appeal.url)  # renditions are made on first view
    from homeward.page_cache import page_cache_purge

    page_cache_purge()
    with django_assert_max_num_queries(10):
        response = client.get(appeal.url)
    assert response.status_code == 200


def test_home_page_lists_the_latest_appeals_and_the_helpline(client):
    older = factories.appeal_create(missing_since=timezone.localdate() - timedelta(days=300))
    newer = factories.appeal_create(missing_since=timezone.localdate() - timedelta(days=1))
    html = client.get("/").content.decode()
    assert html.index(newer.title) < html.index(older.title)
    assert "116&nbsp;000" in html
    assert 'id="how-to-help"' in html
