from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail import hooks
from wagtail.models import PageLogEntry, TaskState

from appeals.channels import channels_off
from appeals.models import (
    AppealPage,
    AppealPhoto,
    AppealTakedown,
    PoliceAuthorisation,
    PublicityCheck,
    PublicityCheckTask,
    PublicityRecord,
    ReturnHomeInterview,
    SocialPost,
)
from appeals.search import appeals_matching, forces_named_in, search_words
from homeward.capabilities import (
    READ_PUBLICITY_CHECKS,
    SEE_EVERY_FORCE,
    SEE_LOCAL_AUTHORITY_EPISODES,
)
from homeward.models import LocalAuthorityManager, PoliceForce, PoliceOfficer

# Renditions every listing shows: prefetched so a page of cards costs a fixed number of
# queries. Cards offer the same crop at three widths (srcset); the middle one is the
# fallback, and the one emails use.
CARD_PHOTO_FILTER = "fill-400x500-c100"
CARD_PHOTO_FILTERS = ("fill-200x250-c100", CARD_PHOTO_FILTER, "fill-600x750-c100")

SINCE_PERIODS = {
    "7d": (gettext_lazy("In the last 7 days"), timedelta(days=7)),
    "30d": (gettext_lazy("In the last 30 days"), timedelta(days=30)),
    "1y": (gettext_lazy("In the last 12 months"), timedelta(days=365)),
}
OVER_A_YEAR = "over1y"
# The age the appeal gives first: their age when they went missing, as its photo shows them.
AGE_RANGES = {
    "under-12": (pgettext_lazy("age when missing", "Under 12"), 0, 11),
    "12-17": (pgettext_lazy("age when missing", "12 to 17"), 12, 17),
    "18-25": (pgettext_lazy("age when missing", "18 to 25"), 18, 25),
    "26-64": (pgettext_lazy("age when missing", "26 to 64"), 26, 64),
    "65-plus": (pgettext_lazy("age when missing", "65 and over"), 65, None),
}


def _with_card_photos(appeals):
    return appeals.select_related("police_force").prefetch_related(
        Prefetch("photos", queryset=AppealPhoto.objects.with_renditions(CARD_PHOTO_FILTERS))
    )


def appeal_list_latest(*, limit: int):
    """The most recently missing people, for the home page."""
    appeals = AppealPage.objects.publicly_visible().order_by("-missing_since", "-pk")
    return _with_card_photos(appeals)[:limit]


def appeal_search(
    *,
    query: str = "",
    force: PoliceForce | None = None,
    person: str = "",
    age: str = "",
    gender: str = "",
    since: str = "",
):
    """Live appeals matching the directory's filters: the best match to the search first
    (see appeals.search), otherwise the most recently missing first."""
    appeals = AppealPage.objects.publicly_visible()
    if force is not None:
        appeals = appeals.filter(police_force=force)
    if person:
        appeals = appeals.filter(is_child=(person == "child"))
    if age in AGE_RANGES:
        _, youngest, oldest = AGE_RANGES[age]
        appeals = appeals.filter(age_when_missing__gte=youngest)
        if oldest is not None:
            appeals = appeals.filter(age_when_missing__lte=oldest)
    if gender:
        appeals = appeals.filter(gender=gender)
    today = timezone.localdate()
    if since == OVER_A_YEAR:
        appeals = appeals.filter(missing_since__lt=today - timedelta(days=365))
    elif since in SINCE_PERIODS:
        appeals = appeals.filter(missing_since__gte=today - SINCE_PERIODS[since][1])
    if search_words(query):
        appeals = appeals_matching(appeals, query=query, forces=forces_named_in(query))
    else:
        appeals = appeals.order_by("-missing_since", "-pk")
    return _with_card_photos(appeals)


def _forces_visible_to(user) -> frozenset[int] | None:
    """The police forces whose appeals this person may see: None for every force.

    Worked out once per user object: the admin asks on every listed page.
    """
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    if not hasattr(user, "_appeal_forces_visible"):
        if user.has_perm(SEE_EVERY_FORCE):
            forces = None
        else:
            force_id = PoliceOfficer.force_id_of(user)
            forces = frozenset() if force_id is None else frozenset({force_id})
        user._appeal_forces_visible = forces
    return user._appeal_forces_visible


def appeals_visible_to(user):
    """The one rule for staff: the appeals this person may see, anywhere in the admin.

    Those who may see every force's (charity roles, superusers) see every appeal; a police
    officer, their force's; anyone else, none. What they may do with one is still their
    page permissions.
    """
    forces = _forces_visible_to(user)
    appeals = AppealPage.objects.all()
    return appeals if forces is None else appeals.filter(police_force_id__in=forces)


def appeal_visible_to(*, appeal: AppealPage, user) -> bool:
    forces = _forces_visible_to(user)
    return forces is None or appeal.police_force_id in forces


def pages_visible_to(pages, *, user):
    """Pages of any type, less the appeals this person may not see."""
    forces = _forces_visible_to(user)
    if forces is None:
        return pages
    hidden = AppealPage.objects.exclude(police_force_id__in=forces)
    return pages.exclude(pk__in=hidden.values("pk"))


def _photos_visible_to(user):
    """The appeal photos this person may see: those of the appeals they may see. An image
    on no appeal yet (a draft's upload) is seen only by those who see every appeal."""
    return AppealPhoto.objects.filter(page__in=appeals_visible_to(user)).values("image_id")


def images_visible_to(images, *, user):
    if _forces_visible_to(user) is None:
        return images
    return images.filter(pk__in=_photos_visible_to(user))


def image_visible_to(*, image, user) -> bool:
    if _forces_visible_to(user) is None:
        return True
    return _photos_visible_to(user).filter(image_id=image.pk).exists()


def publicity_check_readable_by(*, check: PublicityCheck, user) -> bool:
    """Those who may read every check, and the officers of the force that owns the case."""
    if user.has_perm(READ_PUBLICITY_CHECKS):
        return True
    force_id = PoliceOfficer.force_id_of(user)
    return force_id is not None and force_id == check.appeal.police_force_id


def publicity_checks_of(appeal: AppealPage):
    return appeal.publicity_checks.select_related(
        "completed_by", "approved_by", "authorising_force", "revision"
    )


def publicity_clearances_ending(*, now: datetime, within: timedelta):
    """Live appeals whose public clearance ends soon, soonest first."""
    return (
        PublicityCheck.objects.valid_clearances(now=now)
        .filter(
            expires_at__lte=now + within,
            revision__in=AppealPage.objects.live().values("live_revision"),
        )
        .select_related("appeal")
        .order_by("expires_at")
    )


def publicity_recent_expiries(*, now: datetime, within: timedelta):
    """Appeals taken off the public site because their clearance ended."""
    return (
        PageLogEntry.objects.filter(
            action="homeward.publicity.expired", timestamp__gte=now - within
        )
        .select_related("page")
        .order_by("-timestamp")
    )


def police_authorisation_queue(*, force: PoliceForce):
    """Open appeals of a force, newest first, with their authorisations: given here, or
    recorded in a safety check (``authorised_in_check``), for the case as it stands."""
    in_homeward = PoliceAuthorisation.objects.filter(
        appeal=OuterRef("pk"),
        force_id=OuterRef("police_force_id"),
        case_reference=OuterRef("case_reference"),
    )
    in_check = PublicityCheck.objects.filter(
        appeal=OuterRef("pk"),
        authorising_force_id=OuterRef("police_force_id"),
        authorising_case_reference=OuterRef("case_reference"),
    )
    return (
        AppealPage.objects.filter(police_force=force, status=AppealPage.Status.MISSING)
        .annotate(authorised_here=Exists(in_homeward), authorised_in_check=Exists(in_check))
        .prefetch_related("police_authorisations")
        .order_by("-latest_revision_created_at")
    )


def police_authorisation_latest(*, appeal: AppealPage) -> PoliceAuthorisation | None:
    """The latest in-Homeward authorisation by the force that owns the case now."""
    draft = appeal.get_latest_revision_as_object()
    return (
        appeal.police_authorisations.filter(
            force_id=draft.police_force_id, case_reference=draft.case_reference
        )
        .order_by("-created_at")
        .first()
    )


def appeal_publicity_record(*, appeal: AppealPage) -> PublicityRecord:
    """Everything the appeal went out on: its posts on each channel (status, id on the
    channel, link, deletion, last error), the channels that are switched off, and what
    other apps sent it out as (their sections: the Heroes emails with their figures).
    The posts are a query, not yet run: the admin pages through them."""
    sections = (
        section(appeal=appeal) for section in hooks.get_hooks("register_publicity_record_section")
    )
    return PublicityRecord(
        appeal=appeal,
        posts=SocialPost.objects.filter(appeal=appeal),
        sections=[section for section in sections if section is not None],
        channels_off=channels_off(),
    )


def takedowns_visible_to(user):
    """The takedowns of the appeals' forces this person may see, with what the report shows.

    Who may open the report at all is the permission policy's (appeals.permission_policies).
    """
    takedowns = AppealTakedown.objects.select_related(
        "appeal", "police_force", "closed_by"
    ).prefetch_related("appeal__social_posts")
    forces = _forces_visible_to(user)
    return takedowns if forces is None else takedowns.filter(police_force_id__in=forces)


def return_home_interviews_visible_to(user):
    """The return home interviews of the forces whose appeals this person may see, and of
    the children their local authority is responsible for."""
    interviews = ReturnHomeInterview.objects.select_related("appeal", "police_force")
    forces = _forces_visible_to(user)
    if forces is None:
        return interviews
    scope = Q(police_force_id__in=forces)
    if (local_authority_id := LocalAuthorityManager.local_authority_id_of(user)) is not None:
        scope |= Q(local_authority_id=local_authority_id)
    return interviews.filter(scope)


def managed_local_authority_id(user) -> int | None:
    """The council whose children's episodes this designated manager sees, or None."""
    if not user.has_perm(SEE_LOCAL_AUTHORITY_EPISODES):
        return None
    return LocalAuthorityManager.local_authority_id_of(user)


def local_authority_episodes(*, user):
    """The episodes (appeals, any state) of the children this designated manager's local
    authority is responsible for; none for anyone else. Purged ones have lost the link."""
    local_authority_id = managed_local_authority_id(user)
    if local_authority_id is None:
        return AppealPage.objects.none()
    return (
        AppealPage.objects.filter(local_authority_id=local_authority_id)
        .select_related("police_force", "return_home_interview")
        .order_by("-missing_since", "-pk")
    )


def appeal_publicity_state(appeal: AppealPage) -> str:
    """Where the appeal stands on its way to the public, in words for the police's list."""
    if appeal.live:
        return "Live on the public site"
    task = appeal.current_workflow_task
    if task is not None:
        if isinstance(task.specific, PublicityCheckTask):
            return "Waiting for the publicity safety check"
        return "Waiting for a publisher's approval"
    if AppealTakedown.objects.filter(appeal=appeal).exists():
        return "Taken down: its publicity clearance ended"
    return "Draft: not yet sent for the safety check"


def police_authorisations_awaited(*, force_id: int):
    """Open appeals of the force whose case no one has recorded as authorised, here or in
    a safety check."""
    return police_authorisation_queue(force=PoliceForce(pk=force_id)).filter(
        authorised_here=False, authorised_in_check=False
    )


def workflow_tasks_awaiting(*, user, task_class):
    """The appeals' task states of this kind that this person may act on now, oldest first."""
    states = TaskState.objects.none()
    for task in task_class.objects.filter(active=True):
        states |= task.get_task_states_user_can_moderate(user)
    if _forces_visible_to(user) is not None:
        visible = appeals_visible_to(user).values_list("pk", flat=True)
        states = states.filter(workflow_state__object_id__in=[str(pk) for pk in visible])
    return states.select_related("workflow_state").order_by("started_at")


def social_posts_failed(*, user):
    """Posts (or their deletions) that failed, of the appeals this person may see."""
    return (
        SocialPost.objects.filter(appeal__in=appeals_visible_to(user))
        .filter(Q(status=SocialPost.Status.FAILED) | Q(deletion=SocialPost.Deletion.FAILED))
        .select_related("appeal")
        .order_by("-created_at")
    )


def takedowns_pending(*, user):
    return takedowns_visible_to(user).filter(completed_at__isnull=True).order_by("closed_at")
