"""How the triage screens put times and reported text into words."""

from datetime import datetime

from homeward.text import hidden_characters_shown


def waited(received_at: datetime, now: datetime) -> str:
    """How long a sighting has waited, in the largest units that matter: "2 d 4 h", "12 min"."""
    minutes = max(int((now - received_at).total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def person_name(user) -> str:
    """A member of staff as the triage screens and messages name them."""
    return user.get_full_name() or user.get_username()


def shown_plainly(value) -> str:
    """Reported text as officers must read it: direction overrides, invisible and control
    characters shown by their code ("[U+202E]"), so the words cannot appear reordered or
    hide part of what was sent. Line breaks and tabs stay."""
    return hidden_characters_shown("" if value is None else str(value), multi_line=True)


# What makes a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = {"=", "+", "-", "@", "\t", "\r"}


def spreadsheet_safe(value) -> str:
    """Reporters' words as officers must read them, and never run as formulas when the
    file is opened in a spreadsheet (which skips leading spaces and line breaks)."""
    text = shown_plainly(value)
    starts_formula = text[:1] in FORMULA_STARTS or text.lstrip()[:1] in FORMULA_STARTS
    return f"'{text}" if starts_formula else text
