"""X (Twitter): a post with the appeal's photo and its alt text, through tweepy.

Posts and deletions use tweepy's v2 client (``create_tweet``: ``POST /2/tweets`` with
``{"text": …, "media": {"media_ids": […]}}``; ``delete_tweet``: ``DELETE /2/tweets/:id``).

The photo cannot go through tweepy: its uploads (``API.media_upload`` and
``API.create_media_metadata``) call the v1.1 endpoints on upload.twitter.com, which X
has retired, and tweepy has no v2 upload. So the photo goes to X's v2 endpoints with
tweepy's own OAuth 1.0a signing (``OAuth1UserHandler.apply_auth()``, a requests-oauthlib
``OAuth1``) on tweepy's requests session:

1. ``POST https://api.x.com/2/media/upload``, multipart: ``media`` (the image bytes) and
   ``media_category=tweet_image``. One request is enough for an image under 5 MB (ours
   are renditions of a few hundred KB); the chunked flow (``/2/media/upload/initialize``,
   ``…/append``, ``…/finalize``) is for video. The answer's ``data.id`` is the media id.
2. ``POST https://api.x.com/2/media/metadata`` with JSON
   ``{"id": <media id>, "metadata": {"alt_text": {"text": …}}}``: the alt text.
3. ``create_tweet(text=…, media_ids=[<media id>])``.

Errors from our own requests are raised as tweepy's exceptions, so every step fails the
same way; a 429 carries ``x-rate-limit-reset`` (epoch seconds), which the fan-out uses to
try again at that time instead of sleeping (``wait_on_rate_limit`` stays off).
"""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Self

import requests
import tweepy
from django.conf import settings
from django.utils import timezone

from appeals.channels.base import (
    Channel,
    ChannelError,
    ChannelRefused,
    PostReference,
    PostUncertain,
    RateLimited,
    post_photo,
    post_text,
)
from appeals.models import AppealPage, SocialPost

MEDIA_UPLOAD_URL = "https://api.x.com/2/media/upload"
MEDIA_METADATA_URL = "https://api.x.com/2/media/metadata"
POST_URL = "https://x.com/i/web/status/{id}"
# X counts every link as 23 characters.
TEXT_LIMIT, LINK_LENGTH = 280, 23
# When a 429 gives no reset time: X's rate-limit windows are 15 minutes.
DEFAULT_RATE_WINDOW = timedelta(minutes=15)
TIMEOUT_SECONDS = 30


class XChannel(Channel):
    name, label = SocialPost.Channel.X.value, SocialPost.Channel.X.label
    setting_names = ("X_API_KEY", "X_API_SECRET", "X_ACCESS_TOKEN", "X_ACCESS_TOKEN_SECRET")

    def __init__(self, *, api_key: str, api_secret: str, access_token: str, access_secret: str):
        self.client = tweepy.Client(
            consumer_key=api_key,
            consumer_secret=api_secret,
            access_token=access_token,
            access_token_secret=access_secret,
        )

    @classmethod
    def from_settings(cls) -> Self | None:
        values = [getattr(settings, name, "") for name in cls.setting_names]
        if not all(values):
            return None
        return cls(
            api_key=values[0], api_secret=values[1], access_token=values[2], access_secret=values[3]
        )

    def post(self, appeal: AppealPage, *, key: str) -> PostReference:
        # X has no idempotency key; a replay is prevented by the fan-out's claim instead.
        with _errors_translated():
            media_ids = None
            photo = post_photo(appeal)
            if photo is not None:
                media_id = self._media_upload(photo.data, photo.mime_type)
                self._request("POST", MEDIA_METADATA_URL, json=_alt_text(media_id, photo.alt_text))
                media_ids = [media_id]
            try:
                response = self.client.create_tweet(
                    text=post_text(appeal, limit=TEXT_LIMIT, link_length=LINK_LENGTH),
                    media_ids=media_ids,
                )
            except requests.RequestException as error:
                # No answer: X may have made the post, and has no key to refuse a repeat.
                raise PostUncertain(f"X: {_message(error)}") from error
        post_id = str(response.data["id"])
        return PostReference(id=post_id, url=POST_URL.format(id=post_id))

    def delete(self, reference: str) -> None:
        with _errors_translated():
            try:
                self.client.delete_tweet(reference)
            except tweepy.NotFound:
                return  # deleted already, by us or by hand

    def _media_upload(self, data: bytes, mime_type: str) -> str:
        response = self._request(
            "POST",
            MEDIA_UPLOAD_URL,
            data={"media_category": "tweet_image"},
            files={"media": ("photo", data, mime_type)},
        )
        return str(response.json()["data"]["id"])

    def _request(self, method: str, url: str, **kwargs) -> requests.Response:
        client = self.client
        auth = tweepy.OAuth1UserHandler(
            client.consumer_key,
            client.consumer_secret,
            client.access_token,
            client.access_token_secret,
        ).apply_auth()
        response = client.session.request(
            method,
            url,
            auth=auth,
            headers={"User-Agent": client.user_agent},
            timeout=TIMEOUT_SECONDS,
            **kwargs,
        )
        _raise_for_status(response)
        return response


def _alt_text(media_id: str, text: str) -> dict:
    # X allows 1,000 characters of alt text; ours are at most 250.
    return {"id": media_id, "metadata": {"alt_text": {"text": text[:1000]}}}


def _raise_for_status(response: requests.Response) -> None:
    """The exceptions tweepy's client raises for the same answers."""
    status = response.status_code
    if 200 <= status < 300:
        return
    exception = {
        400: tweepy.BadRequest,
        401: tweepy.Unauthorized,
        403: tweepy.Forbidden,
        404: tweepy.NotFound,
    }.get(status)
    if exception:
        raise exception(response)
    if status == 429:
        reset = response.headers.get("x-rate-limit-reset")
        raise tweepy.TooManyRequests(response, reset_time=int(reset) if reset else None)
    if status >= 500:
        raise tweepy.TwitterServerError(response)
    raise tweepy.HTTPException(response)


@contextmanager
def _errors_translated():
    """tweepy's and requests' exceptions, as the channel interface's."""
    try:
        yield
    except tweepy.TooManyRequests as error:
        retry_at = (
            datetime.fromtimestamp(error.reset_time, tz=UTC)
            if error.reset_time
            else timezone.now() + DEFAULT_RATE_WINDOW
        )
        raise RateLimited(f"X rate limit: {_message(error)}", retry_at=retry_at) from error
    except (tweepy.TwitterServerError, requests.RequestException) as error:
        raise ChannelError(f"X: {_message(error)}") from error
    except tweepy.HTTPException as error:
        # 400, 401, 403 and the like: the credentials, the account or the post itself.
        raise ChannelRefused(f"X refused: {_message(error)}") from error


def _message(error: Exception) -> str:
    return " ".join(str(error).split())
