"""A person's episodes: the history staff and police read, and the appeals that may be
the same person (appeals.models.people)."""

from dataclasses import dataclass
from datetime import date, datetime
from functools import reduce
from operator import and_, or_

from django.db.models import Q, QuerySet

from appeals.models import AppealPage
from appeals.selectors import appeals_visible_to


@dataclass(frozen=True)
class Episode:
    """One of a person's other episodes, as far as retention still allows."""

    appeal: AppealPage
    purged: bool

    @property
    def missing_since(self) -> date:
        return self.appeal.missing_since

    @property
    def closed_at(self) -> datetime | None:
        return self.appeal.closed_at

    @property
    def publicised(self) -> bool:
        return self.appeal.first_published_at is not None


def episodes_other(*, appeal: AppealPage) -> QuerySet[AppealPage]:
    """The person's other appeals, oldest first; none if the appeal is linked to no one."""
    person_id = (
        AppealPage.objects.filter(pk=appeal.pk)
        .values_list("person_episode__person_id", flat=True)
        .first()
    )
    if person_id is None:
        return AppealPage.objects.none()
    return (
        AppealPage.objects.filter(person_episode__person_id=person_id)
        .exclude(pk=appeal.pk)
        .select_related("police_force", "takedown")
        .order_by("missing_since", "pk")
    )


def episode_history(*, appeal: AppealPage) -> list[Episode]:
    return [
        Episode(
            appeal=other,
            purged=getattr(other, "takedown", None) is not None
            and other.takedown.purged_at is not None,
        )
        for other in episodes_other(appeal=appeal)
    ]


def episodes_earlier_publicised(*, appeal: AppealPage) -> list[Episode]:
    """Their other episodes that had a public appeal: the "photo album" that follows them."""
    return [episode for episode in episode_history(appeal=appeal) if episode.publicised]


def episode_matches(
    *, appeal: AppealPage, user, name: str = "", date_of_birth: date | None = None
) -> list[AppealPage]:
    """Appeals this person may see that may be the same person, not linked yet.

    Searched for by name and date of birth (both, where both are given); with neither,
    suggested by the appeal's own (its first and last names, or its date of birth).
    Purged appeals have neither, so they are reached only through a linked episode.
    """
    searching = bool(name or date_of_birth)
    names = _first_and_last(name if searching else appeal.draft_title)
    born = date_of_birth if searching else appeal.date_of_birth
    conditions = [Q(draft_title__icontains=word) for word in names]
    if names and not searching:
        conditions = [reduce(and_, conditions)]
    if born:
        conditions.append(Q(date_of_birth=born))
    if not conditions:
        return []
    matching = reduce(and_ if searching else or_, conditions)
    linked = episodes_other(appeal=appeal).values("pk")
    candidates = (
        appeals_visible_to(user)
        .filter(matching)
        .exclude(pk=appeal.pk)
        .exclude(pk__in=linked)
        .filter(Q(takedown__isnull=True) | Q(takedown__purged_at__isnull=True))
        .select_related("police_force")
        .order_by("-missing_since", "-pk")
    )
    # "Ann" is in "Joanna": a name matches only as whole words.
    return [
        candidate
        for candidate in candidates[:50]
        if set(names) <= set(_words(candidate.draft_title))
        or (not searching and born and candidate.date_of_birth == born)
    ][:20]


def _words(name: str) -> list[str]:
    return [word.casefold() for word in name.replace("-", " ").split()]


def _first_and_last(name: str) -> tuple[str, ...]:
    words = _words(name)
    return tuple(dict.fromkeys([words[0], words[-1]])) if words else ()
