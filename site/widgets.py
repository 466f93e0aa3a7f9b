"""GOV.UK form patterns Django has no widget for: the date input (day, month, year)."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from homeward.text import ascii_digits

PARTS = ("day", "month", "year")
PART_LABELS = {
    "day": gettext_lazy("Day"),
    "month": gettext_lazy("Month"),
    "year": gettext_lazy("Year"),
}
# "The date must include a day and month": each combination whole, so that each language
# can say it its own way.
MISSING = {
    ("day",): gettext_lazy("day"),
    ("month",): gettext_lazy("month"),
    ("year",): gettext_lazy("year"),
    ("day", "month"): gettext_lazy("day and month"),
    ("day", "year"): gettext_lazy("day and year"),
    ("month", "year"): gettext_lazy("month and year"),
}
ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


class DateInput(forms.MultiWidget):
    """Day, Month and Year boxes in one fieldset, named <name>_day, <name>_month, <name>_year.

    Numbers typed on a phone's number pad (inputmode=numeric), not a date picker: GOV.UK
    found people know the date they mean better than they can find it in a calendar.
    """

    template_name = "includes/date_input.html"
    use_fieldset = True

    def __init__(self, attrs=None):
        def part(width: str) -> forms.TextInput:
            return forms.TextInput(attrs={"inputmode": "numeric", "class": f"input--width-{width}"})

        super().__init__({"day": part("2"), "month": part("2"), "year": part("4")}, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str):
            return _iso_parts(value) or [value, "", ""]
        return ["", "", ""]

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if all(part is None for part in parts) and name in data:
            # A form that posts one date (a page cached before the form had three boxes,
            # or a script): read as YYYY-MM-DD.
            return self.decompress(data.get(name))
        return ["" if part is None else str(part) for part in parts]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for part, subwidget in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            subwidget["label"] = PART_LABELS[part]
            # Named for what it holds (id_seen_on_day), not its position, like its name.
            if subwidget["attrs"].get("id"):
                subwidget["attrs"]["id"] = f"{context['widget']['attrs']['id']}_{part}"
        return context

    def id_for_label(self, id_):
        # An error summary's link for the whole date goes to its first box.
        return f"{id_}_day" if id_ else id_


def _iso_parts(text: str) -> list[str] | None:
    match = ISO_DATE.match(text)
    if not match:
        return None
    year, month, day = match.groups()
    return [day, month, year]


class DateField(forms.Field):
    """A date typed as day, month and year, checked as GOV.UK's pattern says: what is
    missing is named ("must include a month"), and a date that does not exist is "a real
    date"."""

    widget = DateInput
    default_error_messages = {
        "required": gettext_lazy("Enter the date"),
        "incomplete": gettext_lazy("The date must include a {missing}"),
        "invalid": gettext_lazy("The date must be a real date"),
        "year": gettext_lazy("The year must include 4 numbers"),
    }

    def to_python(self, value) -> date | None:
        parts = [ascii_digits(str(part or "").strip()) for part in (value or ["", "", ""])]
        if not any(parts):
            return None
        missing = tuple(name for name, part in zip(PARTS, parts, strict=True) if not part)
        if missing:
            raise ValidationError(
                str(self.error_messages["incomplete"]).format(missing=gettext(MISSING[missing])),
                code="incomplete",
            )
        if not all(part.isascii() and part.isdigit() for part in parts):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        day, month, year = parts
        if len(year) != 4:
            raise ValidationError(self.error_messages["year"], code="year")
        try:
            return date(int(year), int(month), int(day))
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error
