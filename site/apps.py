from django.apps import AppConfig


class HomewardConfig(AppConfig):
    name = "homeward"
    verbose_name = "Homeward"

    def ready(self) -> None:
        from homeward import checks, image_collections, signal_handlers  # noqa: F401

        signal_handlers.register()
        image_collections.register()
