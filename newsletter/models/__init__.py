from newsletter.models.heroes import (
    ALL_OF_UK,
    ALL_OF_UK_NAMED,
    STANDARD_WORDING,
    Campaign,
    Delivery,
    Hero,
    HeroConsent,
    NewsletterSettings,
)
from newsletter.models.partners import (
    Partner,
    PartnerAccess,
    PartnerKey,
    PartnerNotice,
    PosterFetch,
)

__all__ = [
    "ALL_OF_UK",
    "ALL_OF_UK_NAMED",
    "STANDARD_WORDING",
    "Campaign",
    "Delivery",
    "Hero",
    "HeroConsent",
    "NewsletterSettings",
    "Partner",
    "PartnerAccess",
    "PartnerKey",
    "PartnerNotice",
    "PosterFetch",
]
