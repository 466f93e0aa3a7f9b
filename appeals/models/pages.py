from collections.abc import Iterable
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext, pgettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import (
    COMMENTS_RELATION_NAME,
    Orderable,
    Page,
    PageManager,
)
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult

from appeals.models.permissions import AppealPermissionTester
from appeals.models.publicity import PublicityCheck, PublicityNotCleared, PublicityRefused
from appeals.models.safeguarding import AppealSafeguarding
from appeals.models.short_links import AppealShortLink
from appeals.models.takedown import AppealTakedown
from appeals.models.translations import AppealTranslation
from appeals.panels import EpisodesPanel, PublicityChecksPanel, RiskAssessmentsPanel
from appeals.validators import validate_area_not_address
from homeward.models import PoliceForce, PublicPageMixin
from homeward.page_cache import shorten_shared_caching
from homeward.text import validate_single_line

ADULT_AGE = 18


def years_between(earlier: date, later: date) -> int:
    return later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))


class AppealPageQuerySet(PageQuerySet):
    def publicly_visible(self):
        """Appeals anyone may see: live, still missing, and their live content cleared."""
        return (
            self.live()
            .public()
            .filter(status=AppealPage.Status.MISSING)
            .filter(Exists(_valid_clearance_of_live_revision()))
        )

    def for_serving(self):
        """What serving an appeal page needs, fetched with the page itself."""
        return self.select_related("police_force", "short_link").annotate(
            public_clearance_expires_at=Subquery(
                _valid_clearance_of_live_revision().values("expires_at")[:1]
            )
        )


def _valid_clearance_of_live_revision():
    return PublicityCheck.objects.valid_clearances().filter(revision=OuterRef("live_revision"))


def page_hold(page_id: int) -> None:
    """Hold the page's row until the transaction ends (call it in one): whatever changes an
    appeal then goes one at a time, and each reads the page as the last one left it."""
    list(Page.objects.select_for_update().filter(pk=page_id).values_list("pk", flat=True))


# Bookkeeping that Wagtail saves on its own; any other field of an appeal is content.
BOOKKEEPING_FIELDS = frozenset(
    {
        COMMENTS_RELATION_NAME,
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
        "numchild",
        "path",
        "depth",
        "url_path",
        "owner",
        "expired",
        "expire_at",
        "closed_at",
        "go_live_at",
        "first_published_at",
        "last_published_at",
        "show_in_menus",
    }
)


class AppealPage(PublicPageMixin, AppealSafeguarding, Page):
    """A public appeal for one missing person.

    What staff and police alone may know of it (the police case reference, the risk, the
    safeguarding flags, the council) is its AppealSafeguarding part: no public template,
    feed, meta tag or search index may use those fields.
    """

    class Gender(models.TextChoices):
        FEMALE = "female", pgettext_lazy("gender", "Female")
        MALE = "male", pgettext_lazy("gender", "Male")
        NON_BINARY = "non-binary", pgettext_lazy("gender", "Non-binary")
        NOT_STATED = "not-stated", pgettext_lazy("gender", "Not stated")

    class Status(models.TextChoices):
        MISSING = "missing", "Missing"
        FOUND = "found", "Found"
        WITHDRAWN = "withdrawn", "Publicity withdrawn"
        # Only appeals purged while an ended clearance still closed them: one now leaves
        # the appeal open (missing), taken down until it is renewed.
        EXPIRED = "expired", "Publicity clearance ended"

    # What the public sees
    date_of_birth = models.DateField(
        null=True,
        blank=True,
        help_text="Never shown: used to work out the ages shown on the appeal.",
    )
    age_when_missing = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(120)],
        help_text="Worked out from the date of birth when that is given.",
    )
    is_child = models.BooleanField(
        editable=False, default=False, help_text="Under 18 when they went missing."
    )
    gender = models.CharField(max_length=20, choices=Gender.choices)
    height_cm = models.PositiveSmallIntegerField(
        "height (cm)",
        null=True,
        blank=True,
        validators=[MinValueValidator(40), MaxValueValidator(250)],
    )
    build = models.CharField(
        max_length=60,
        blank=True,
        validators=[validate_single_line],
        help_text="For example: slim, stocky.",
    )
    hair = models.CharField(max_length=120, blank=True, validators=[validate_single_line])
    clothing = models.TextField(max_length=500, blank=True, help_text="When last seen.")
    distinguishing_features = models.TextField(max_length=500, blank=True)
    missing_since = models.DateField()
    last_seen_area = models.CharField(
        max_length=100,
        validators=[validate_single_line, validate_area_not_address],
        help_text="A town or district, never an address or postcode.",
    )
    police_force = models.ForeignKey(PoliceForce, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(
        "message to them",
        max_length=1000,
        blank=True,
        help_text="Words from their family, in their own voice, agreed with the police.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.MISSING)
    # When the appeal stopped being "missing": retention periods count from here.
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PageManager.from_queryset(AppealPageQuerySet)()

    content_panels = [
        FieldPanel(
            "title",
            heading="Name to publish",
            help_text="The name the family and police agreed to publish.",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("date_of_birth"), FieldPanel("age_when_missing")]),
                FieldRowPanel([FieldPanel("gender"), FieldPanel("height_cm")]),
                FieldRowPanel([FieldPanel("build"), FieldPanel("hair")]),
                FieldPanel("clothing"),
                FieldPanel("distinguishing_features"),
            ],
            heading="Description",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("missing_since"), FieldPanel("last_seen_area")]),
                # A plain list: everyone who writes appeals can pick a force, without the
                # snippet chooser's permissions.
                FieldPanel("police_force", widget=forms.Select),
            ],
            heading="Where and when",
        ),
        InlinePanel(
            "photos",
            heading="Photos",
            label="Photo",
            min_num=1,
            max_num=5,
            help_text="The first photo leads the appeal. Set a focal point on each image "
            "(the face) so that crops keep it in frame.",
        ),
        FieldPanel("message"),
    ]
    translation_panels = [
        HelpPanel(
            "<p>The appeal in the person's own language, where the publicity safety check "
            "decides that is safe: written by a person and reviewed by another fluent "
            "speaker, never machine-translated. One check covers every language; a change "
            "in any of them needs a new check.</p>"
        ),
        InlinePanel("translations", heading="Translations", label="Translation"),
    ]
    police_panels = [
        HelpPanel(
            "<p>Nothing on this tab is ever shown on the public site, in feeds or in posts.</p>"
        ),
        FieldRowPanel([FieldPanel("case_reference"), FieldPanel("police_risk_level")]),
        FieldPanel("police_risk_reason"),
        MultiFieldPanel(
            [
                FieldPanel("in_care"),
                FieldPanel("trafficked"),
                FieldPanel("unaccompanied_asylum_seeking"),
                FieldPanel("domestic_abuse"),
            ],
            heading="Safeguarding flags",
        ),
        FieldRowPanel(
            [
                FieldPanel("local_authority", widget=forms.Select),
                FieldPanel("arrived_in_uk_on"),
            ]
        ),
        HelpPanel(
            "<p>When they are found, or publicity is withdrawn, close the appeal from the "
            "page's actions menu (Close appeal): that takes it down everywhere.</p>"
        ),
        RiskAssessmentsPanel(heading="Risk assessments"),
        EpisodesPanel(heading="Other episodes"),
        PublicityChecksPanel(heading="Publicity safety checks"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Appeal"),
            ObjectList(translation_panels, heading="In their language"),
            ObjectList(police_panels, heading="Police and safeguarding"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )

    # Public text only: searching a case reference or a flag must find nothing.
    search_fields = [
        *Page.search_fields,
        index.SearchField("last_seen_area"),
        index.SearchField("hair"),
        index.SearchField("clothing"),
        index.SearchField("distinguishing_features"),
        index.FilterField("status"),
        index.FilterField("is_child"),
        index.FilterField("missing_since"),
        index.FilterField("police_force"),
    ]

    @classmethod
    def get_indexed_objects(cls):
        # A taken-down appeal stays out of the search index whatever saves it later:
        # unpublishing saves the page, and its indexing task runs after the takedown.
        return super().get_indexed_objects().filter(takedown__isnull=True)

    parent_page_types = ["appeals.AppealIndexPage"]
    subpage_types = []

    # The renditions the appeal page shows: the main photo (also the poster's), the share
    # image, thumbnails.
    MAIN_PHOTO_RENDITION = "fill-600x750-c100"
    PHOTO_RENDITIONS = (MAIN_PHOTO_RENDITION, "fill-1200x630-c100", "fill-200x250-c100")

    class Meta(AppealSafeguarding.Meta):
        verbose_name = "appeal"

    def clean(self) -> None:
        super().clean()
        today = timezone.localdate()
        errors = {}
        # Wagtail's own one-line fields: a line break in a name reaches email headers.
        for name in ("title", "seo_title"):
            try:
                validate_single_line(getattr(self, name))
            except ValidationError as error:
                errors[name] = error.messages
        if self.missing_since and self.missing_since > today:
            errors["missing_since"] = "The date they went missing cannot be in the future."
        if self.date_of_birth:
            if self.date_of_birth > today:
                errors["date_of_birth"] = "The date of birth cannot be in the future."
            elif self.missing_since and self.date_of_birth > self.missing_since:
                errors["date_of_birth"] = "The date of birth must be before they went missing."
        elif self.age_when_missing is None:
            errors["age_when_missing"] = (
                "Give their age when they went missing, or a date of birth."
            )
        if problems := self.translation_errors():
            errors["__all__"] = problems
        if not errors:
            self.derive_ages()
            errors.update(self.safeguarding_errors())
        if errors:
            raise ValidationError(errors)

    def translation_errors(self) -> list[str]:
        """What is wrong with the appeal's translations as a whole (each checks itself).
        Drafts keep translations in the revision only, so the database's one-per-language
        constraint would first hear of a second one when the check's approval publishes."""
        languages = [translation.language for translation in self.translations.all()]
        return [
            f"The appeal has two {AppealTranslation(language=code).get_language_display()} "
            "translations: keep one."
            for code in sorted({code for code in languages if languages.count(code) > 1})
        ]

    def translation_in(self, code: str) -> AppealTranslation | None:
        """The appeal's own text in that language, if it has any."""
        return next((t for t in self.translations.all() if t.language == code), None)

    def save(self, *args, **kwargs):
        try:
            if self._state.adding:
                return self._save_by_the_rules(*args, **kwargs)
            with transaction.atomic():
                # The guards (signal_handlers) compare this copy with the page as stored:
                # read it as it is when this one is written, not as when this was read.
                page_hold(self.pk)
                return self._save_by_the_rules(*args, **kwargs)
        except PublicityNotCleared as refused:
            # Logged once the save's transaction has rolled back, so it stays on record.
            log(
                instance=self,
                action="homeward.publicity.refused",
                data={"reason": refused.reason, "revision_id": self.live_revision_id},
                revision=self.live_revision,
            )
            raise

    def _save_by_the_rules(self, *args, **kwargs):
        self.derive_ages()
        update_fields = kwargs.get("update_fields")
        if (
            self.live
            and not self._state.adding
            and (update_fields is None or "police_risk_level" in update_fields)
        ):
            # Publishing puts a new police level on record, and so in force; refused
            # saves roll it back with them (save() holds the page in a transaction).
            self.risk_assessments.record_publication(appeal=self)
        self.derive_risk()
        # Found or withdrawn; an expired clearance leaves the appeal open, to be renewed.
        closure = (
            AppealTakedown.objects.filter(appeal_id=self.pk)
            .exclude(outcome=AppealTakedown.Outcome.EXPIRED)
            .values_list("outcome", "closed_at")
            .first()
            if self.pk
            else None
        )
        if closure:
            # Closing is final: no revision, old or new, reopens the appeal or puts it live.
            self.status, self.closed_at = closure
            if self.live:
                raise PublicityRefused(f"“{self.title}” is closed: it cannot go public again.")
        elif self.status == self.Status.MISSING:
            self.closed_at = None
        elif self.closed_at is None:
            self.closed_at = timezone.now()
        if self.live and (update_fields is None or set(update_fields) - BOOKKEEPING_FIELDS):
            self.assert_publicity_cleared()
        return super().save(*args, **kwargs)

    def with_content_json(self, content):
        revision = super().with_content_json(content)
        # A revision saved from code without clean() still reads with its effective risk.
        revision.derive_risk()
        return revision

    def assert_publicity_cleared(self) -> None:
        """Refuse to make content public that has not passed the publicity safety check.

        Every route to the public site ends in saving a live page: the workflow, scheduled
        publishing, a revision published from code, a copy kept live. So the check is here.
        The live content must be a revision with a valid public clearance, unchanged.
        """
        refusal = ""
        if self.live_revision_id is None:
            refusal = "no revision of it has passed the publicity safety check"
        elif not PublicityCheck.objects.valid_clearances().filter(
            revision_id=self.live_revision_id
        ):
            refusal = (
                "its revision has no valid public clearance: the check is missing, not "
                "approved, expired, or decided against a public appeal"
            )
        elif self.public_content() != self.live_revision.as_object().public_content():
            refusal = "its content differs from the revision that passed the check"
        if refusal:
            raise PublicityNotCleared(f"“{self.title}” cannot go public: {refusal}.", refusal)

    def public_content(self) -> dict:
        """Everything of the appeal that a clearance covers: its fields and its photos."""
        content = {
            field.attname: getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if field.name not in BOOKKEEPING_FIELDS
            and field.name not in {"live", "live_revision", "id", "page_ptr"}
        }
        content["photos"] = [(photo.image_id, photo.alt_text) for photo in self.photos.all()]
        content["translations"] = sorted(
            translation.checked_content() for translation in self.translations.all()
        )
        return content

    def derive_ages(self) -> None:
        if self.date_of_birth and self.missing_since:
            self.age_when_missing = years_between(self.date_of_birth, self.missing_since)
        if self.age_when_missing is not None:
            self.is_child = self.age_when_missing < ADULT_AGE

    def public_clearance_expiry(self):
        """When the live content's public clearance ends, or None if it has none."""
        if not hasattr(self, "public_clearance_expires_at"):  # set by for_serving()
            self.public_clearance_expires_at = (
                PublicityCheck.objects.valid_clearances()
                .filter(revision_id=self.live_revision_id)
                .values_list("expires_at", flat=True)
                .first()
                if self.live and self.live_revision_id
                else None
            )
        return self.public_clearance_expires_at

    @property
    def is_closed(self) -> bool:
        return self.status != self.Status.MISSING

    def age_now(self) -> tuple[int | None, bool]:
        """Today's age, and whether it is approximate (no date of birth)."""
        today = timezone.localdate()
        if self.date_of_birth:
            return years_between(self.date_of_birth, today), False
        if self.age_when_missing is None:
            return None, True
        return self.age_when_missing + years_between(self.missing_since, today), True

    @property
    def age_text(self) -> str:
        """'15', or '15 (now 17)' once they have had a birthday since going missing."""
        now, approximate = self.age_now()
        if now is None or now == self.age_when_missing:
            return str(self.age_when_missing)
        ages = {"then": self.age_when_missing, "now": now}
        if approximate:
            return gettext("%(then)s (now about %(now)s)") % ages
        return gettext("%(then)s (now %(now)s)") % ages

    @property
    def height_text(self) -> str:
        if not self.height_cm:
            return ""
        total_inches = round(self.height_cm / 2.54)
        return gettext("%(feet)sft %(inches)sin (%(cm)s cm)") % {
            "feet": total_inches // 12,
            "inches": total_inches % 12,
            "cm": self.height_cm,
        }

    @property
    def summary(self) -> str:
        """One public sentence: used for meta tags, share links and the feed."""
        return gettext("%(name)s, %(age)s, has been missing from %(area)s since %(date)s.") % {
            "name": self.title,
            "age": self.age_when_missing,
            "area": self.last_seen_area,
            "date": date_format(self.missing_since, "j F Y"),
        }

    @property
    def main_photo(self) -> "AppealPhoto | None":
        photos = list(self.photos.all())
        return photos[0] if photos else None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        photos = list(AppealPhoto.objects.with_renditions(self.PHOTO_RENDITIONS).filter(page=self))
        context["main_photo"] = photos[0] if photos else None
        context["more_photos"] = photos[1:]
        translations = list(self.translations.all())
        # The page's own language leads, where the appeal has text in it; every message
        # to them is shown in every language, since they may land on any of them.
        context["translation"] = next(
            (t for t in translations if t.language == get_language()), None
        )
        context["messages_in_their_language"] = translations
        # A new page's preview has no id yet, so no short address.
        context["short_link"] = self.public_short_link() if self.pk else None
        return context

    def public_short_link(self) -> AppealShortLink:
        """Its short address (for_serving() fetches it with the page), made if need be."""
        try:
            return self.short_link
        except AppealShortLink.DoesNotExist:
            return AppealShortLink.for_appeal(self.pk)

    def cached_paths_elsewhere(self) -> list[str]:
        """Addresses outside the page's own that show it (the short address, the poster
        and flyer under it): caches must forget them whenever they forget the page."""
        links = AppealShortLink.objects.filter(appeal_id=self.pk)
        return [path for link in links for path in link.public_paths()]

    def permissions_for_user(self, user):
        return AppealPermissionTester(user, self)

    def route(self, request, path_components):
        # A closed appeal is not live, yet its address answers 410 Gone with the helpline,
        # so that people following an old share learn the appeal has ended.
        if self.has_ended_publicly and not path_components:
            return RouteResult(self)
        return super().route(request, path_components)

    @property
    def has_ended_publicly(self) -> bool:
        """Closed after being public: its address says it has ended. One that never went
        public answers as if it had never existed (404), saying nothing about it."""
        return self.is_closed and self.first_published_at is not None

    def serve(self, request, *args, **kwargs):
        if self.has_ended_publicly:
            return TemplateResponse(request, "appeals/appeal_gone.html", status=410)
        if self.is_closed:
            raise Http404
        # Fail closed: whatever the row says, no valid clearance means no page.
        expires_at = self.public_clearance_expiry()
        if expires_at is None:
            raise Http404
        response = super().serve(request, *args, **kwargs)
        return shorten_shared_caching(response, until=expires_at)

    def get_sitemap_urls(self, request=None):
        if self.is_closed or self.public_clearance_expiry() is None:
            return []
        return super().get_sitemap_urls(request)


class AppealPhotoQuerySet(models.QuerySet):
    def with_renditions(self, filter_specs: Iterable[str]):
        """With their images and the given renditions, in a fixed few queries."""
        images = get_image_model().objects.prefetch_renditions(*filter_specs)
        return self.prefetch_related(Prefetch("image", queryset=images))


class AppealPhoto(Orderable):
    page = ParentalKey(AppealPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey("homeward.HomewardImage", on_delete=models.CASCADE, related_name="+")
    alt_text = models.CharField(
        max_length=250,
        validators=[validate_single_line],
        help_text="What the photo shows, for people who cannot see it: "
        "for example, “Jade smiling, with shoulder-length curly dark hair”.",
    )

    objects = AppealPhotoQuerySet.as_manager()

    panels = [FieldPanel("image"), FieldPanel("alt_text")]
