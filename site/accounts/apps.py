from wagtail.users.apps import WagtailUsersAppConfig


class HomewardUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with Homeward's user admin and its separation of duties."""

    user_viewset = "homeward.accounts.user_admin.UserViewSet"

    def ready(self):
        super().ready()
        from django.contrib.auth import get_user_model
        from wagtail.permissions import register_permission_policy

        from homeward.accounts import rules
        from homeward.accounts.user_admin import UserPermissionPolicy

        User = get_user_model()
        register_permission_policy(User, UserPermissionPolicy(User), exact_class=True)
        rules.register()
