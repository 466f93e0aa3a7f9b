from django.apps import AppConfig


class NewsletterConfig(AppConfig):
    name = "newsletter"
    verbose_name = "Heroes"

    def ready(self):
        # Load order: the hooks need the models of both apps, ready only now.
        from newsletter import appeal_lifecycle  # noqa: F401
