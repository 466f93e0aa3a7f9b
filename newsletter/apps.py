from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = "Heroes"

    def ready(self) -> None:
        from newsletter import publicity_record_section  # noqa: F401 (registers its hook)
