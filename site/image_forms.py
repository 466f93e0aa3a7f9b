from django.core.exceptions import ValidationError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from homeward.images import UNREADABLE, image_without_metadata


class WholeImageField(WagtailImageField):
    """Wagtail's image field, refusing a file that does not decode to the end.

    Wagtail reads only an image's header (and fails with a server error on some cut-off
    JPEGs); a damaged photo must instead get a message, before it is re-encoded.
    """

    default_error_messages = {
        **WagtailImageField.default_error_messages,
        "undecodable": "This photo could not be read: it may be cut off or damaged. "
        "Try saving it again, or choose another.",
    }

    def to_python(self, data):
        try:
            file = super().to_python(data)
            if file is not None:
                image_without_metadata(file)
                file.seek(0)
        except UNREADABLE as error:
            raise ValidationError(self.error_messages["undecodable"], code="undecodable") from error
        return file


class WholeImageForm(BaseImageForm):
    file = WholeImageField(label="File", widget=BaseImageForm.Meta.widgets["file"])
