"""Models' free text: a length that binds everywhere, and blanks that are no answer."""

from django.core.validators import MaxLengthValidator
from django.db import models


def bounded_text(max_length: int, **kwargs) -> models.TextField:
    """A TextField whose length binds full_clean() too (its max_length binds only forms)."""
    return models.TextField(
        max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs
    )


def text_stripped(instance: models.Model) -> None:
    """Text answers as a form would take them: surrounding blanks are no answer."""
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(field, (models.CharField, models.TextField)) and isinstance(value, str):
            setattr(instance, field.attname, value.strip())
