from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = "Heroes"

    def ready(self) -> None:
        # Load order: these register Wagtail hooks that need both apps' models.
        from newsletter import (  # noqa: F401
            appeal_lifecycle,
            publicity_record_section,
            signal_handlers,
        )
