"""An appeal in the person's own language: one check covers every language of a revision,
a change in any language needs a new one, the checklist asks what a language reveals,
and closing or purging the appeal takes every language with it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from appeals.models import AppealPage, PublicityCheck, PublicityRefused
from homeward import roles
from homeward.languages import ALL_LANGUAGES
from tests import factories
from tests.appeals.test_publicity_check import checklist_data, checklist_url
from tests.homeward.test_languages import html_attributes

pytestmark = pytest.mark.django_db

EVERY_LANGUAGE = override_settings(LANGUAGES=ALL_LANGUAGES)
# Fictional words, in the scripts they are written in: "Do not be afraid, call us." (ti)
TIGRINYA_MESSAGE = "ኣይትፍርሒ፡ ደውልልና።"
PASHTO_HEADLINE = "آیا تاسو ثمینه لیدلې ده؟"  # "Have you seen Samina?"


def fresh(appeal: AppealPage) -> AppealPage:
    return AppealPage.objects.get(pk=appeal.pk)


@pytest.fixture
def translated(directory):
    return factories.appeal_create(
        title="Samina Fictionalname",
        message="Samina, we love you.",
        hair="Short dark hair",
        translations=[
            {"language": "ti", "message_to_them": TIGRINYA_MESSAGE},
            {
                "language": "ps",
                "headline": PASHTO_HEADLINE,
                "description": "توره ویښته، شنه جاکټ",  # "Black hair, a green jacket"
                "message_to_them": "مه ویرېږه",  # "Do not be afraid"
            },
        ],
    )


def only_the_tigrinya_message_edited(appeal: AppealPage):
    draft = appeal.get_latest_revision_as_object()
    translations = list(draft.translations.all())
    for translation in translations:
        if translation.language == "ti":
            translation.message_to_them = "ኣይትፍርሒ።"  # "Do not be afraid."
    draft.translations = translations
    revision = draft.save_revision(user=factories.staff(roles.EDITORS))
    assert revision.as_object().translation_in("ti").message_to_them == "ኣይትፍርሒ።"
    return revision


# One check for every language


def test_the_check_covers_every_language_of_the_revision_it_checked(translated):
    assert translated.live
    check = PublicityCheck.objects.get(appeal=translated)
    assert check.revision_id == translated.live_revision_id
    assert {t.language for t in fresh(translated).translations.all()} == {"ti", "ps"}


def test_editing_only_the_tigrinya_message_needs_a_new_check(translated):
    revision = only_the_tigrinya_message_edited(translated)
    assert not PublicityCheck.objects.valid_clearances().filter(revision=revision)
    with pytest.raises(PublicityRefused):
        revision.publish()
    # The live page still says what was checked.
    page = fresh(translated)
    assert page.translation_in("ti").message_to_them == TIGRINYA_MESSAGE

    # Through the workflow: the new version waits for its own check.
    factories.publicity_clear(page)
    assert fresh(translated).translation_in("ti").message_to_them == "ኣይትፍርሒ።"
    assert PublicityCheck.objects.filter(appeal=translated).count() == 2


def test_a_translation_changed_in_the_live_row_from_code_is_refused(translated):
    page = fresh(translated)
    assert page.translations.get(language="ti")  # stored with the page
    page.translations = [factories.translation_build(language="ti", headline="Changed")]
    with pytest.raises(PublicityRefused), transaction.atomic():
        page.save()


# The checklist


def test_the_checklist_asks_whether_the_language_could_identify_their_community(client, directory):
    appeal = factories.appeal_create(publish=False, translations=[{"language": "ti"}])
    factories.workflow_start(appeal)
    client.force_login(factories.staff(roles.SAFEGUARDING_LEADS))
    page = client.get(checklist_url(appeal)).content.decode()
    assert "Could publishing in Tigrinya identify their community?" in page
    assert "In Tigrinya (ትግርኛ)" in page  # the translation is shown to the checker
    assert 'lang="ti" dir="ltr"' in page

    unanswered = client.post(checklist_url(appeal), checklist_data(appeal))
    assert "risk_of_identifying_community" in unanswered.context["form"].errors
    risky = client.post(
        checklist_url(appeal),
        checklist_data(
            appeal,
            risk_of_identifying_community=PublicityCheck.Risk.YES,
            risk_of_identifying_community_notes="Few families here speak it.",
        ),
    )
    assert "cannot go ahead" in str(risky.context["form"].errors["decision"])
    assert not PublicityCheck.objects.exists()

    passed = client.post(
        checklist_url(appeal),
        checklist_data(appeal, risk_of_identifying_community=PublicityCheck.Risk.NO),
    )
    assert passed.status_code == 302
    assert PublicityCheck.objects.get().risk_of_identifying_community == "no"


def test_an_appeal_only_in_english_is_not_asked_about_a_language(client, directory):
    appeal = factories.appeal_create(publish=False)
    factories.workflow_start(appeal)
    client.force_login(factories.staff(roles.SAFEGUARDING_LEADS))
    page = client.get(checklist_url(appeal)).content.decode()
    assert "identify their community" not in page


def test_the_database_refuses_a_public_decision_that_a_language_identifies_them(translated):
    check = PublicityCheck.objects.get(appeal=translated)
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicityCheck.objects.filter(pk=check.pk).update(
            risk_of_identifying_community="yes", risk_of_identifying_community_notes="Why."
        )


# Who wrote it, and one per language


def test_a_translation_must_be_reviewed_by_someone_other_than_its_translator():
    translation = factories.translation_build(
        language="ps", translated_by="A. Translator", reviewed_by=" a. translator"
    )
    with pytest.raises(ValidationError) as refused:
        translation.clean()
    assert "Someone other than the translator" in str(refused.value)


def test_two_translations_in_one_language_are_refused_before_any_check(client, directory):
    appeal = factories.appeal_create(publish=False, translations=[{"language": "ps"}])
    # Drafts keep their translations in the revision: the table holds only the first.
    draft = appeal.get_latest_revision_as_object()
    draft.translations.add(factories.translation_build(language="ps", headline="Two"))
    with pytest.raises(ValidationError) as refused:
        draft.save_revision(user=factories.staff(roles.EDITORS))
    assert "two Pashto translations" in str(refused.value)
    # Saved by code that skips validation, the check still refuses it.
    draft.save_revision(user=factories.staff(roles.EDITORS), clean=False)

    factories.workflow_start(appeal)
    client.force_login(factories.staff(roles.SAFEGUARDING_LEADS))
    response = client.post(
        checklist_url(appeal),
        checklist_data(appeal, risk_of_identifying_community=PublicityCheck.Risk.NO),
    )
    assert "two Pashto translations" in str(response.context["form"].non_field_errors())
    assert not PublicityCheck.objects.exists()


def test_the_editor_saves_translations_into_the_revision(client, directory):
    client.force_login(factories.staff(roles.EDITORS))
    response = client.post(
        reverse("wagtailadmin_pages:add", args=["appeals", "appealpage", directory.pk]),
        factories.new_appeal_form_data(
            translations=[
                {
                    "language": "ti",
                    "headline": "ርኢኽምዋዶ?",  # "Have you seen her?"
                    "description": "",
                    "message_to_them": TIGRINYA_MESSAGE,
                    "translated_by": "A. Translator",
                    "reviewed_by": "B. Reviewer",
                }
            ]
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    draft = AppealPage.objects.get().get_latest_revision_as_object()
    assert draft.translation_in("ti").message_to_them == TIGRINYA_MESSAGE


# What the public sees


@EVERY_LANGUAGE
def test_the_page_in_pashto_leads_with_the_pashto_headline_and_description(client, translated):
    html = client.get(f"/ps{translated.url}").content.decode()
    assert PASHTO_HEADLINE in html and "توره ویښته" in html
    assert html_attributes(html)["dir"] == "rtl"
    # What staff typed in English reads left to right inside the right-to-left page.
    assert f'<dd lang="en-gb" dir="ltr">{translated.hair}' in html
    english = client.get(translated.url).content.decode()
    assert PASHTO_HEADLINE not in english and "Headline in ti" not in english


@EVERY_LANGUAGE
@pytest.mark.parametrize("prefix", ["", "/ps", "/cy"])
def test_every_language_shows_each_message_to_them_marked_with_its_language(
    client, translated, prefix
):
    html = client.get(f"{prefix}{translated.url}").content.decode()
    assert f'<blockquote class="message" lang="ti" dir="ltr"><p>{TIGRINYA_MESSAGE}</p>' in html
    assert '<blockquote class="message" lang="ps" dir="rtl"><p>مه ویرېږه</p>' in html
    assert '<blockquote class="message" lang="en-gb" dir="ltr"><p>Samina, we love you.</p>' in html


def test_who_translated_it_is_never_public(client, translated):
    html = client.get(translated.url).content.decode()
    assert "Fictional Translator" not in html and "Fictional Reviewer" not in html


@EVERY_LANGUAGE
def test_closing_makes_every_language_410(client, translated, django_capture_on_commit_callbacks):
    factories.appeal_found(translated, capture=django_capture_on_commit_callbacks)
    for code, _ in ALL_LANGUAGES:
        prefix = "" if code == "en-gb" else f"/{code}"
        response = client.get(f"{prefix}{translated.url}")
        assert response.status_code == 410, code
        html = response.content.decode()
        assert PASHTO_HEADLINE not in html and TIGRINYA_MESSAGE not in html
