from appeals.models.directory import AppealIndexPage
from appeals.models.pages import (
    AppealPage,
    AppealPageQuerySet,
    AppealPhoto,
    page_hold,
    years_between,
)
from appeals.models.people import Person, PersonEpisode
from appeals.models.permissions import AppealPermissionTester
from appeals.models.publicity import (
    PoliceAuthorisation,
    PublicityCheck,
    PublicityDecision,
    PublicityRefused,
    PublicitySettings,
)
from appeals.models.publicity_record import (
    ChannelOff,
    PublicityRecord,
    PublicityRecordSection,
    SocialPost,
)
from appeals.models.return_home import ReturnHomeInterview
from appeals.models.risk import RiskAssessment, RiskReviewRequest
from appeals.models.short_links import AppealShortLink
from appeals.models.statistics import EpisodeStatistic
from appeals.models.takedown import AppealTakedown
from appeals.models.translations import AppealTranslation
from appeals.models.workflow_tasks import PublicityCheckTask, PublisherApprovalTask

__all__ = [
    "AppealIndexPage",
    "AppealPage",
    "AppealPageQuerySet",
    "AppealPermissionTester",
    "AppealPhoto",
    "AppealShortLink",
    "AppealTakedown",
    "AppealTranslation",
    "ChannelOff",
    "EpisodeStatistic",
    "Person",
    "PersonEpisode",
    "PoliceAuthorisation",
    "PublicityCheck",
    "PublicityCheckTask",
    "PublicityDecision",
    "PublicityRecord",
    "PublicityRecordSection",
    "PublicityRefused",
    "PublicitySettings",
    "PublisherApprovalTask",
    "ReturnHomeInterview",
    "RiskAssessment",
    "RiskReviewRequest",
    "SocialPost",
    "page_hold",
    "years_between",
]
