"""Linking an appeal to the same person's other episodes, and undoing a mistaken link.

Staff confirm each link themselves (appeals.episodes suggests, never decides). Two people
already known are merged into one when an appeal of each is linked.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from wagtail.log_actions import log

from appeals.models import AppealPage, page_hold
from appeals.models.people import Person, PersonEpisode
from appeals.selectors import appeal_visible_to


def _require_may_link(appeal: AppealPage, user: AbstractBaseUser) -> None:
    if not appeal.permissions_for_user(user).can_link_episodes():
        raise PermissionDenied(
            "Only those who may edit the appeal, or the force that owns it, link its episodes."
        )


@transaction.atomic
def appeal_episode_link(
    *, appeal: AppealPage, earlier: AppealPage, user: AbstractBaseUser
) -> Person:
    """Record that ``earlier`` is the same person as ``appeal``."""
    _require_may_link(appeal, user)
    if not appeal_visible_to(appeal=earlier, user=user):
        raise PermissionDenied("You may not see that appeal.")
    if earlier.pk == appeal.pk:
        raise ValidationError("An appeal is the same person as itself already.")
    for pk in sorted((appeal.pk, earlier.pk)):  # one order, so two links never deadlock
        page_hold(pk)
    links = {
        link.appeal_id: link
        for link in PersonEpisode.objects.select_for_update().filter(
            appeal_id__in=(appeal.pk, earlier.pk)
        )
    }
    people = sorted({link.person_id for link in links.values()})
    if len(links) == 2 and len(people) == 1:
        raise ValidationError("These appeals are linked as the same person already.")
    if len(people) == 2:
        # Two people known: they were one all along (the older record stays).
        PersonEpisode.objects.filter(person_id=people[1]).update(person_id=people[0])
        Person.objects.filter(pk=people[1]).delete()
        person = Person.objects.get(pk=people[0])
    else:
        person = Person.objects.get(pk=people[0]) if people else Person.objects.create()
        for page in (appeal, earlier):
            if page.pk not in links:
                PersonEpisode.objects.create(person=person, appeal_id=page.pk, linked_by=user)
    for page, other in ((appeal, earlier), (earlier, appeal)):
        log(
            instance=page,
            action="homeward.episode.linked",
            user=user,
            data={"other_appeal_id": other.pk},
        )
    return person


@transaction.atomic
def appeal_episode_unlink(*, appeal: AppealPage, user: AbstractBaseUser) -> None:
    """Take the appeal out of its person's episodes (a link made by mistake). A person
    left with one episode is no longer anyone's history, and goes."""
    _require_may_link(appeal, user)
    page_hold(appeal.pk)
    link = PersonEpisode.objects.select_for_update().filter(appeal_id=appeal.pk).first()
    if link is None:
        raise ValidationError("This appeal is not linked to any other episode.")
    link.delete()
    remaining = PersonEpisode.objects.filter(person_id=link.person_id)
    if remaining.count() < 2:
        Person.objects.filter(pk=link.person_id).delete()
    log(instance=appeal, action="homeward.episode.unlinked", user=user, data={})
