from tamyr.members.models.people import (
    CURRENT_STATUSES,
    ENDED_STATUSES,
    AdmissionBody,
    Application,
    ApplicationStatus,
    Education,
    Entry,
    EventKind,
    Gender,
    Membership,
    MembershipCard,
    MembershipEvent,
    MembershipStatus,
    Person,
    Sector,
    search_key,
)

__all__ = [
    "CURRENT_STATUSES",
    "ENDED_STATUSES",
    "AdmissionBody",
    "Application",
    "ApplicationStatus",
    "Education",
    "Entry",
    "EventKind",
    "Gender",
    "Membership",
    "MembershipCard",
    "MembershipEvent",
    "MembershipStatus",
    "Person",
    "Sector",
    "search_key",
]
from tamyr.members.models.awards import AwardKind, AwardType, Ceremony, Conferral
from tamyr.members.models.discipline import (
    AppealOutcome,
    CaseOutcome,
    CaseStatus,
    DisciplineCase,
    Penalty,
)

__all__ += [
    "AppealOutcome",
    "AwardKind",
    "AwardType",
    "CaseOutcome",
    "CaseStatus",
    "Ceremony",
    "Conferral",
    "DisciplineCase",
    "Penalty",
]
from tamyr.members.models.deputies import Assembly, Deputy  # noqa: E402

__all__ += ["Assembly", "Deputy"]
from tamyr.members.models.imports import (  # noqa: E402
    ImportMode,
    ImportProblem,
    ImportStatus,
    MemberImport,
)

__all__ += ["ImportMode", "ImportProblem", "ImportStatus", "MemberImport"]
