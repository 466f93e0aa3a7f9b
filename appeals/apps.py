from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = "Appeals"

    def ready(self) -> None:
        from appeals import permission_policies, signal_handlers  # noqa: F401

        permission_policies.register()
