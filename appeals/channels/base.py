"""What every social channel provides, so that another network is one new module.

A channel turns an appeal into one public post and can delete that post again. It says
what went wrong in these terms only, so the fan-out never needs to know the network:
``RateLimited`` (try again at a time the network gave), ``ChannelRefused`` (it will not
work by trying again: bad credentials, a refused post), any other ``ChannelError``
(temporary: retried with backoff).
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Self

from django.utils.formats import date_format

from appeals.models import AppealPage
from homeward.links import absolute_url

# The appeal's main photo, as the appeal page shows it (see AppealPage.PHOTO_RENDITIONS).
POST_PHOTO_FILTER = AppealPage.PHOTO_RENDITIONS[0]


class ChannelError(Exception):
    """A temporary failure: the network or the connection to it; worth trying again."""


class RateLimited(ChannelError):
    def __init__(self, message: str, *, retry_at: datetime):
        super().__init__(message)
        self.retry_at = retry_at


class ChannelRefused(ChannelError):
    """The network refused for a reason that trying again will not change."""


class PostUncertain(Exception):
    """The request to post was cut off after it may have reached the network: the post
    may exist. Only a network that refuses replays (``Channel.refuses_replays``) is tried
    again; anything else fails for staff to check."""


@dataclass(frozen=True)
class PostReference:
    id: str
    url: str


@dataclass(frozen=True)
class Photo:
    data: bytes
    mime_type: str
    alt_text: str


class Channel(ABC):
    name: ClassVar[str]  # stored on each post: never change it once posts exist
    label: ClassVar[str]
    # The settings (from the environment) that switch the channel on.
    setting_names: ClassVar[tuple[str, ...]]
    # Whether the network itself refuses a second post made with the same key, so a
    # post whose worker died mid-request can safely be tried again.
    refuses_replays: ClassVar[bool] = False

    @classmethod
    @abstractmethod
    def from_settings(cls) -> Self | None:
        """The channel, or None when it is switched off (its settings are not all given)."""

    @classmethod
    def not_connected(cls) -> str:
        """Why nothing is posted to it, in staff's words (the setting names are for the
        people who run the site, in the README)."""
        return "not connected: ask your site administrator to connect its account"

    @abstractmethod
    def post(self, appeal: AppealPage, *, key: str) -> PostReference:
        """Post the appeal; ``key`` is the same for every attempt at this one post."""

    @abstractmethod
    def delete(self, reference: str) -> None:
        """Delete a post made by ``post``; a post that is already gone counts as deleted."""


def post_text(appeal: AppealPage, *, limit: int, link_length: int) -> str:
    """The post: who, their age, where and since when, and the link to the appeal.

    Networks count a link as ``link_length`` characters whatever its length; a long
    name is shortened so the post fits ``limit``.
    """
    link = absolute_url(appeal.url)
    area = (
        f"Missing from {appeal.last_seen_area} since {date_format(appeal.missing_since, 'j F Y')}."
    )
    headline = f"Please help find {appeal.title}, {appeal.age_text}."
    room = limit - len(area) - link_length - 2  # two line breaks
    if len(headline) > room:
        headline = headline[: room - 1].rstrip() + "…"
    return f"{headline}\n{area}\n{link}"


def post_photo(appeal: AppealPage) -> Photo | None:
    """The main photo as the appeal page shows it, with its alt text.

    Photos lose their metadata when they are uploaded (homeward/images.py), so the
    rendition carries nothing but pixels.
    """
    photo = appeal.main_photo
    if photo is None:
        return None
    rendition = photo.image.get_rendition(POST_PHOTO_FILTER)
    with rendition.file.open("rb") as file:
        data = file.read()
    mime_type = {"png": "image/png", "webp": "image/webp"}.get(
        rendition.file.name.rsplit(".", 1)[-1].lower(), "image/jpeg"
    )
    return Photo(data=data, mime_type=mime_type, alt_text=photo.alt_text)
