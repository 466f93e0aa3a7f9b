"""Wagtail's permission policies, less the appeals a person may not see.

Every admin listing, search, report, dashboard panel and the admin API asks these
policies which pages and images someone may see or act on; the page permission tester
answers for one appeal (see AppealPermissionTester). So the rule of who sees which appeal
(appeals.selectors.appeals_visible_to) is applied once here, not view by view.
"""

from wagtail.images import get_image_model
from wagtail.models import AbstractPage
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy

from appeals.models import AppealPage, AppealTakedown, ReturnHomeInterview
from appeals.selectors import (
    appeal_visible_to,
    image_visible_to,
    images_visible_to,
    pages_visible_to,
    return_home_interviews_visible_to,
    takedowns_visible_to,
)


class AppealPagePermissionPolicy(PagePermissionPolicy):
    def instances_user_has_any_permission_for(self, user, actions):
        pages = super().instances_user_has_any_permission_for(user, actions)
        return pages_visible_to(pages, user=user)

    def explorable_instances(self, user):
        return pages_visible_to(super().explorable_instances(user), user=user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        specific = instance.specific_deferred
        if isinstance(specific, AppealPage) and not appeal_visible_to(appeal=specific, user=user):
            return False
        return super().user_has_any_permission_for_instance(user, actions, instance)


class AppealPhotoPermissionPolicy(CollectionOwnershipPermissionPolicy):
    """Collection permissions say who may choose or change images; only among the photos
    of the appeals they may see."""

    def instances_user_has_any_permission_for(self, user, actions):
        images = super().instances_user_has_any_permission_for(user, actions)
        return images_visible_to(images, user=user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return image_visible_to(image=instance, user=user) and (
            super().user_has_any_permission_for_instance(user, actions, instance)
        )


class ForceRecordPermissionPolicy(ModelPermissionPolicy):
    """A record of a case (a takedown, a return home interview): its model permissions open
    it, and only the records of the forces whose appeals one may see (every force's, or an
    officer's own force's), as ``visible_to(user)`` gives them."""

    def __init__(self, model, *, visible_to):
        super().__init__(model)
        self.visible_to = visible_to

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return self.visible_to(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and self.visible_to(user).filter(pk=instance.pk).exists()
        )


def register() -> None:
    register_permission_policy(AbstractPage, AppealPagePermissionPolicy())
    # For the exact class: wagtail.images registers its own policy after this app is ready.
    register_permission_policy(
        get_image_model(),
        AppealPhotoPermissionPolicy(
            get_image_model(),
            auth_model="wagtailimages.Image",
            owner_field_name="uploaded_by_user",
        ),
        exact_class=True,
    )
    # The takedowns report: Publishers, Administrators, and Police officers (their force's).
    register_permission_policy(
        AppealTakedown, ForceRecordPermissionPolicy(AppealTakedown, visible_to=takedowns_visible_to)
    )
    # Return home interviews: Caseworkers.
    register_permission_policy(
        ReturnHomeInterview,
        ForceRecordPermissionPolicy(
            ReturnHomeInterview, visible_to=return_home_interviews_visible_to
        ),
    )
