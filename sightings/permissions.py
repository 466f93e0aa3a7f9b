"""Who may do what with a sighting: the one place it is decided.

Roles grant permissions; a force is data. A police officer's role lets them see
(``sightings.view_sighting``) and work on (``sightings.change_sighting``) sightings, of
their own force, from their ``police_officer`` link. Someone whose role lets them see
sightings and work on every force (``homeward.see_every_force``) sees every force's: the
charity's caseworkers. Working a sighting (claiming, THRIVE, passing on, closing, passing
to another force) stays with the owning force's officers. A sighting passed to another
force (a ``SightingHandOff``) is also SEEN by that force's officers: they read it and may
add notes, and nothing else of the case (SEE_CASE) is theirs: not its THRIVE judgement,
translating, printing or exporting it, nor its place among their force's waiting work.
Nobody adds or deletes sightings here: the public sends them, retention purges them.
"""

from django.db.models import Q, QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

from homeward.capabilities import SEE_EVERY_FORCE
from homeward.models import PoliceOfficer
from sightings.models import Sighting, SightingHandOff

SEE = "view"
# Seeing it as part of its case: its force's officers and the caseworkers, not a force it
# was passed to.
SEE_CASE = "view_case"
WORK = "change"
# What each action needs the person's role to grant; where, is their force (or every force).
PERMISSIONS = {
    SEE: "sightings.view_sighting",
    SEE_CASE: "sightings.view_sighting",
    WORK: "sightings.change_sighting",
}
# What caseworkers may do on every force's sightings.
EVERY_FORCE_ACTIONS = {SEE, SEE_CASE}


def _granted(user, action: str) -> bool:
    # A superuser runs the site but holds no sightings role: reporters' details are for
    # the owning force and the caseworkers only, so being a superuser grants nothing here.
    return (
        user.is_active
        and not user.is_superuser
        and action in PERMISSIONS
        and user.has_perm(PERMISSIONS[action])
    )


def sees_every_force(user) -> bool:
    """Whether someone sees every force's sightings (see_every_force alone only widens
    what their role lets them look at: an editor works on every force's appeals, and
    sees no sighting)."""
    return _granted(user, SEE) and user.has_perm(SEE_EVERY_FORCE)


def acting_force_id(user, action: str) -> int | None:
    """The one force whose sightings the person's role lets them act on, or None."""
    return PoliceOfficer.force_id_of(user) if _granted(user, action) else None


class SightingPermissionPolicy(BasePermissionPolicy):
    """Sightings scoped by force: ``view`` to see one (its force, or a force it was passed
    to), ``view_case`` to see it as part of its case, ``change`` to work on one (working
    stays with the owning force, whoever else may look)."""

    def user_has_permission(self, user, action):
        if action in EVERY_FORCE_ACTIONS and sees_every_force(user):
            return True
        return acting_force_id(user, action) is not None

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action in EVERY_FORCE_ACTIONS and sees_every_force(user):
            return True
        force_id = acting_force_id(user, action)
        if force_id is None:
            return False
        if force_id == instance.police_force_id:
            return True
        return (
            action == SEE
            and SightingHandOff.objects.filter(
                sighting_id=instance.pk, to_force_id=force_id
            ).exists()
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet[Sighting]:
        if EVERY_FORCE_ACTIONS.intersection(actions) and sees_every_force(user):
            return Sighting.objects.all()
        forces = {acting_force_id(user, action) for action in actions} - {None}
        visible = Q(police_force_id__in=forces)
        receiving = acting_force_id(user, SEE) if SEE in actions else None
        if receiving is not None:
            # Their ids, read first (an index-only scan), and none added if there are none:
            # OR-ed with a subquery, every officer's queue count read every force's open
            # sightings (1 ms became 80 ms at a million; docs/PERFORMANCE.md).
            passed = SightingHandOff.objects.filter(to_force_id=receiving)
            if passed_ids := list(passed.values_list("sighting_id", flat=True)):
                visible |= Q(pk__in=passed_ids)
        return Sighting.objects.filter(visible)


sighting_permission_policy = SightingPermissionPolicy(Sighting)
