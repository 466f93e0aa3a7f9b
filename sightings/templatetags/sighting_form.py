"""The sighting form, for other apps' pages to show (the appeal page): they render it with
this tag, so that appeals never import sightings."""

from django import template

from sightings.forms import SightingForm

register = template.Library()


@register.simple_tag
def sighting_form(appeal) -> SightingForm:
    """A new, empty sighting form for the appeal."""
    return SightingForm(appeal=appeal)
