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

__all__ = [
    "AppealIndexPage",
    "AppealPage",
    "AppealPageQuerySet",
    "AppealPermissionTester",
    "AppealPhoto",
    "PoliceAuthorisation",
    "PublicityCheck",
    "PublicityCheckTask",
    "PublicityDecision",
    "PublicityRefused",
    "PublicitySettings",
    "PublisherApprovalTask",
    "years_between",
]
