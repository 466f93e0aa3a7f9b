"""The directory's search: names and places as people type them.

A partial name or a small typo finds the person ("Ginev" finds Ginevra, "Kettlewel"
Kettlewell); a place or a force's name finds the appeals of the forces that cover it
("Leeds", "West Yorkshire", "Scotland"). Each word of a search must be like a word of the
person's name or area (pg_trgm's word similarity, accents and case aside), or be found in
their description. On PostgreSQL the database compares (pg_trgm and unaccent, enabled by
a migration); elsewhere (SQLite, for development) the same measure runs in Python over the
candidates, which the other filters have already narrowed to a few hundred at most.
"""

import re
import unicodedata
from collections.abc import Sequence

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.db.models.lookups import Contains, GreaterThanOrEqual

from homeward.models import PoliceForce
from homeward.places import forces_for_place

# pg_trgm's default pg_trgm.word_similarity_threshold: "Ginev" is 0.83 like "Ginevra",
# "Kettlewel" 0.9 like "Kettlewell"; any prefix of a word scores at least 0.67.
WORD_SIMILARITY_THRESHOLD = 0.6
# Description words are found inside the text; shorter ones would be inside everything.
DESCRIPTION_MIN_LENGTH = 3
DESCRIPTION_FIELDS = ("hair", "clothing", "distinguishing_features")
# Words every force's name shares: "police" alone names no force in particular.
FORCE_NAME_FILLER = frozenset({"police", "constabulary", "service", "force", "of", "the", "and"})
# A prefix of a force's last word counts only this long ("West Yorks"): "Wes" is a name.
FORCE_PREFIX_MIN_LENGTH = 4
PLACE_MIN_LENGTH = 3

# The order of results: the name matches every word, then each word matches something of
# the person's, then the force covers the place searched.
NAME_MATCH, TEXT_MATCH, PLACE_MATCH = 2, 1, 0
WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """Lowercase, accents off ("Zoë" → "zoe"), as PostgreSQL's unaccent(lower(...))."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_words(text: str) -> list[str]:
    """The words pg_trgm sees: runs of letters and digits."""
    return WORD.findall(normalise(text))


def _trigrams(word: str) -> list[str]:
    padded = f"  {word} "
    return [padded[start : start + 3] for start in range(len(padded) - 2)]


def word_similarity(needle: str, haystack: str) -> float:
    """pg_trgm's word_similarity(needle, haystack): the best Jaccard similarity between the
    needle's trigrams and any run of consecutive trigrams of the haystack."""
    wanted = {trigram for word in search_words(needle) for trigram in _trigrams(word)}
    ordered = [trigram for word in search_words(haystack) for trigram in _trigrams(word)]
    best = 0.0
    for start in range(len(ordered)):
        extent: set[str] = set()
        for trigram in ordered[start:]:
            extent.add(trigram)
            best = max(best, len(wanted & extent) / len(wanted | extent))
    return best


def forces_named_in(query: str) -> set[int]:
    """The ids of the forces a search names, or whose area it names: a force by its name
    ("West Yorkshire", "Police Scotland"), a town, borough, region or postcode ("Leeds",
    "Croydon", "Wales", "LS6")."""
    words = [word for word in search_words(query) if word not in FORCE_NAME_FILLER]
    if not words:
        return set()
    # A postcode area is one or two letters: "Al" is a name sooner than St Albans.
    place_slugs = forces_for_place(query) if len("".join(words)) >= PLACE_MIN_LENGTH else []
    return {
        force.pk
        for force in PoliceForce.objects.only("pk", "name", "slug")
        if force.slug in place_slugs or _names_words(_force_name_words(force.name), words)
    }


def _force_name_words(name: str) -> list[str]:
    return [word for word in search_words(name) if word not in FORCE_NAME_FILLER]


def _names_words(name_words: Sequence[str], words: Sequence[str]) -> bool:
    """Whether the words run in the name, whole, the last one perhaps a long prefix."""
    *whole, last = words
    for start in range(len(name_words) - len(words) + 1):
        here = name_words[start : start + len(words)]
        if here[:-1] == whole and (
            here[-1] == last or (len(last) >= FORCE_PREFIX_MIN_LENGTH and here[-1].startswith(last))
        ):
            return True
    return False


def appeals_matching(appeals: QuerySet, *, query: str, forces: set[int]) -> QuerySet:
    """The appeals whose name, area or description match every word of the query, or whose
    force is one of ``forces``; best first, then the most recently missing."""
    words = search_words(query)
    if connection.vendor == "postgresql":
        return _matching_in_database(appeals, words=words, forces=forces)
    return _matching_in_python(appeals, words=words, forces=forces)


def _matching_in_database(appeals: QuerySet, *, words: list[str], forces: set[int]) -> QuerySet:
    from django.contrib.postgres.lookups import Unaccent
    from django.contrib.postgres.search import TrigramWordSimilarity

    def plain(field):
        return Unaccent(Lower(F(field)))

    def like(word: str, field: str) -> Q:
        similarity = TrigramWordSimilarity(Unaccent(Lower(Value(word))), plain(field))
        return Q(GreaterThanOrEqual(similarity, WORD_SIMILARITY_THRESHOLD))

    in_name, in_text = Q(), Q()
    for word in words:
        in_name &= like(word, "title")
        matches = like(word, "title") | like(word, "last_seen_area")
        if len(word) >= DESCRIPTION_MIN_LENGTH:
            for field in DESCRIPTION_FIELDS:
                matches |= Q(Contains(plain(field), word))
        in_text &= matches
    tier = Case(
        When(in_name, then=Value(NAME_MATCH)),
        When(in_text, then=Value(TEXT_MATCH)),
        default=Value(PLACE_MATCH),
        output_field=IntegerField(),
    )
    closeness = TrigramWordSimilarity(Value(" ".join(words)), plain("title"))
    return (
        appeals.filter(in_text | Q(police_force_id__in=forces))
        .annotate(search_tier=tier, search_closeness=closeness)
        .order_by("-search_tier", "-search_closeness", "-missing_since", "-pk")
    )


def _matching_in_python(appeals: QuerySet, *, words: list[str], forces: set[int]) -> QuerySet:
    fields = ("pk", "title", "last_seen_area", *DESCRIPTION_FIELDS)
    ranked = []
    for row in appeals.values(*fields, "police_force_id", "missing_since"):
        description = normalise(" ".join(row[field] for field in DESCRIPTION_FIELDS))

        def like(word: str, field: str, row=row) -> bool:
            return word_similarity(word, row[field]) >= WORD_SIMILARITY_THRESHOLD

        in_name = all(like(word, "title") for word in words)
        in_text = all(
            like(word, "title")
            or like(word, "last_seen_area")
            or (len(word) >= DESCRIPTION_MIN_LENGTH and word in description)
            for word in words
        )
        if in_text or row["police_force_id"] in forces:
            tier = NAME_MATCH if in_name else TEXT_MATCH if in_text else PLACE_MATCH
            closeness = word_similarity(" ".join(words), row["title"])
            ranked.append((-tier, -closeness, -row["missing_since"].toordinal(), -row["pk"]))
    order = [-key[-1] for key in sorted(ranked)]
    position = Case(
        *(When(pk=pk, then=Value(place)) for place, pk in enumerate(order)),
        output_field=IntegerField(),
    )
    return appeals.filter(pk__in=order).order_by(position) if order else appeals.none()
