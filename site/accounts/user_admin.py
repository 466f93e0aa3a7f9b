"""Wagtail's user admin with the separation of duties (see ``rules``): its permission
policy, forms that offer only what the person may change, and the bulk actions that
change roles or the active state (Wagtail's delete action already spares superusers)."""

from django.core.exceptions import PermissionDenied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users
from wagtail.users.views.bulk_actions import (
    AssignRoleBulkAction,
    SetActiveStateBulkAction,
)

from homeward.accounts.rules import (
    may_change_roles,
    may_grant_superuser,
    may_manage_user,
    users_whose_roles_may_change,
)


class UserPermissionPolicy(ModelPermissionPolicy):
    """Holding auth.change_user (or delete_user) covers other people, never superusers."""

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action in {"change", "delete"}:
            return may_manage_user(user, instance)
        return True

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if user.is_superuser or not set(actions) & {"change", "delete"}:
            return instances
        return instances.filter(is_superuser=False)


class ActorFormMixin:
    """Removes the fields the person acting may not change on this account."""

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_grant_superuser(actor):
            self.fields.pop("is_superuser", None)
        if self.instance.pk and not may_change_roles(actor, self.instance):
            self.fields.pop("groups", None)


class HomewardUserCreationForm(ActorFormMixin, UserCreationForm):
    pass


class HomewardUserEditForm(ActorFormMixin, UserEditForm):
    pass


class ActorFormViewMixin:
    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "actor": self.request.user}


class CreateView(ActorFormViewMixin, users.CreateView):
    pass


class EditView(ActorFormViewMixin, users.EditView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if request.user.is_authenticated and not may_manage_user(request.user, self.object):
            raise PermissionDenied


class IndexView(users.IndexView):
    def get_edit_url(self, instance):
        if may_manage_user(self.request.user, instance):
            return super().get_edit_url(instance)
        return None


class UserViewSet(users.UserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView

    def get_form_class(self, for_update=False):
        return HomewardUserEditForm if for_update else HomewardUserCreationForm


class AssignRoleToOthersBulkAction(AssignRoleBulkAction):
    def check_perm(self, obj):
        return super().check_perm(obj) and may_change_roles(self.request.user, obj)


class SetActiveStateOfOthersBulkAction(SetActiveStateBulkAction):
    def check_perm(self, obj):
        return super().check_perm(obj) and may_manage_user(self.request.user, obj)


# Registered after Wagtail's own (a higher hook order), so these replace them.
BULK_ACTIONS = (
    AssignRoleToOthersBulkAction,
    SetActiveStateOfOthersBulkAction,
)


class StaffLinkForm(WagtailAdminModelForm):
    """Linking someone to a police force or a local authority: offers only the people whose
    roles the person acting may set (never themselves)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "user" in self.fields:
            self.fields["user"].queryset = users_whose_roles_may_change(self.for_user)
