"""The public site's languages: which exist, how each is written, and which are offered.

The language of a public page is a function of its URL alone: `/ps/appeals/…` is Pashto,
an address without a language prefix is English. So a shared link opens in the language
it was shared in, and the page cache or a CDN in front (which ignores `Vary`) can never
serve one language's page to a reader of another. Only the home page's bare address asks
the browser, and that answer is a private redirect.

Django's table of languages lacks Pashto, Dari and Tigrinya; they are added to it here,
before the settings name them. Staff pages stay in English: the public addresses they
work out (in emails, posts, purges) must be the unprefixed ones.
"""

from django.conf.locale import LANG_INFO
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers

DEFAULT_LANGUAGE = "en-gb"

# Every language the interface is written for, in the order the switcher lists them.
ALL_LANGUAGES = [
    ("en-gb", "English"),
    ("cy", "Welsh"),
    ("ar", "Arabic"),
    ("fa", "Persian"),
    ("fa-af", "Dari"),
    ("ps", "Pashto"),
    ("ti", "Tigrinya"),
    ("ckb", "Kurdish (Sorani)"),
    ("vi", "Vietnamese"),
    ("sq", "Albanian"),
]

# Each language as its speakers name it, for the switcher (Django's table has "British
# English" and a lower-case "shqip").
NAMES_IN_THEMSELVES = {
    "en-gb": "English",
    "cy": "Cymraeg",
    "ar": "العربية",
    "fa": "فارسی",
    "fa-af": "دری",
    "ps": "پښتو",
    "ti": "ትግርኛ",
    "ckb": "کوردی",
    "vi": "Tiếng Việt",
    "sq": "Shqip",
}

# Written right to left: Pashto and Dari in the Arabic script, as Arabic, Persian and
# Sorani (which Django knows) are. Tigrinya is written in Ge'ez, left to right.
LANG_INFO.update(
    {
        "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
        "fa-af": {"bidi": True, "code": "fa-af", "name": "Dari", "name_local": "دری"},
        "ti": {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "ትግርኛ"},
    }
)

# What Django's get_language_bidi() reads: the part of a code before its region.
RIGHT_TO_LEFT = sorted({code.split("-")[0] for code, _ in ALL_LANGUAGES if LANG_INFO[code]["bidi"]})


# The languages an appeal's own text may be translated into: all but English, its original.
TRANSLATION_LANGUAGES = [(code, name) for code, name in ALL_LANGUAGES if code != DEFAULT_LANGUAGE]


def text_direction(code: str) -> str:
    """The `dir` of text in that language: "rtl" or "ltr"."""
    return "rtl" if LANG_INFO[code]["bidi"] else "ltr"


def language_path(path: str, code: str) -> str:
    """A public page's path in a language, from its path in English (which has no
    prefix): the form i18n_patterns give every public address."""
    return path if code == DEFAULT_LANGUAGE else f"/{code}{path}"


def languages_offered(codes: list[str]) -> list[tuple[str, str]]:
    """The languages named in ``codes`` (the PUBLIC_LANGUAGES setting), English first
    and always; an unknown code is a mistake in the setting, not a language to skip."""
    known = dict(ALL_LANGUAGES)
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise ValueError(f"PUBLIC_LANGUAGES names languages Homeward has no text for: {unknown}")
    wanted = {DEFAULT_LANGUAGE, *codes}
    return [(code, name) for code, name in ALL_LANGUAGES if code in wanted]


class UrlLanguageMiddleware:
    """Use the language the URL names (English without a prefix), before the URL is
    resolved, since i18n_patterns resolve only the active language's prefix.

    Unlike Django's LocaleMiddleware, nothing but the URL decides it: an address has one
    language for every reader, so its pages may be shared and cached. The home page's
    bare address is the one way in that follows the browser's preference, with a
    redirect no shared cache keeps. Place it before the page cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = translation.get_language_from_path(request.path_info) or DEFAULT_LANGUAGE
        if request.path_info == "/" and request.method in ("GET", "HEAD"):
            preferred = _browser_language(request)
            if preferred != DEFAULT_LANGUAGE:
                query = request.META.get("QUERY_STRING")
                return _private(
                    HttpResponseRedirect(f"/{preferred}/" + (f"?{query}" if query else ""))
                )
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        if request.path_info == "/":
            # The page cache behind this keeps the English home page (only readers who
            # prefer English reach it); a CDN, which ignores Vary, must not.
            _private(response)
        response.headers.setdefault("Content-Language", language)
        return response


def _browser_language(request: HttpRequest) -> str:
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _ in translation.trans_real.parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return DEFAULT_LANGUAGE


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ("Accept-Language",))
    return response
