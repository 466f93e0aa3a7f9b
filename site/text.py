"""Characters that make text say something other than it seems.

Control characters (line breaks above all) in a one-line field end up in email headers,
where a line break starts a new header. Direction overrides and invisible characters
change the order in which text is shown, or hide part of it: a report an officer reads
must show what was sent.
"""

import re

from django.core.exceptions import ValidationError

# C0 (tab, line feeds, NUL...), DEL, C1 (NEL...), and Unicode's line and paragraph breaks.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Direction embeddings, overrides and isolates; the Arabic letter mark; zero-width
# spaces, joiners and direction marks; invisible operators; the byte-order mark.
HIDDEN = re.compile("[\u202a-\u202e\u2066-\u2069\u061c\u200b-\u200f\u2060-\u2064\ufeff]")
NOT_ONE_LINE = "Write this on one line, without line breaks, tabs or other control characters."


def validate_single_line(value: str) -> None:
    """For one-line fields: refuse control characters and line breaks."""
    if CONTROL.search(value):
        raise ValidationError(NOT_ONE_LINE, code="control_characters")


def single_line(value: str) -> str:
    """The text on one line: each run of control characters (and the spaces around it)
    becomes one space. For headers and other one-line places, whatever is stored."""
    return re.sub(rf"\s*(?:{CONTROL.pattern}\s*)+", " ", value).strip()


def hidden_characters_shown(value: str, *, multi_line: bool = False) -> str:
    """The text with every direction override, invisible or control character replaced by
    its code in brackets, as "[U+202E]", so what is read is what was sent."""
    keep = "\n\t" if multi_line else ""
    return re.sub(
        f"{HIDDEN.pattern}|{CONTROL.pattern}",
        lambda found: found[0] if found[0] in keep else f"[U+{ord(found[0]):04X}]",
        value.replace("\r\n", "\n") if multi_line else value,
    )


# Arabic-Indic (U+0660 to U+0669) and Persian (U+06F0 to U+06F9) digits, as phones in
# those languages type them.
_DIGITS = {first + n: str(n) for first in (0x0660, 0x06F0) for n in range(10)}


def ascii_digits(value: str) -> str:
    """Numbers typed in Arabic-Indic or Persian digits, read as the digits they are."""
    return value.translate(_DIGITS)
