from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = "Appeals"

    def ready(self) -> None:
        # Load order: these connect to models, which are ready only now.
        from appeals import checks, image_rules, permission_policies, signal_handlers  # noqa: F401

        permission_policies.register()
