"""Imports every feature's models so that the metadata (and Alembic) sees all tables."""

from marketplace.audit.models import AuditEvent
from marketplace.auth.models import User
from marketplace.candidates.models import CandidateProfile, CandidateSkill
from marketplace.cases.models import (
    Case,
    CaseNote,
    CaseTask,
    CheckIn,
    ExportJob,
    ReleaseRecord,
    Reoffence,
    VacancyReport,
)
from marketplace.certificates.models import Certificate, certificate_skill
from marketplace.employers.models import (
    EmployerOrganisation,
    OrganisationInvite,
    OrganisationMember,
    Vacancy,
    VacancySkill,
)
from marketplace.hiring.models import (
    Application,
    ApplicationEvent,
    Disclosure,
    Employment,
    Invitation,
    OfferWithdrawal,
)
from marketplace.incentives.models import (
    BudgetAccount,
    BudgetEntry,
    Claim,
    ClaimApproval,
    ClaimEvent,
    ClaimMonth,
    IncentiveProgramme,
    Payment,
    PaymentRun,
    ProgrammeRuleVersion,
)
from marketplace.indicators.models import (
    IndicatorBudget,
    IndicatorCell,
    IndicatorRefresh,
    IndicatorRow,
)
from marketplace.jobs.models import VacancySearch
from marketplace.matches.models import MatchChange, MatchingWeights, MatchOutcome
from marketplace.notifications.models import Notification
from marketplace.reference.models import City, Occupation, Region, Sector, Skill, SkillSynonym
from marketplace.restrictions.models import CandidateRestriction
from marketplace.uploads.models import StoredFile

__all__ = [
    "BudgetAccount", "BudgetEntry", "ClaimApproval", "ClaimMonth", "Payment", "PaymentRun",
    "Case", "CaseNote", "CaseTask", "CheckIn", "ExportJob", "ReleaseRecord", "Reoffence",
    "VacancyReport",
    "Claim", "ClaimEvent", "IncentiveProgramme", "ProgrammeRuleVersion",
    "Application", "ApplicationEvent", "Disclosure", "Employment", "Invitation",
    "Notification", "OfferWithdrawal", "StoredFile",
    "AuditEvent", "CandidateProfile", "CandidateRestriction", "CandidateSkill", "City",
    "Certificate", "certificate_skill",
    "EmployerOrganisation", "OrganisationInvite",
    "MatchChange", "MatchOutcome", "MatchingWeights", "Occupation", "OrganisationMember",
    "Region", "Sector", "Skill", "SkillSynonym", "User", "Vacancy", "VacancySkill",
    "IndicatorBudget", "IndicatorCell", "IndicatorRefresh", "IndicatorRow",
    "VacancySearch",
]
