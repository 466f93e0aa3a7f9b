from appeals.models.pages import (
    AppealIndexPage,
    AppealPage,
    AppealPageQuerySet,
    AppealPermissionTester,
    AppealPhoto,
    years_between,
)
from appeals.models.publicity import (
    PoliceAuthorisation,
    PublicityCheck,
    PublicityCheckTask,
    PublicityDecision,
    PublicityRefused,
    PublicitySettings,
    PublisherApprovalTask,
)
from appeals.models.publicity_record import (
    CampaignFigures,
    ChannelOff,
    PublicityRecord,
    SocialPost,
)
from appeals.models.takedown import AppealTakedown

__all__ = [
    "AppealIndexPage",
    "AppealPage",
    "AppealPageQuerySet",
    "AppealPermissionTester",
    "AppealPhoto",
    "AppealTakedown",
    "CampaignFigures",
    "ChannelOff",
    "PoliceAuthorisation",
    "PublicityCheck",
    "PublicityCheckTask",
    "PublicityDecision",
    "PublicityRecord",
    "PublicityRefused",
    "PublicitySettings",
    "PublisherApprovalTask",
    "SocialPost",
    "years_between",
]
