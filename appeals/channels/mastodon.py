"""Mastodon: a public post with the appeal's photo and its alt text, through Mastodon.py.

``media_post`` uploads the photo with its description (``POST /api/v2/media``), then
``status_post`` posts (``POST /api/v1/statuses``) with an ``Idempotency-Key`` header:
Mastodon answers a repeat of the same key with the first post instead of a second one,
so a post whose worker died mid-request is safe to try again. Mastodon.py's own waiting
on rate limits is switched off (``ratelimit_method="throw"``): it would sleep in the
worker. The server's version is given (Mastodon.py would otherwise assume 1.0 and use
the old media endpoint), so the client makes no version request of its own.
"""

from datetime import UTC, datetime, timedelta
from typing import Self

from django.conf import settings
from django.utils import timezone
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
)

from appeals.channels.base import (
    Channel,
    ChannelError,
    ChannelRefused,
    PostReference,
    RateLimited,
    post_photo,
    post_text,
)
from appeals.models import AppealPage, SocialPost

# Mastodon's default; servers may allow more. Links count as 23 characters.
TEXT_LIMIT, LINK_LENGTH = 500, 23
# Mastodon's rate-limit windows are five minutes.
DEFAULT_RATE_WINDOW = timedelta(minutes=5)
# Every API this channel calls exists in Mastodon 4.0 and later.
SERVER_VERSION = "4.0.0"
TIMEOUT_SECONDS = 30


class MastodonChannel(Channel):
    name, label = SocialPost.Channel.MASTODON.value, SocialPost.Channel.MASTODON.label
    setting_names = ("MASTODON_API_BASE_URL", "MASTODON_ACCESS_TOKEN")
    refuses_replays = True

    def __init__(self, *, api_base_url: str, access_token: str):
        self.client = Mastodon(
            api_base_url=api_base_url,
            access_token=access_token,
            mastodon_version=SERVER_VERSION,
            version_check_mode="created",
            ratelimit_method="throw",
            request_timeout=TIMEOUT_SECONDS,
        )

    @classmethod
    def from_settings(cls) -> Self | None:
        base_url, token = (getattr(settings, name, "") for name in cls.setting_names)
        if not (base_url and token):
            return None
        return cls(api_base_url=base_url, access_token=token)

    def post(self, appeal: AppealPage, *, key: str) -> PostReference:
        try:
            media_ids = None
            photo = post_photo(appeal)
            if photo is not None:
                media = self.client.media_post(
                    photo.data,
                    mime_type=photo.mime_type,
                    description=photo.alt_text,
                    file_name="photo",
                )
                media_ids = [media["id"]]
            status = self.client.status_post(
                post_text(appeal, limit=TEXT_LIMIT, link_length=LINK_LENGTH),
                media_ids=media_ids,
                visibility="public",
                idempotency_key=key,
            )
        except Exception as error:
            raise self._translated(error) from error
        return PostReference(id=str(status["id"]), url=status["url"] or "")

    def delete(self, reference: str) -> None:
        try:
            self.client.status_delete(reference)
        except MastodonNotFoundError:
            return  # deleted already, by us or by hand
        except Exception as error:
            raise self._translated(error) from error

    def _translated(self, error: Exception) -> Exception:
        message = " ".join(str(error).split())
        if isinstance(error, MastodonRatelimitError):
            reset = self.client.ratelimit_reset
            retry_at = (
                datetime.fromtimestamp(reset, tz=UTC)
                if reset and reset > timezone.now().timestamp()
                else timezone.now() + DEFAULT_RATE_WINDOW
            )
            return RateLimited(f"Mastodon rate limit: {message}", retry_at=retry_at)
        if isinstance(error, MastodonServerError | MastodonNetworkError):
            return ChannelError(f"Mastodon: {message}")
        if isinstance(error, MastodonAPIError):
            # 401, 403, 422: the token, the account or the post itself.
            return ChannelRefused(f"Mastodon refused: {message}")
        return error
