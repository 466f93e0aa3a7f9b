"""The partners' part of the takedowns report (appeals.lifecycle_hooks'
``takedown_report_partners``): for each takedown on the page, every partner that may hold
the appeal or was sent a notice about it, what became of each notice, and when the
partner last fetched; for those who may see partners.

Three queries for a page, however many takedowns it lists: their notices, the partners
(with when each last fetched), and those partners' areas.
"""

from collections import defaultdict

from django.db.models import OuterRef, Q
from django.utils.formats import date_format
from django.utils.timezone import localtime
from wagtail.permissions import policy_registry

from appeals.models import AppealTakedown
from newsletter.admin_partner_keys import latest_request
from newsletter.models import Partner, PartnerNotice

# A partner with several notices stands as the worst of them.
WORST_FIRST = ["failed", "waiting", "told"]


def takedown_report_partners(*, takedowns, user) -> dict[int, list[dict]]:
    if not takedowns or not policy_registry.get_by_type(Partner).user_has_permission(user, "view"):
        return {}
    notices = defaultdict(list)
    for notice in PartnerNotice.objects.filter(takedown__in=takedowns).order_by("kind"):
        notices[notice.takedown_id, notice.partner_id].append(notice)
    forces = {takedown.police_force_id for takedown in takedowns}
    covering = Partner.areas.through.objects.filter(policeforce_id__in=forces)
    partners = list(
        Partner.objects.filter(
            Q(active=True, all_of_uk=True)
            | Q(active=True, pk__in=covering.values("partner_id"))
            | Q(pk__in={partner_id for _, partner_id in notices})
        )
        .annotate(last_fetched=latest_request(partner=OuterRef("pk")))
        .prefetch_related("areas")
    )
    rows = {}
    for takedown in takedowns:
        found = [
            _row(partner, takedown, notices.get((takedown.pk, partner.pk), []))
            for partner in partners
            if (takedown.pk, partner.pk) in notices or _may_hold(partner, takedown)
        ]
        if found:
            rows[takedown.pk] = found
    return rows


def _may_hold(partner: Partner, takedown: AppealTakedown) -> bool:
    """As partner_selectors.partners_who_may_hold decides, for a whole page at once."""
    covers = partner.all_of_uk or any(
        force.pk == takedown.police_force_id for force in partner.areas.all()
    )
    receives = partner.public_appeals if takedown.first_published_at else partner.briefings
    return partner.active and covers and receives


def _row(partner: Partner, takedown: AppealTakedown, notices: list[PartnerNotice]) -> dict:
    if notices:
        said = [_notice_said(notice) for notice in notices]
        state = min((state for state, _ in said), key=WORST_FIRST.index)
        sentence = "; ".join(words for _, words in said)
    else:
        state, sentence = "not told", _why_not_told(partner, takedown)
    return {
        "partner": partner.organisation,
        "state": state,
        "said": sentence,
        "last_fetched": partner.last_fetched,
    }


def _notice_said(notice: PartnerNotice) -> tuple[str, str]:
    kind = notice.get_kind_display()
    if notice.status == PartnerNotice.Status.DELIVERED:
        return "told", f"{kind} delivered {_when(notice.delivered_at)}"
    if notice.status == PartnerNotice.Status.FAILED:
        return "failed", f"{kind} failed after {_tries(notice)}: {notice.last_error}"
    if notice.attempts:
        return "waiting", f"{kind} to be tried again ({_tries(notice)} so far: {notice.last_error})"
    return "waiting", f"{kind} waiting to be sent"


def _why_not_told(partner: Partner, takedown: AppealTakedown) -> str:
    if not takedown.step_done(AppealTakedown.Step.PARTNERS):
        return "Not told yet: the takedown has not reached partners"
    why = (
        "Nothing sent when the appeal came down"
        if partner.webhook_url
        else "No webhook: its feed says the appeal was deleted"
    )
    if partner.last_fetched and partner.last_fetched > takedown.closed_at:
        return f"{why}; it has fetched since the takedown"
    return f"{why}; it has not fetched since the takedown"


def _tries(notice: PartnerNotice) -> str:
    return f"{notice.attempts} attempt{'' if notice.attempts == 1 else 's'}"


def _when(moment) -> str:
    return date_format(localtime(moment), "j M Y H:i")
