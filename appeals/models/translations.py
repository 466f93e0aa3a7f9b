"""An appeal's own words in the person's language, written and reviewed by people.

A translation is part of the appeal page (a child of it, like its photos), so it is in
every revision: the one publicity safety check of a revision covers all its languages,
and changing a word in any of them makes a revision that needs a new check. Closing the
appeal takes every language down with the page; the retention purge deletes them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from homeward.languages import NAMES_IN_THEMSELVES, TRANSLATION_LANGUAGES, text_direction
from homeward.text import validate_single_line
from homeward.text_fields import bounded_text, text_stripped


class AppealTranslation(Orderable):
    page = ParentalKey("appeals.AppealPage", on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=12, choices=TRANSLATION_LANGUAGES)
    headline = models.CharField(
        max_length=200,
        validators=[validate_single_line],
        help_text="One line that leads the appeal in this language, for example “Have you "
        "seen Amira? She is not in trouble.”",
    )
    description = bounded_text(
        1000,
        blank=True,
        help_text="What they look like and where they were last seen, in this language.",
    )
    message_to_them = bounded_text(
        1000,
        help_text="To them, in their own language: they are not in trouble; finding them "
        "matters more than any question of immigration status; they can call or text "
        "116 000 (free, 24 hours) or go to an organisation they trust.",
    )
    translated_by = models.CharField(
        max_length=120,
        validators=[validate_single_line],
        help_text="The person who wrote it (never a machine translation).",
    )
    reviewed_by = models.CharField(
        max_length=120,
        validators=[validate_single_line],
        help_text="A second fluent speaker who checked it against the English.",
    )

    panels = [
        FieldRowPanel([FieldPanel("language"), FieldPanel("headline")]),
        FieldPanel("description"),
        FieldPanel("message_to_them"),
        FieldRowPanel([FieldPanel("translated_by"), FieldPanel("reviewed_by")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "translation"
        constraints = [
            models.UniqueConstraint(
                fields=["page", "language"], name="appeal_translation_one_per_language"
            ),
            models.CheckConstraint(
                name="appeal_translation_reviewed_by_another",
                condition=~models.Q(reviewed_by=models.F("translated_by")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_language_display()} ({NAMES_IN_THEMSELVES[self.language]})"

    def clean(self) -> None:
        super().clean()
        text_stripped(self)
        if self.translated_by and self.reviewed_by.casefold() == self.translated_by.casefold():
            raise ValidationError(
                {"reviewed_by": "Someone other than the translator must review it."}
            )

    @property
    def direction(self) -> str:
        return text_direction(self.language)

    def checked_content(self) -> tuple:
        """What a clearance covers: its words, and who vouched for them."""
        return (
            self.language,
            self.headline,
            self.description,
            self.message_to_them,
            self.translated_by,
            self.reviewed_by,
        )
