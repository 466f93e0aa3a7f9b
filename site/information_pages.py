"""The pages that tell people who runs the site and what happens to what they send: the
privacy notice, the cookie statement, the accessibility statement, about and contact.

Staff edit them in the CMS. What the site itself decides (how long data is kept, the
charity's contact details) is rendered from its settings, so the words cannot drift from
what the code does.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page

from homeward.page_cache import PublicPageMixin
from homeward.text import validate_single_line

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class RetentionPeriodsBlock(blocks.StaticBlock):
    """How long each kind of data is kept, in words, from the settings that purge it."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["sighting_days"] = settings.SIGHTING_RETENTION_DAYS
        context["appeal_days"] = settings.APPEAL_RETENTION_DAYS
        context["hero_unconfirmed_days"] = settings.HERO_UNCONFIRMED_RETENTION_DAYS
        return context

    class Meta:
        template = "homeward/blocks/retention_periods.html"
        admin_text = "How long each kind of data is kept: written from the site's settings."
        label = "Retention periods"
        icon = "time"


class CharityContactBlock(blocks.StaticBlock):
    """The charity's name, number, address and contact details, from its settings."""

    class Meta:
        template = "homeward/blocks/charity_contact.html"
        admin_text = "The charity's contact details, as set in Settings → Charity details."
        label = "Charity contact details"
        icon = "mail"


class InformationPage(PublicPageMixin, Page):
    """A page of plain information. Those with a purpose are linked from every footer, and
    the privacy notice from every form that collects data."""

    class Purpose(models.TextChoices):
        PRIVACY = "privacy", "Privacy notice"
        COOKIES = "cookies", "Cookies"
        ACCESSIBILITY = "accessibility", "Accessibility statement"
        ABOUT = "about", "About and contact"
        OTHER = "other", "Other information"

    purpose = models.CharField(
        max_length=20,
        choices=Purpose.choices,
        default=Purpose.OTHER,
        help_text="The site links to the privacy notice, cookies, accessibility and about "
        "pages from every page's footer. Each can be given to one page only.",
    )
    summary = models.TextField(
        max_length=300,
        help_text="One or two sentences under the heading, also used by search engines.",
    )
    body = StreamField(
        [
            (
                "heading",
                blocks.CharBlock(form_classname="title", validators=[validate_single_line]),
            ),
            ("text", blocks.RichTextBlock(features=RICH_TEXT_FEATURES)),
            ("retention_periods", RetentionPeriodsBlock()),
            ("charity_contact", CharityContactBlock()),
        ],
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("purpose")]

    parent_page_types = ["homeward.HomePage"]
    subpage_types = []

    def clean(self):
        super().clean()
        # One page per purpose in each language. Not a database constraint: the language
        # is Wagtail's page field, which a constraint on this table cannot name. Wagtail
        # cleans a page on every save.
        if self.purpose != self.Purpose.OTHER:
            others = InformationPage.objects.filter(purpose=self.purpose, locale_id=self.locale_id)
            if others.exclude(pk=self.pk).exists():
                raise ValidationError(
                    {"purpose": "Another page already has this purpose: give it to one page only."}
                )


@register_setting(icon="group")
class CharityDetails(BaseGenericSetting):
    """Who runs the site: shown in every page's footer and on the about page."""

    name = models.CharField(max_length=120, default="Homeward", validators=[validate_single_line])
    charity_number = models.CharField(
        "registered charity number",
        max_length=60,
        blank=True,
        validators=[validate_single_line],
        help_text="For example: Registered charity 1234567 (England and Wales).",
    )
    address = models.TextField(max_length=400, blank=True)
    email = models.EmailField(
        blank=True, help_text="Where the public write to, about anything on the site."
    )
    phone = models.CharField(max_length=40, blank=True, validators=[validate_single_line])

    panels = [
        FieldPanel("name"),
        FieldPanel("charity_number"),
        FieldPanel("address"),
        FieldPanel("email"),
        FieldPanel("phone"),
    ]

    class Meta:
        verbose_name = "charity details"
        verbose_name_plural = "charity details"

    def __str__(self) -> str:
        return self.name
