"""The social channels an appeal is posted to. A new network: one module, one line here."""

from appeals.channels.base import Channel
from appeals.channels.mastodon import MastodonChannel
from appeals.channels.x import XChannel
from appeals.models import ChannelOff

CHANNELS: tuple[type[Channel], ...] = (XChannel, MastodonChannel)


def channel_class(name: str) -> type[Channel] | None:
    return next((channel for channel in CHANNELS if channel.name == name), None)


def channels_on() -> list[Channel]:
    return [channel for kind in CHANNELS if (channel := kind.from_settings()) is not None]


def channels_off() -> list[ChannelOff]:
    """Channels switched off for want of settings, said as staff would say it."""
    return [
        ChannelOff(name=kind.name, label=kind.label, reason=kind.not_connected())
        for kind in CHANNELS
        if kind.from_settings() is None
    ]
