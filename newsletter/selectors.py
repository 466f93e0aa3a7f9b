"""Reads for Heroes' emails: what a campaign says, who gets it, and how it went."""

from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import ngettext

from appeals.models import AppealPage
from appeals.selectors import CARD_PHOTO_FILTER
from homeward.languages import DEFAULT_LANGUAGE, language_path, text_direction
from homeward.links import absolute_url
from newsletter.emails import email_context
from newsletter.languages import in_each_language
from newsletter.models import Campaign, Delivery, Hero

# The regular email's first edition covers this far back.
FIRST_REGULAR_LOOKBACK = timedelta(days=7)


def appeal_card(appeal: AppealPage, *, years_missing: int = 0) -> dict:
    """An appeal as an email shows it: public facts only, a rendition from our own site.

    In English, with what it says in each other language offered under "languages" (see
    ``content_in_language``). ``years_missing``: pushed again on that anniversary. Fetch
    appeals with their ``translations`` (``_public_appeals``).
    """
    photo = appeal.main_photo
    image_url = alt = ""
    if photo is not None:
        image_url = absolute_url(photo.image.get_rendition(CARD_PHOTO_FILTER).url)
        alt = photo.alt_text
    # Page URLs follow the active language: English has none in front.
    with translation.override(DEFAULT_LANGUAGE):
        path = appeal.url
    said = in_each_language(lambda: _card_words(appeal, path=path, years_missing=years_missing))
    return {
        "id": appeal.pk,
        "force_id": appeal.police_force_id,
        "name": appeal.title,
        "area": appeal.last_seen_area,
        "image_url": image_url,
        "alt": alt,
        **said.pop(DEFAULT_LANGUAGE),
        "languages": said,
    }


def _card_words(appeal: AppealPage, *, path: str, years_missing: int) -> dict:
    """What a card says in the active language, and where it leads: the appeal in it,
    with the appeal's own words in it where it has them."""
    code = translation.get_language()
    reason = ""
    if years_missing:
        reason = ngettext(
            "Missing for %(years)s year.", "Missing for %(years)s years.", years_missing
        ) % {"years": years_missing}
    words = {
        "url": absolute_url(language_path(path, code)),
        "age": appeal.age_text,
        "since": date_format(appeal.missing_since, "j F Y"),
        "reason": reason,
    }
    if own := appeal.translation_in(code):
        words |= {
            "headline": own.headline,
            "description": own.description,
            "written_in": own.language,
            "written_direction": text_direction(own.language),
        }
    return words


def content_in_language(content: dict, code: str) -> dict:
    """A campaign's content as an email in that language shows it. A language the site
    began to offer after the campaign was made has its cards in English."""

    def card_in(card: dict) -> dict:
        return {**card, **card.get("languages", {}).get(code, {})}

    in_language = {
        key: [card_in(card) for card in content[key]]
        for key in ("new_appeals", "pushed_appeals")
        if key in content
    }
    if content.get("urgent_appeal"):
        in_language["urgent_appeal"] = card_in(content["urgent_appeal"])
    if code in content.get("wordings", {}):
        in_language["wording"] = content["wordings"][code]
    return {**content, **in_language}


def _public_appeals() -> QuerySet[AppealPage]:
    return AppealPage.objects.publicly_visible().prefetch_related("photos__image", "translations")


def regular_email_since(*, now: datetime) -> datetime:
    last = Campaign.objects.filter(kind=Campaign.Kind.REGULAR).order_by("-created_at").first()
    return last.created_at if last else now - FIRST_REGULAR_LOOKBACK


def regular_email_content(*, since: datetime, now: datetime) -> dict:
    """New appeals since the last edition, then anniversaries, and whether any closed."""
    new, pushed = [], []
    for appeal in _public_appeals().order_by("-first_published_at", "pk"):
        if appeal.first_published_at and appeal.first_published_at > since:
            new.append(appeal_card(appeal))
        elif years := _anniversary_between(appeal.missing_since, since.date(), now.date()):
            pushed.append(appeal_card(appeal, years_missing=years))
    return {
        "new_appeals": new,
        "pushed_appeals": pushed,
        # Named by no one: only whether there is anything to ask people to delete.
        "delete_old_shares": AppealPage.objects.filter(closed_at__gt=since).exists(),
    }


def _anniversary_between(day: date, start: date, end: date) -> int:
    """How many years missing, if an anniversary of ``day`` falls in (start, end]."""
    for year in range(start.year, end.year + 1):
        try:
            anniversary = day.replace(year=year)
        except ValueError:  # 29 February
            anniversary = date(year, 3, 1)
        if start < anniversary <= end and year > day.year:
            return year - day.year
    return 0


def campaign_forces(content: dict) -> set[int]:
    """The police force areas a campaign has something for."""
    appeals = [*content.get("new_appeals", []), *content.get("pushed_appeals", [])]
    if content.get("urgent_appeal"):
        appeals.append(content["urgent_appeal"])
    return {appeal["force_id"] for appeal in appeals}


def content_for_areas(content: dict, forces: frozenset[int] | None) -> dict:
    """A campaign's content as Heroes of these areas get it (None: all of the UK)."""
    if forces is None:
        return content
    return {
        **content,
        "new_appeals": [a for a in content.get("new_appeals", []) if a["force_id"] in forces],
        "pushed_appeals": [a for a in content.get("pushed_appeals", []) if a["force_id"] in forces],
    }


def hero_audience(*, forces: set[int], urgent_only: bool) -> QuerySet[Hero]:
    """Confirmed Heroes who asked for any of these areas (or all of the UK)."""
    heroes = Hero.objects.filter(status=Hero.Status.CONFIRMED)
    if urgent_only:
        heroes = heroes.filter(urgent_alerts=True)
    in_area = Hero.areas.through.objects.filter(policeforce_id__in=forces).values("hero_id")
    return heroes.filter(Q(all_of_uk=True) | Q(id__in=in_area))


def campaign_figures(campaign: Campaign) -> dict[str, int]:
    counts = dict(campaign.deliveries.values_list("status").annotate(n=Count("id")).order_by())
    return {status: counts.get(status, 0) for status in Delivery.Status.values}


def hero_by_public_id(public_id) -> Hero | None:
    return Hero.objects.filter(public_id=public_id).first()


def email_preview_context(kind: str, *, wording: dict, now: datetime) -> dict:
    """What the admin's preview fills an email with: today's real content where there is
    some; its links are placeholders (a preview never carries anyone's real tokens)."""
    latest = _public_appeals().order_by("-first_published_at").first()
    card = appeal_card(latest) if latest else None
    content = {"wording": wording, "urgent_appeal": card, "confirm_url": "#confirm"}
    if kind == "regular":
        content |= regular_email_content(since=regular_email_since(now=now), now=now)
    if kind == "briefing" and card:
        content["briefing"] = {**card, "force": "", "description": "(description)"}
    return email_context(
        subject=f"Preview: {kind} email",
        personal=kind != "confirmation",
        choices="North Yorkshire Police (example)",
        **content,
    )
