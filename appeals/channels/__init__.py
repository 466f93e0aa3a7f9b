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
    """Channels switched off for want of settings, and the settings that would switch them on."""
    return [
        ChannelOff(
            name=kind.name,
            label=kind.label,
            reason=f"switched off: set {', '.join(kind.setting_names)} to post to it",
        )
        for kind in CHANNELS
        if kind.from_settings() is None
    ]
