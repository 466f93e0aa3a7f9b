"""Spotting a mistyped email domain ("gmial.com") before a confirmation goes nowhere."""

from difflib import get_close_matches

COMMON_DOMAINS = (
    "gmail.com",
    "googlemail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "outlook.com",
    "live.co.uk",
    "yahoo.com",
    "yahoo.co.uk",
    "icloud.com",
    "me.com",
    "aol.com",
    "btinternet.com",
    "sky.com",
    "virginmedia.com",
    "protonmail.com",
    "proton.me",
)


def suggested_address(address: str) -> str:
    """The address with a common domain it was probably meant to be, or ''."""
    local, _, domain = address.rpartition("@")
    domain = domain.lower()
    if not local or domain in COMMON_DOMAINS:
        return ""
    matches = get_close_matches(domain, COMMON_DOMAINS, n=1, cutoff=0.8)
    return f"{local}@{matches[0]}" if matches else ""
