"""Writing the anonymous statistics row of each publicised episode (appeals.models.statistics).

Closing writes it in the closing transaction, so no episode is counted twice or lost; the
takedown's end and the return home interview fill in their figures later, through the
row's link to the takedown, until the purge cuts it.

Other apps add their own figures through the ``episode_statistics_figures`` hook: a
function given the appeal's id that returns field values (sightings: how many, and how
fast they were triaged), so that this app never imports theirs.
"""

from wagtail import hooks

from appeals.models import (
    AppealPage,
    AppealTakedown,
    EpisodeStatistic,
    PersonEpisode,
    ReturnHomeInterview,
)
from appeals.models.return_home import WITHIN
from appeals.models.statistics import age_band_of, month_of

FIGURES_HOOK = "episode_statistics_figures"


def episode_statistic_record(
    *, appeal: AppealPage, takedown: AppealTakedown
) -> EpisodeStatistic | None:
    """The closed episode's row, if the appeal was ever public (the trends count publicised
    cases only). Safe to call twice: the row is the takedown's."""
    if appeal.first_published_at is None:
        return None
    closed_on = takedown.closed_at.date()
    figures = {}
    for figures_for in hooks.get_hooks(FIGURES_HOOK):
        figures.update(figures_for(appeal.pk))
    statistic, _ = EpisodeStatistic.objects.get_or_create(
        takedown=takedown,
        defaults={
            "missing_month": month_of(appeal.missing_since),
            "closed_month": month_of(closed_on),
            "police_force_id": appeal.police_force_id,
            "local_authority_id": appeal.local_authority_id,
            "age_band": age_band_of(appeal.age_when_missing),
            "trafficked": appeal.trafficked,
            "unaccompanied": appeal.unaccompanied_asylum_seeking,
            "in_care": appeal.in_care,
            "risk_level": appeal.risk_level,
            "outcome": takedown.outcome,
            "episode_number": PersonEpisode.objects.number_of(
                appeal_id=appeal.pk, missing_since=appeal.missing_since
            ),
            "days_missing": max((closed_on - appeal.missing_since).days, 0),
            "days_from_arrival": (
                (appeal.missing_since - appeal.arrived_in_uk_on).days
                if appeal.arrived_in_uk_on
                else None
            ),
            "return_home": (
                EpisodeStatistic.ReturnHome.OUTSTANDING
                if takedown.outcome == AppealTakedown.Outcome.FOUND and appeal.is_child
                else EpisodeStatistic.ReturnHome.NOT_DUE
            ),
            **figures,
        },
    )
    return statistic


def episode_statistic_takedown_done(*, takedown: AppealTakedown) -> None:
    """How long the takedown took, once, when it completes."""
    EpisodeStatistic.objects.filter(takedown=takedown, takedown_seconds__isnull=True).update(
        takedown_seconds=max(int((takedown.completed_at - takedown.closed_at).total_seconds()), 0)
    )


def episode_statistic_return_home(*, interview: ReturnHomeInterview) -> None:
    """Whether the child's return home interview was held, and within 72 hours."""
    if interview.held_at:
        held_in_time = interview.held_at <= interview.found_at + WITHIN
        outcome = (
            EpisodeStatistic.ReturnHome.IN_TIME
            if held_in_time
            else EpisodeStatistic.ReturnHome.LATE
        )
    elif interview.not_held_reason:
        outcome = EpisodeStatistic.ReturnHome.NOT_HELD
    else:
        outcome = EpisodeStatistic.ReturnHome.OUTSTANDING
    EpisodeStatistic.objects.filter(takedown__appeal_id=interview.appeal_id).update(
        return_home=outcome
    )
