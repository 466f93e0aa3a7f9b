"""Who may do what with Heroes campaigns in the admin.

A campaign is made by the schedule or by publishing, never in the admin, and its email is
fixed when it is made: nobody adds, edits or deletes one there. Its figures are read with
``newsletter.view_campaign``; what it has not yet sent is cancelled with
``newsletter.change_campaign``. Campaigns about an appeal go only to those who may see that
appeal (a police officer, their own force's).
"""

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from appeals.selectors import appeals_visible_to

# The admin's actions on a campaign, and the model permission each needs.
ACTIONS = {"view": "view", "cancel": "change"}


class CampaignPermissionPolicy(ModelPermissionPolicy):
    def _codenames(self, actions) -> list[str]:
        return [ACTIONS[action] for action in actions if action in ACTIONS]

    def user_has_permission(self, user, action):
        return action in ACTIONS and user.has_perm(self._get_permission_name(ACTIONS[action]))

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return self._get_users_with_any_permission_codenames(
            self._get_permission_codenames(self._codenames(actions))
        )

    def instances_user_has_any_permission_for(self, user, actions):
        campaigns = self.model._default_manager.all()
        if not self.user_has_any_permission(user, actions):
            return campaigns.none()
        return campaigns.filter(Q(appeal=None) | Q(appeal__in=appeals_visible_to(user)))

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_any_permission_for_instance(user, [action], instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        permitted = self.instances_user_has_any_permission_for(user, actions)
        return permitted.filter(pk=instance.pk).exists()
