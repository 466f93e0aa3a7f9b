from pathlib import PurePath
from uuid import uuid4

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.http import Http404
from django.utils.translation import get_language, gettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.images.models import (
    AbstractImage,
    AbstractRendition,
    WagtailImageField,
    get_upload_to,
)
from wagtail.images.models import Image as WagtailImage
from wagtail.models import Page

from homeward.images import image_without_metadata
from homeward.languages import DEFAULT_LANGUAGE
from homeward.page_cache import PublicPageMixin
from homeward.storage import PhotoStorage, photo_storage
from homeward.text import validate_single_line


class PoliceForce(models.Model):
    """One of the UK's police forces: the owner of an appeal's case."""

    class Nation(models.TextChoices):
        ENGLAND = "england", gettext_lazy("England")
        WALES = "wales", gettext_lazy("Wales")
        SCOTLAND = "scotland", gettext_lazy("Scotland")
        NORTHERN_IRELAND = "northern-ireland", gettext_lazy("Northern Ireland")
        UNITED_KINGDOM = "united-kingdom", gettext_lazy("United Kingdom (national)")

    name = models.CharField(max_length=100, unique=True, validators=[validate_single_line])
    slug = models.SlugField(max_length=100, unique=True)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    duty_email = models.EmailField(
        blank=True,
        help_text="Urgent sightings, and sightings of high-risk people, are emailed here at once.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("nation"),
        FieldPanel("duty_email"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PoliceOfficer(models.Model):
    """Which force a police user belongs to: they act only on that force's cases."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="police_officer"
    )
    force = models.ForeignKey(PoliceForce, on_delete=models.PROTECT, related_name="officers")

    panels = [FieldPanel("user"), FieldPanel("force")]

    class Meta:
        verbose_name = "police officer"

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.force})"

    @staticmethod
    def force_id_of(user) -> int | None:
        """The force an active, signed-in officer serves, or None. Which force is data;
        what they may do there is what their role's permissions grant."""
        if not (user.is_authenticated and user.is_active):
            return None
        officer = getattr(user, "police_officer", None)
        return None if officer is None else officer.force_id


class LocalAuthority(models.Model):
    """A council responsible for children in its care (their corporate parent): never
    shown to the public."""

    name = models.CharField(max_length=100, unique=True, validators=[validate_single_line])
    return_home_email = models.EmailField(
        "return home interviews email",
        blank=True,
        help_text="The team that arranges return home interviews for children found.",
    )

    panels = [FieldPanel("name"), FieldPanel("return_home_email")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class LocalAuthorityManager(models.Model):
    """A local authority's designated manager for missing children: they see their own
    children's episodes and the trends, nothing else."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="local_authority_manager"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="managers"
    )

    panels = [FieldPanel("user"), FieldPanel("local_authority")]

    class Meta:
        verbose_name = "local authority designated manager"

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} ({self.local_authority})"

    @staticmethod
    def local_authority_id_of(user) -> int | None:
        """The local authority an active, signed-in manager serves, or None."""
        if not (user.is_authenticated and user.is_active):
            return None
        manager = getattr(user, "local_authority_manager", None)
        return None if manager is None else manager.local_authority_id


class PictureCleared(ValidationError):
    """The picture of an image that a publicity clearance covers was about to change."""


# What makes the picture: the file, and the focal point that renditions are cropped to.
PICTURE_FIELDS = (
    "file",
    "focal_point_x",
    "focal_point_y",
    "focal_point_width",
    "focal_point_height",
)
# A Wagtail hook: fn(*, image_id) -> why the image's picture may not change now, or "".
PICTURE_LOCK = "register_image_picture_lock"


class HomewardImage(AbstractImage):
    """Wagtail's image, stripped of metadata whenever a new file is set, kept privately
    under a random name (homeward.storage.PhotoStorage), and fixed once an appeal's
    publicity clearance covers it."""

    file = WagtailImageField(
        verbose_name="file",
        upload_to=get_upload_to,
        storage=photo_storage,
        width_field="width",
        height_field="height",
    )

    admin_form_fields = WagtailImage.admin_form_fields
    # The file last rebuilt from its pixels, so that saving it does not rebuild it again.
    _rebuilt_file = None

    def get_upload_to(self, filename):
        # Nothing of the uploaded name (often the person's) is kept, on any storage.
        return f"original_images/{uuid4().hex}{PurePath(filename).suffix.lower()}"

    def _set_image_file_metadata(self) -> None:
        # Every upload route (single, multiple, replace) calls this before saving.
        self.file.open()
        self.file.seek(0)
        data, extension = image_without_metadata(self.file)
        name = str(PurePath(self.file.name).with_suffix("." + extension).name)
        if self.file._committed:
            # The multiple-upload view stores the original before this hook runs.
            self.file.storage.delete(self.file.name)
            self.file.save(name, ContentFile(data), save=False)
        else:
            self.file = ContentFile(data, name=name)
            self._rebuilt_file = self.file.file
        super()._set_image_file_metadata()

    def generate_rendition_file(self, filter, *, source=None):
        # Willow copies the original's colour profile and EXIF, and Pillow its comment,
        # into each rendition: an original stored before every route re-encoded would
        # pass them on to the public. Its quantisation is kept, so no quality is lost.
        generated = super().generate_rendition_file(filter, source=source)
        generated.seek(0)
        data, extension = image_without_metadata(generated, quality=None)
        name = str(PurePath(generated.name).with_suffix("." + extension))
        return ContentFile(data, name=name)

    def clean(self) -> None:
        super().clean()
        self.assert_picture_may_change()

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed and self.file.file is not self._rebuilt_file:
            # A file set by code (the demo, an import) is rebuilt as the upload views' are.
            self._set_image_file_metadata()
        update_fields = kwargs.get("update_fields")
        if update_fields is None or set(update_fields) & set(PICTURE_FIELDS):
            self.assert_picture_may_change()
        return super().save(*args, **kwargs)

    def assert_picture_may_change(self) -> None:
        """Refuse a new file or focal point while something that cleared this picture for
        the public holds it (an appeal's publicity clearance: appeals register the
        PICTURE_LOCK hook). Every route that changes an image (the edit view, code) ends
        here."""
        if self.pk is None or not self._picture_changed():
            return
        for refusal in hooks.get_hooks(PICTURE_LOCK):
            if message := refusal(image_id=self.pk):
                raise PictureCleared(message, code="picture_cleared")

    def _picture_changed(self) -> bool:
        stored = type(self).objects.filter(pk=self.pk).values(*PICTURE_FIELDS).first()
        if stored is None:
            return False
        current = {field: getattr(self, field) for field in PICTURE_FIELDS}
        current["file"] = self.file.name
        return current != stored

    def create_rendition(self, filter):
        return self._published_like_original(super().create_rendition(filter))

    def create_renditions(self, *filters):
        renditions = super().create_renditions(*filters)
        for rendition in renditions.values():
            self._published_like_original(rendition)
        return renditions

    def _published_like_original(self, rendition):
        # A rendition made after the photo went live (its first public view) is public too.
        store = self.file.storage
        if isinstance(store, PhotoStorage) and store.is_published(self.file.name):
            store.publish(rendition.file.name)
        return rendition

    class Meta(AbstractImage.Meta):
        verbose_name = "image"


class HomewardRendition(AbstractRendition):
    image = models.ForeignKey(HomewardImage, related_name="renditions", on_delete=models.CASCADE)

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class OneChildTypeRoutingMixin:
    """Routing for pages whose children are of known types: one query per level for the
    first type (the busiest), one more for each other type tried.

    Wagtail's routing loads a child as a plain page and then as its specific type;
    knowing the type, one query does both, with whatever the type's ``for_serving()``
    queryset method adds. (Named when it served one type only; migrations name it.)
    """

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        for child_model in self.allowed_subpage_models():
            children = child_model.objects.child_of(self)
            if hasattr(children, "for_serving"):
                children = children.for_serving()
            child = children.filter(slug=path_components[0]).first()
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
        raise Http404


class StandardWordingMixin:
    """A page whose heading and intro staff write in English. In another language it shows
    the standard wording, translated, rather than English under that language's direction."""

    TRANSLATED_HEADING = ""  # each page type's own wording, marked for translation
    TRANSLATED_INTRO = ""

    @property
    def in_english(self) -> bool:
        return get_language() == DEFAULT_LANGUAGE

    @property
    def heading(self) -> str:
        return self.title if self.in_english else str(self.TRANSLATED_HEADING)

    @property
    def lead(self) -> str:
        return self.intro if self.in_english else str(self.TRANSLATED_INTRO)

    @property
    def share_title(self) -> str:
        """The title for the browser and share cards (staff may set an English one)."""
        return (self.seo_title or self.title) if self.in_english else self.heading

    @property
    def share_description(self) -> str:
        return (self.search_description or self.intro) if self.in_english else self.lead


class HomePage(StandardWordingMixin, PublicPageMixin, OneChildTypeRoutingMixin, Page):
    intro = models.TextField(
        max_length=500,
        help_text="One or two sentences under the main heading. In English: other "
        "languages show the standard wording, translated.",
    )

    TRANSLATED_HEADING = gettext_lazy("Have you seen them?")
    TRANSLATED_INTRO = gettext_lazy(
        "Every day, children and adults go missing across the UK. If you recognise someone "
        "here, your call could bring them home safely."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["appeals.AppealIndexPage", "homeward.InformationPage"]
    max_count = 1


# Defined in their own module; imported here so that Django registers them.
from homeward.capabilities import Capability  # noqa: E402, F401
from homeward.information_pages import CharityDetails, InformationPage  # noqa: E402, F401
