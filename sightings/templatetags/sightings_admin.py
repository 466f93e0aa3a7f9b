from datetime import datetime

from django import template

from sightings import formatting

register = template.Library()


@register.filter
def waited(sighting, now: datetime) -> str:
    return formatting.waited(sighting.received_at, now)


@register.filter
def plainly(value) -> str:
    return formatting.shown_plainly(value)
