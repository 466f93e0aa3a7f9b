"""Who may do what with a sighting: the one place it is decided.

Roles grant permissions; a force is data. A police officer sees their own force's
sightings, from their ``police_officer`` link. Someone whose role lets them look at
sightings (``sightings.view_sighting``) and work on every force
(``homeward.see_every_force``) sees every force's: the charity's caseworkers. Working
a sighting (claiming, THRIVE, passing on, closing) stays with the owning force's
officers. Nobody adds or deletes sightings here: the public sends them, retention
purges them.
"""

from django.db.models import QuerySet
from wagtail.permission_policies.base import BasePermissionPolicy

from homeward.capabilities import SEE_EVERY_FORCE
from sightings.models import Sighting

LOOK_AT_SIGHTINGS = "sightings.view_sighting"
SEE = "view"
WORK = "change"


def sees_every_force(user) -> bool:
    """Whether someone sees every force's sightings (see_every_force alone only widens
    what their role lets them look at: an editor works on every force's appeals, and
    sees no sighting)."""
    # A superuser runs the site but holds no sightings role: reporters' details are for
    # the owning force and the caseworkers only, so being a superuser grants nothing here.
    return (
        user.is_active
        and not user.is_superuser
        and user.has_perm(LOOK_AT_SIGHTINGS)
        and user.has_perm(SEE_EVERY_FORCE)
    )


def officer_force_id(user) -> int | None:
    """The force of a signed-in police officer, or None."""
    if not user.is_authenticated or not user.is_active:
        return None
    officer = getattr(user, "police_officer", None)
    return officer.force_id if officer is not None else None


class SightingPermissionPolicy(BasePermissionPolicy):
    """Sightings scoped by force: ``view`` to see one, ``change`` to work on one."""

    def user_has_permission(self, user, action):
        if action == SEE:
            return sees_every_force(user) or officer_force_id(user) is not None
        if action == WORK:
            return officer_force_id(user) is not None
        return False

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == SEE and sees_every_force(user):
            return True
        if action in (SEE, WORK):
            force_id = officer_force_id(user)
            return force_id is not None and force_id == instance.police_force_id
        return False

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )

    def instances_user_has_any_permission_for(self, user, actions) -> QuerySet[Sighting]:
        if SEE in actions and sees_every_force(user):
            return Sighting.objects.all()
        force_id = officer_force_id(user)
        if force_id is None or not {SEE, WORK} & set(actions):
            return Sighting.objects.none()
        return Sighting.objects.filter(police_force_id=force_id)


sighting_permission_policy = SightingPermissionPolicy(Sighting)
