"""Which partners an appeal reaches: by area, and by what they may receive."""

from django.db.models import Q, QuerySet

from appeals.models import AppealTakedown
from newsletter.models import Partner


def partners_covering(*, force_id: int) -> QuerySet[Partner]:
    """Active partners whose areas take in this force's appeals."""
    return Partner.objects.filter(active=True).filter(
        Q(all_of_uk=True)
        | Q(
            pk__in=Partner.areas.through.objects.filter(policeforce_id=force_id).values(
                "partner_id"
            )
        )
    )


def briefing_partners(*, force_id: int) -> QuerySet[Partner]:
    """The vetted partners a restricted briefing of this force's goes to."""
    return partners_covering(force_id=force_id).filter(briefings=True)


def partners_who_may_hold(*, takedown: AppealTakedown) -> QuerySet[Partner]:
    """Partners that may have a copy of the appeal: a public one's receivers of public
    appeals, a restricted one's briefing partners."""
    partners = partners_covering(force_id=takedown.police_force_id)
    if takedown.first_published_at is not None:
        return partners.filter(public_appeals=True)
    return partners.filter(briefings=True)
