"""The partners' API's records, as its OpenAPI schema documents them: public fields only.

Each model lists its fields and forbids others, so the schema is the whole contract: a
field that is not here can neither be sent nor appear in the documentation.
"""

from datetime import date, datetime

from ninja import Schema
from pydantic import ConfigDict, Field


class Record(Schema):
    model_config = ConfigDict(extra="forbid")


class Area(Record):
    slug: str = Field(description="The police force's area, as the `area` filter takes it.")
    name: str


class Rendition(Record):
    url: str
    width: int
    height: int


class Photo(Record):
    alt: str = Field(description="What the photo shows, for people who cannot see it.")
    portrait: Rendition = Field(description="600 by 750, the appeal page's main photo.")
    landscape: Rendition = Field(description="1200 by 630, for sharing.")


class InTheirLanguage(Record):
    language: str = Field(description="A language code, for example `ps` or `uk`.")
    headline: str
    description: str
    message_to_them: str


class Appeal(Record):
    id: int = Field(description="Stable: deletions name appeals by it.")
    name: str = Field(description="The name the family and police agreed to publish.")
    age_when_missing: int | None
    age_text: str = Field(description="For example “15 (now 17)”.")
    is_child: bool
    height_cm: int | None
    height_text: str
    gender: str
    build: str
    hair: str
    clothing: str
    distinguishing_features: str
    last_seen_area: str = Field(description="A town or district, never an address.")
    message: str = Field(description="Words from their family, to them.")
    summary: str
    missing_since: date
    area: Area
    url: str
    short_url: str = Field(description="For print: short, and kept working after the appeal.")
    poster_url: str = Field(
        description="The printable poster; fetching it asks us to tell you when to take it down."
    )
    photos: list[Photo]
    languages: list[InTheirLanguage]
    published_at: datetime | None
    updated_at: datetime | None
    expires_at: datetime | None = Field(
        description="The publicity clearance's review date: stop showing it then unless "
        "this feed still lists it."
    )


class Deleted(Record):
    id: int = Field(description="Remove your copy of this appeal, and any poster of it, now.")
    deleted_at: datetime


class AppealList(Record):
    appeals: list[Appeal]
    deleted: list[Deleted] = Field(
        description="Appeals taken down (in the last 90 days, or since `changed_since`). "
        "No reason is ever given."
    )
    next_changed_since: datetime | None = Field(
        description="Pass it as `changed_since` next time. It overlaps the last poll by a "
        "minute: treat every record as an upsert."
    )


class Briefing(Record):
    id: int
    name: str
    age_text: str
    missing_since: date
    last_seen_area: str
    area: Area
    description: str
    briefed_at: datetime
    expires_at: datetime


class BriefingList(Record):
    briefings: list[Briefing] = Field(
        description="Restricted: never publish, post or display. No public page exists."
    )
    deleted: list[Deleted]
    next_changed_since: datetime | None


class Problem(Record):
    detail: str


class InvalidQuery(Schema):
    detail: list[dict] = Field(description="What is wrong with each parameter.")
