"""Separation of duties: administrators manage other people's roles, never their own, never
superusers', and never make anyone a superuser. Only a superuser touches a superuser.

Checked as a matrix (actor by target by action), through the admin's views and at the
model, where the rule lives: code that saves users while a person is acting obeys it too.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from homeward import roles
from homeward.accounts.rules import acting_as
from homeward.models import PoliceForce, PoliceOfficer
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()

ADMINISTRATOR, SUPERUSER = "administrator", "superuser"


def actor_create(kind: str):
    if kind == SUPERUSER:
        return factories.user_create(is_superuser=True, is_staff=True)
    return factories.user_create(role=roles.ADMINISTRATORS)


def target_for(kind: str, actor):
    if kind == "self":
        return actor
    if kind == "superuser":
        return factories.user_create(is_superuser=True, is_staff=True)
    if kind == "other administrator":
        return factories.user_create(role=roles.ADMINISTRATORS)
    return factories.user_create(role=roles.EDITORS)


def edit_form_data(user, **changes) -> dict:
    data = {
        "username": user.username,
        "email": user.email or f"{user.username}@homeward.invalid",
        "first_name": user.first_name or "Testfirst",
        "last_name": user.last_name or "Testlast",
        "is_active": "on",
        "groups": [str(pk) for pk in user.groups.values_list("pk", flat=True)],
    }
    if user.is_superuser:
        data["is_superuser"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def group(name: str) -> str:
    return str(Group.objects.get(name=name).pk)


# --- the admin's views --------------------------------------------------------------


# (actor, target, action) -> allowed
MATRIX = {
    (ADMINISTRATOR, "self", "change own groups"): False,
    (ADMINISTRATOR, "other staff", "change other's groups"): True,
    (ADMINISTRATOR, "superuser", "edit superuser"): False,
    (ADMINISTRATOR, "superuser", "delete superuser"): False,
    (ADMINISTRATOR, "other staff", "make superuser"): False,
    (ADMINISTRATOR, "self", "make superuser"): False,
    (SUPERUSER, "self", "change own groups"): True,
    (SUPERUSER, "other staff", "change other's groups"): True,
    (SUPERUSER, "superuser", "edit superuser"): True,
    (SUPERUSER, "superuser", "delete superuser"): True,
    (SUPERUSER, "other staff", "make superuser"): True,
}


def act_in_admin(client, actor, target, action):
    """Do ``action`` through the user admin; return the target as stored afterwards."""
    client.force_login(actor)
    edit_url = reverse("wagtailusers_users:edit", args=[target.pk])
    if action in {"change own groups", "change other's groups"}:
        client.post(edit_url, edit_form_data(target, groups=[group(roles.CASEWORKERS)]))
    elif action == "edit superuser":
        client.post(edit_url, edit_form_data(target, first_name="Renamed"))
    elif action == "make superuser":
        client.post(edit_url, edit_form_data(target, is_superuser="on"))
    elif action == "delete superuser":
        client.post(reverse("wagtailusers_users:delete", args=[target.pk]))
    return User.objects.filter(pk=target.pk).first()


def happened(action, before_groups, after) -> bool:
    if action in {"change own groups", "change other's groups"}:
        return set(after.groups.values_list("name", flat=True)) == {roles.CASEWORKERS}
    if action == "edit superuser":
        return after.first_name == "Renamed"
    if action == "make superuser":
        return after.is_superuser
    if action == "delete superuser":
        return after is None
    raise AssertionError(action)


@pytest.mark.parametrize(("actor_kind", "target_kind", "action"), list(MATRIX))
def test_user_admin_matrix(client, actor_kind, target_kind, action):
    actor = actor_create(actor_kind)
    target = target_for(target_kind, actor)
    before = set(target.groups.values_list("name", flat=True))
    after = act_in_admin(client, actor, target, action)
    assert happened(action, before, after) == MATRIX[(actor_kind, target_kind, action)]


@pytest.mark.parametrize("actor_kind", [ADMINISTRATOR, SUPERUSER])
def test_creating_a_superuser_in_the_admin(client, actor_kind):
    client.force_login(actor_create(actor_kind))
    client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "newcomer",
            "email": "newcomer@homeward.invalid",
            "first_name": "Newfirst",
            "last_name": "Newlast",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
            "is_superuser": "on",
            "groups": [group(roles.EDITORS)],
        },
    )
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.is_superuser == (actor_kind == SUPERUSER)


def test_administrators_are_not_offered_the_superuser_box_nor_their_own_roles(client):
    administrator = actor_create(ADMINISTRATOR)
    client.force_login(administrator)
    creating = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="is_superuser"' not in creating
    own = client.get(reverse("wagtailusers_users:edit", args=[administrator.pk]))
    assert 'name="groups"' not in own.content.decode()
    other = factories.user_create(role=roles.EDITORS)
    theirs = client.get(reverse("wagtailusers_users:edit", args=[other.pk])).content.decode()
    assert 'name="groups"' in theirs
    assert 'name="is_superuser"' not in theirs


def test_superusers_are_shown_to_administrators_without_edit_or_delete(client):
    superuser = actor_create(SUPERUSER)
    client.force_login(actor_create(ADMINISTRATOR))
    edit_url = reverse("wagtailusers_users:edit", args=[superuser.pk])
    assert client.get(edit_url).status_code in {302, 403}
    listing = client.get(reverse("wagtailusers_users:index")).content.decode()
    assert edit_url not in listing


@pytest.mark.parametrize("target_kind", ["self", "superuser", "other staff"])
def test_bulk_role_assignment(client, target_kind):
    administrator = actor_create(ADMINISTRATOR)
    target = target_for(target_kind, administrator)
    client.force_login(administrator)
    url = reverse(
        "wagtail_bulk_action",
        args=[User._meta.app_label, User._meta.model_name, "assign_role"],
    )
    client.post(f"{url}?id={target.pk}", {"role": group(roles.CASEWORKERS)})
    assigned = target.groups.filter(name=roles.CASEWORKERS).exists()
    assert assigned == (target_kind == "other staff")


def test_bulk_deactivation_never_reaches_a_superuser(client):
    superuser = actor_create(SUPERUSER)
    client.force_login(actor_create(ADMINISTRATOR))
    url = reverse(
        "wagtail_bulk_action",
        args=[User._meta.app_label, User._meta.model_name, "set_active_state"],
    )
    client.post(f"{url}?id={superuser.pk}", {"mark_as_active": "False"})
    superuser.refresh_from_db()
    assert superuser.is_active


def test_administrators_cannot_edit_roles_themselves(client):
    """Roles' permissions are code (roles_sync); administrators cannot change a group."""
    administrator = actor_create(ADMINISTRATOR)
    assert not administrator.has_perm("auth.change_group")
    assert not administrator.has_perm("auth.add_group")
    client.force_login(administrator)
    own_group = Group.objects.get(name=roles.ADMINISTRATORS)
    before = set(own_group.permissions.values_list("pk", flat=True))
    extra = Permission.objects.get(codename="change_group")
    response = client.post(
        reverse("wagtailusers_groups:edit", args=[own_group.pk]),
        {"name": roles.ADMINISTRATORS, "permissions": [*before, extra.pk]},
    )
    assert response.status_code in {302, 403}
    assert set(own_group.permissions.values_list("pk", flat=True)) == before


# --- the model: code that acts for a person obeys the same rule ------------------------


MODEL_MATRIX = {
    (ADMINISTRATOR, "self", "change own groups"): False,
    (ADMINISTRATOR, "other staff", "change other's groups"): True,
    (ADMINISTRATOR, "superuser", "edit superuser"): False,
    (ADMINISTRATOR, "superuser", "delete superuser"): False,
    (ADMINISTRATOR, "other staff", "make superuser"): False,
    (ADMINISTRATOR, None, "create superuser"): False,
    # Whoever could reset another administrator's password could sign in as them.
    (ADMINISTRATOR, "other administrator", "change password"): False,
    (ADMINISTRATOR, "other administrator", "change other's groups"): False,
    (ADMINISTRATOR, "other staff", "make administrator"): False,
    (ADMINISTRATOR, "other staff", "give a permission"): False,
    (ADMINISTRATOR, "self", "change password"): True,
    (ADMINISTRATOR, "other staff", "change password"): True,
    (SUPERUSER, "other administrator", "change password"): True,
    (SUPERUSER, "other staff", "make administrator"): True,
    (SUPERUSER, "self", "change own groups"): True,
    (SUPERUSER, "superuser", "edit superuser"): True,
    (SUPERUSER, "superuser", "delete superuser"): True,
    (SUPERUSER, "other staff", "make superuser"): True,
    (SUPERUSER, None, "create superuser"): True,
}


def act_in_code(target, action):
    caseworkers = Group.objects.get(name=roles.CASEWORKERS)
    if action in {"change own groups", "change other's groups"}:
        target.groups.add(caseworkers)
    elif action == "edit superuser":
        target.first_name = "Renamed"
        target.save()
    elif action == "make superuser":
        target.is_superuser = True
        target.save()
    elif action == "delete superuser":
        target.delete()
    elif action == "create superuser":
        User.objects.create_superuser("made-in-code", "made@homeward.invalid", "x" * 20)
    elif action == "change password":
        target.set_password("a-new-password-of-someone-else")
        target.save()
    elif action == "make administrator":
        target.groups.add(Group.objects.get(name=roles.ADMINISTRATORS))
    elif action == "give a permission":
        target.user_permissions.add(Permission.objects.get(codename="change_user"))


@pytest.mark.parametrize(("actor_kind", "target_kind", "action"), list(MODEL_MATRIX))
def test_model_matrix(actor_kind, target_kind, action):
    actor = actor_create(actor_kind)
    target = target_for(target_kind, actor) if target_kind else None
    allowed = MODEL_MATRIX[(actor_kind, target_kind, action)]
    with acting_as(actor):
        if allowed:
            act_in_code(target, action)
        else:
            with pytest.raises(PermissionDenied), transaction.atomic():
                act_in_code(target, action)


def test_model_guard_covers_the_groups_side_of_the_relation():
    administrator = actor_create(ADMINISTRATOR)
    superuser = actor_create(SUPERUSER)
    caseworkers = Group.objects.get(name=roles.CASEWORKERS)
    change_group = Permission.objects.get(codename="change_group")
    refused = [
        *(lambda t=target: caseworkers.user_set.add(t) for target in (administrator, superuser)),
        *(lambda t=target: caseworkers.user_set.remove(t) for target in (administrator, superuser)),
        lambda: administrator.user_permissions.add(change_group),
        lambda: Group.objects.get(name=roles.ADMINISTRATORS).permissions.add(change_group),
    ]
    with acting_as(administrator):
        for change in refused:
            with pytest.raises(PermissionDenied), transaction.atomic():
                change()
    assert not caseworkers.user_set.filter(pk__in=[administrator.pk, superuser.pk]).exists()


def test_any_role_that_changes_accounts_is_an_administrators_role():
    """What makes someone an administrator here is the permission, not the group's name: a
    role a superuser makes for managing people is kept from administrators in the same way."""
    people_team = Group.objects.create(name="People team")
    people_team.permissions.add(Permission.objects.get(codename="change_user"))
    member = factories.user_create()
    member.groups.add(people_team)
    caseworkers = Group.objects.get(name=roles.CASEWORKERS)
    refused = [
        lambda: member.groups.add(caseworkers),
        lambda: factories.user_create(role=roles.EDITORS).groups.add(people_team),
        lambda: people_team.user_set.add(factories.user_create()),
    ]
    with acting_as(actor_create(ADMINISTRATOR)):
        for change in refused:
            with pytest.raises(PermissionDenied), transaction.atomic():
                change()
    assert set(member.groups.all()) == {people_team}
    assert not people_team.user_set.exclude(pk=member.pk).exists()


def test_a_deactivated_administrators_account_stays_a_superusers_business():
    """Whoever reactivated it and reset its password could sign in as them."""
    dormant = factories.user_create(role=roles.ADMINISTRATORS, is_active=False)
    with acting_as(actor_create(ADMINISTRATOR)), pytest.raises(PermissionDenied):
        dormant.is_active = True
        dormant.save()


def test_no_person_acting_is_the_system_itself():
    """Migrations, management commands and the shell (no one signed in) are not limited:
    that is how the first superuser is made."""
    User.objects.create_superuser("first-superuser", "first@homeward.invalid", "x" * 20)
    roles.roles_sync()


def test_signing_in_as_a_superuser_still_records_the_sign_in(client):
    superuser = actor_create(SUPERUSER)
    assert client.login(username=superuser.username, password="correct horse battery staple")
    superuser.refresh_from_db()
    assert superuser.last_login is not None


# --- a force is a role too: an officer's link to a force opens that force's sightings ----


@pytest.mark.parametrize(
    ("actor_kind", "target_kind", "allowed"),
    [
        (ADMINISTRATOR, "self", False),
        (ADMINISTRATOR, "superuser", False),
        (ADMINISTRATOR, "other staff", True),
        (SUPERUSER, "self", True),
    ],
)
def test_linking_to_a_police_force(actor_kind, target_kind, allowed):
    actor = actor_create(actor_kind)
    target = target_for(target_kind, actor)
    force = PoliceForce.objects.get(slug="north-yorkshire-police")
    with acting_as(actor):
        if allowed:
            PoliceOfficer.objects.create(user=target, force=force)
        else:
            with pytest.raises(PermissionDenied), transaction.atomic():
                PoliceOfficer.objects.create(user=target, force=force)
    assert PoliceOfficer.objects.filter(user=target).exists() == allowed


def test_an_administrator_cannot_move_or_unlink_their_own_force_link():
    administrator = actor_create(ADMINISTRATOR)
    link = PoliceOfficer.objects.create(
        user=administrator, force=PoliceForce.objects.get(slug="north-yorkshire-police")
    )
    with acting_as(administrator):
        link.force = PoliceForce.objects.get(slug="kent-police")
        with pytest.raises(PermissionDenied), transaction.atomic():
            link.save()
        with pytest.raises(PermissionDenied), transaction.atomic():
            link.delete()


def test_an_administrator_cannot_link_themselves_to_a_force_in_the_admin(client):
    administrator = actor_create(ADMINISTRATOR)
    client.force_login(administrator)
    force = PoliceForce.objects.get(slug="north-yorkshire-police")
    client.post(
        reverse("wagtailsnippets_homeward_policeofficer:add"),
        {"user": administrator.pk, "force": force.pk},
    )
    assert not PoliceOfficer.objects.filter(user=administrator).exists()
    form = client.get(reverse("wagtailsnippets_homeward_policeofficer:add")).content.decode()
    assert f'value="{administrator.pk}"' not in form
