from django.apps import AppConfig


class SightingsConfig(AppConfig):
    name = "sightings"
    verbose_name = "Sightings"

    def ready(self) -> None:
        from sightings import signal_handlers  # noqa: F401
