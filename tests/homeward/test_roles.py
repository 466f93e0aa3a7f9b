"""Each role holds the least it needs: checked role by role, URL by URL."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from homeward import roles
from tests import factories

pytestmark = pytest.mark.django_db

ED, SG, PB, CW, PO, LA, AD = (
    roles.EDITORS,
    roles.SAFEGUARDING_LEADS,
    roles.PUBLISHERS,
    roles.CASEWORKERS,
    roles.POLICE_OFFICERS,
    roles.LOCAL_AUTHORITY_MANAGERS,
    roles.ADMINISTRATORS,
)
ALL_ROLES = [ED, SG, PB, CW, PO, LA, AD]
NO_ROLE = "(signed in, no role)"
ANONYMOUS = "(not signed in)"


def test_the_migrations_create_every_role_and_retire_wagtails_broad_groups():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ROLES) <= names
    assert "Moderators" not in names


def test_roles_sync_is_idempotent():
    before = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    roles.roles_sync()
    roles.roles_sync()
    after = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert before == after


# What each role may do to an appeal (the page permission tester answers). No one may
# publish an appeal directly: it goes live through the publicity safety check's workflow;
# nor unpublish or delete a live one: it leaves by its takedown, when it is closed.
PAGE_ACTIONS = {
    "edit": {ED, PB, AD},
    "publish": set(),
    "unpublish": set(),
    "delete": set(),
}


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("action", PAGE_ACTIONS)
def test_page_permissions(directory, role, action):
    appeal = factories.appeal_create()
    user = factories.user_create(role=role)
    tester = appeal.permissions_for_user(user)
    allowed = {
        "edit": tester.can_edit,
        "publish": tester.can_publish,
        "unpublish": tester.can_unpublish,
        "delete": tester.can_delete,
    }[action]()
    assert allowed == (role in PAGE_ACTIONS[action])


@pytest.mark.parametrize("role", ALL_ROLES)
def test_drafts_that_never_went_live_can_be_deleted_by_their_authors(directory, role):
    draft = factories.appeal_create(publish=False)
    user = factories.user_create(role=role)
    assert draft.permissions_for_user(user).can_delete() == (role in {ED, PB, AD})


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_authors_can_start_an_appeal(directory, role):
    user = factories.user_create(role=role)
    assert directory.permissions_for_user(user).can_add_subpage() == (role in {ED, PB, AD})


# Admin URLs and who gets in. Everyone else is turned away (a redirect, never the page).
ADMIN_URLS = {
    "dashboard": (lambda appeal: reverse("wagtailadmin_home"), set(ALL_ROLES)),
    "edit appeal": (
        lambda appeal: reverse("wagtailadmin_pages:edit", args=[appeal.pk]),
        {ED, PB, AD},
    ),
    "add appeal": (
        lambda appeal: reverse(
            "wagtailadmin_pages:add", args=["appeals", "appealpage", appeal.get_parent().pk]
        ),
        {ED, PB, AD},
    ),
    "images": (lambda appeal: reverse("wagtailimages:index"), {ED, PB, AD}),
    "users": (lambda appeal: reverse("wagtailusers_users:index"), {AD}),
    "groups": (lambda appeal: reverse("wagtailusers_groups:index"), set()),
    "police forces": (lambda appeal: reverse("wagtailsnippets_homeward_policeforce:list"), {AD}),
    "police officers": (
        lambda appeal: reverse("wagtailsnippets_homeward_policeofficer:list"),
        {AD},
    ),
    "workflows": (lambda appeal: reverse("wagtailadmin_workflows:index"), set()),
    "local authorities": (
        lambda appeal: reverse("wagtailsnippets_homeward_localauthority:list"),
        {AD},
    ),
    "designated managers": (
        lambda appeal: reverse("wagtailsnippets_homeward_localauthoritymanager:list"),
        {AD},
    ),
    # A designated manager needs their council link too (tests/appeals/test_trends.py).
    "trends": (lambda appeal: reverse("appeals_trends"), {SG, CW, AD}),
    "trends CSV": (lambda appeal: reverse("appeals_trends_csv"), {SG, CW, AD}),
    "our children": (lambda appeal: reverse("appeals_local_authority_episodes"), set()),
}


@pytest.mark.parametrize("who", [*ALL_ROLES, NO_ROLE, ANONYMOUS])
@pytest.mark.parametrize("name", ADMIN_URLS)
def test_admin_url_matrix(client, directory, who, name):
    appeal = factories.appeal_create()
    url_for, allowed = ADMIN_URLS[name]
    if who != ANONYMOUS:
        client.force_login(factories.user_create(role=None if who == NO_ROLE else who))
    response = client.get(url_for(appeal))
    if who in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response.url != url_for(appeal)


def test_police_officers_belong_to_one_force(directory):
    officer = factories.user_create(role=PO, force_slug="kent-police")
    assert officer.police_officer.force.name == "Kent Police"


# The permissions the code asks for instead of group names, and who holds them. Police
# officers hold no "every force" one: they act on their own force's records only.
CAPABILITY_HOLDERS = {
    "homeward.see_every_force": {ED, SG, PB, CW, AD},
    "homeward.read_publicity_checks": {SG, PB, CW, AD},
    "appeals.view_appealtakedown": {PB, AD, PO},
    # What an officer does on their own force's cases (the force is their officer link).
    "appeals.add_policeauthorisation": {PO},
    "appeals.add_appealtakedown": {PO},
    "appeals.add_riskassessment": {PO},
    "sightings.view_sighting": {CW, PO},
    "sightings.change_sighting": {PO},
    # A child found is owed a return home interview: caseworkers and the child's council
    # (its designated manager; the council is their local authority link) see it offered.
    "appeals.view_returnhomeinterview": {CW, LA},
    "appeals.change_returnhomeinterview": {CW, LA},
    "homeward.see_local_authority_episodes": {LA},
    "appeals.view_episodestatistic": {SG, CW, LA, AD},
}


@pytest.mark.parametrize("who", [*ALL_ROLES, NO_ROLE])
@pytest.mark.parametrize("permission", CAPABILITY_HOLDERS)
def test_capability_matrix(who, permission):
    user = factories.user_create(role=None if who == NO_ROLE else who)
    assert user.has_perm(permission) == (who in CAPABILITY_HOLDERS[permission])


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_group_holds_exactly_its_roles_permissions(role):
    held = {
        f"{app_label}.{codename}"
        for app_label, codename in Group.objects.get(name=role).permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert held == set(roles.ROLES[role].permissions)


def test_a_deactivated_account_loses_its_roles_permissions():
    user = factories.user_create(role=AD, is_active=False)
    assert not any(user.has_perm(permission) for permission in CAPABILITY_HOLDERS)
