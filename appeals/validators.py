import re

from django.core.exceptions import ValidationError

# A full UK postcode such as "LS1 4AP" (a district such as "M14" alone is fine).
UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.IGNORECASE)
# A house number or flat before a street, e.g. "12 Hill Road", "Flat 3".
STREET_ADDRESS = re.compile(
    r"\b(flat|apartment|apt|unit)\s*\d+|\b\d+[a-z]?\s+\w+(\s+\w+)?\s+"
    r"(street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|crescent|grove|court|place|"
    r"gardens|terrace|walk|row|mews|square)\b",
    re.IGNORECASE,
)


def validate_area_not_address(value: str) -> None:
    """The last-seen area is a town or district: an address could lead someone home."""
    if UK_POSTCODE.search(value) or STREET_ADDRESS.search(value):
        raise ValidationError(
            "Give a town or district only, such as “Leeds city centre” or “Moss Side”. "
            "A street address or postcode could lead someone to the person or their family.",
            code="address",
        )
