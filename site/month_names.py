"""The months' names in the catalogues, for the languages Django has no translation of
(Pashto, Tigrinya, and Dari's own names): dates are written with them ("5 March 2026"),
and a catalogue of ours takes precedence over Django's. Marked here so that make
messages keeps them; Django's own code (django.utils.dates) looks them up."""

from django.utils.translation import gettext_noop

MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
