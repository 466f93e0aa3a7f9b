from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = "Heroes"

    def ready(self) -> None:
        from newsletter import signal_handlers  # noqa: F401
