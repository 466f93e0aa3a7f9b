"""Separation of duties for staff accounts, enforced on the models.

Administrators manage other people's roles, never their own, never another
administrator's or a superuser's, and never make anyone a superuser or an administrator:
only a superuser touches ``is_superuser``, the administrators' role, or the account of an
administrator or a superuser (whoever could reset it could sign in as them). An
administrator is whoever a role lets change people's accounts (``auth.change_user``),
whatever the role is called.
The admin's views and forms ask ``may_*`` below so nobody is offered what they may not
do; the signal handlers refuse the same changes on the models, whatever route saves them
(a view nobody thought of, a bulk action, code run for a request).

The person acting is the signed-in user of the request being served (set by
``ActingUserMiddleware``) or whoever code names with ``acting_as``. With no one signed in
(migrations, management commands, the shell, a password reset link) no person is acting
and nothing here applies: that is how the first superuser is made.
"""

import contextlib
from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.signals import m2m_changed, pre_delete, pre_save

from homeward.models import PoliceOfficer

_acting_request = ContextVar("acting_request", default=None)
_acting_user = ContextVar("acting_user", default=None)


def _change_user_permission():
    return Permission.objects.filter(content_type__app_label="auth", codename="change_user")


def _people_managers():
    """Everyone granted the change of people's accounts, and so of their roles. Asked of the
    grants, not ``has_perm``, which says no for a deactivated account: yet whoever could
    reactivate one and reset its password could sign in as its holder."""
    granted = _change_user_permission()
    return get_user_model()._default_manager.filter(
        Q(groups__permissions__in=granted) | Q(user_permissions__in=granted)
    )


def manages_people(user) -> bool:
    """A superuser or an administrator: whoever controls such an account can set roles."""
    return user.is_superuser or _people_managers().filter(pk=user.pk).exists()


def may_manage_user(actor, target) -> bool:
    """Edit, delete, unlock or reset the second factor of ``target``'s account. An
    administrator's or a superuser's account is a superuser's business only: whoever could
    reset another administrator's password or second factor could sign in as them and
    set their own roles."""
    return actor.is_superuser or not manages_people(target)


def may_change_roles(actor, target) -> bool:
    """Change ``target``'s groups or permissions: never one's own, nor another
    administrator's or a superuser's, unless a superuser."""
    if actor.is_superuser:
        return True
    return target.pk != actor.pk and not manages_people(target)


def may_grant_superuser(actor) -> bool:
    return actor.is_superuser


def users_whose_roles_may_change(actor):
    """The people whose groups and police force ``actor`` may set."""
    users = get_user_model()._default_manager.all()
    if actor.is_superuser:
        return users
    return (
        users.exclude(pk=actor.pk)
        .exclude(is_superuser=True)
        .exclude(pk__in=_people_managers().values("pk"))
    )


def acting_user():
    """The signed-in person on whose behalf code runs now, or None for the system."""
    user = _acting_user.get()
    if user is None and (request := _acting_request.get()) is not None:
        user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user


@contextlib.contextmanager
def acting_as(user):
    """Run code on behalf of ``user``: the rules apply as they would to their request."""
    token = _acting_user.set(user)
    try:
        yield
    finally:
        _acting_user.reset(token)


class ActingUserMiddleware:
    """Makes the request's user the person acting for everything it saves. Reads nothing
    itself: the user (and so the session) is looked at only when a user row is saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _acting_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _acting_request.reset(token)


def _refuse(message: str):
    raise PermissionDenied(message)


def user_save_guard(sender, instance, **kwargs) -> None:
    actor = acting_user()
    if actor is None or actor.is_superuser:
        return
    stored = sender._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    if stored is not None and stored.pk != actor.pk and not may_manage_user(actor, stored):
        _refuse("Only a superuser may change an administrator's or a superuser's account.")
    if instance.is_superuser and not (stored and stored.is_superuser):
        _refuse("Only a superuser may make someone a superuser.")


def user_delete_guard(sender, instance, **kwargs) -> None:
    actor = acting_user()
    if actor is None:
        return
    if instance.pk == actor.pk:
        _refuse("Nobody may delete their own account.")
    if not may_manage_user(actor, instance):
        _refuse("Only a superuser may delete an administrator's or a superuser's account.")


def user_roles_guard(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A user's groups or permissions change (from either side of the relation)."""
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    actor = acting_user()
    if actor is None or actor.is_superuser:
        return
    User = get_user_model()
    if not reverse:
        targets = [instance]
    elif pk_set is not None:
        targets = list(User._default_manager.filter(pk__in=pk_set))
    else:  # clearing a group's members
        targets = list(instance.user_set.all())
    for target in targets:
        if not may_change_roles(actor, target):
            _refuse(
                "Administrators change other people's roles, never their own, another "
                "administrator's or a superuser's."
            )
    if sender is User.user_permissions.through:
        _refuse("Permissions come with roles: only a superuser may give one to a person.")
    if action == "pre_add" and _administrators_among(instance, reverse, pk_set):
        _refuse("Only a superuser may make someone an administrator.")


def _administrators_among(instance, reverse: bool, pk_set) -> bool:
    """Whether the groups being given include one that manages people (the administrators')."""
    groups = Group.objects.filter(permissions__in=_change_user_permission())
    if reverse:
        return groups.filter(pk=instance.pk).exists()
    return groups.filter(pk__in=pk_set or ()).exists()


def police_force_link_guard(sender, instance, **kwargs) -> None:
    """An officer's link to a force opens that force's cases and sightings: it is a role,
    set only for other people, and for superusers only by a superuser."""
    actor = acting_user()
    if actor is None or actor.is_superuser:
        return
    stored = sender._default_manager.filter(pk=instance.pk).first() if instance.pk else None
    for link in (stored, instance):
        if link is not None and not may_change_roles(actor, link.user):
            _refuse("Administrators link other people to a police force, never themselves.")


def group_permissions_guard(sender, instance, action, **kwargs) -> None:
    """What a role may do is code (``homeward.roles``) or a superuser's decision."""
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    actor = acting_user()
    if actor is not None and not actor.is_superuser:
        _refuse("Only a superuser may change what a role may do.")


def register() -> None:
    User = get_user_model()
    pre_save.connect(police_force_link_guard, sender=PoliceOfficer, dispatch_uid="accounts_po")
    pre_delete.connect(police_force_link_guard, sender=PoliceOfficer, dispatch_uid="accounts_po")
    pre_save.connect(user_save_guard, sender=User, dispatch_uid="accounts_user_save")
    pre_delete.connect(user_delete_guard, sender=User, dispatch_uid="accounts_user_delete")
    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(user_roles_guard, sender=through, dispatch_uid=f"accounts_{through}")
    m2m_changed.connect(
        group_permissions_guard,
        sender=Group.permissions.through,
        dispatch_uid="accounts_group_permissions",
    )
