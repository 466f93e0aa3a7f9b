"""An appeal's short public address (/a/<code>): for posters, QR codes and typing.

The code is random and stored, not derived from the page id or a secret: a printed poster
outlives any key rotation, and the codes cannot be walked to find appeals. The row stays
for as long as the appeal's does (after the retention purge too), so an old poster's
address keeps answering 410 Gone.
"""

import secrets

from django.db import IntegrityError, models, transaction
from django.urls import reverse

from homeward.links import absolute_url

# No 0/o, 1/i/l: read off a poster and typed on a phone without doubt.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 7  # 31**7: about 27 billion codes


def short_code_new() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


class AppealShortLink(models.Model):
    appeal = models.OneToOneField(
        "appeals.AppealPage",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="short_link",
    )
    code = models.CharField(max_length=16, unique=True)

    def __str__(self) -> str:
        return self.url

    @property
    def url(self) -> str:
        return reverse("appeal-short-link", kwargs={"code": self.code})

    @property
    def address(self) -> str:
        """As printed and typed: the full address without its scheme."""
        return absolute_url(self.url).split("://", 1)[-1]

    @property
    def poster_url(self) -> str:
        return reverse("appeal-poster-a4", kwargs={"code": self.code})

    @property
    def flyer_url(self) -> str:
        return reverse("appeal-flyer-a5", kwargs={"code": self.code})

    def public_paths(self) -> list[str]:
        """Every address under the code, that caches must forget when the appeal ends."""
        return [self.url, f"{self.url}/", self.poster_url, self.flyer_url]

    @classmethod
    def for_appeal(cls, appeal_id: int) -> "AppealShortLink":
        """The appeal's short link, made the first time it is asked for."""
        for _ in range(5):
            try:
                with transaction.atomic():
                    link, _ = cls.objects.get_or_create(
                        appeal_id=appeal_id, defaults={"code": short_code_new()}
                    )
                    return link
            except IntegrityError:
                # Another request made it first, or (very rarely) the code was taken.
                link = cls.objects.filter(appeal_id=appeal_id).first()
                if link:
                    return link
        raise RuntimeError("No free short code found")
