"""The facilitator directory's models, one module per job: reference territories
(`territories`), the editorial registry of who covers and who leads where (`registry`), the
public page (`pages`), the version row (`changes`), the coordinations that keep it
(`coordinations`), the errors visitors report (`reports`), the import files awaiting
their preview's approval (`imports`) and the facilitators' absences (`absences`). Import them
from here."""

from .absences import Absence
from .changes import DirectoryChange
from .coordinations import Coordination, CoordinationApprovalTask
from .history import TerritoryChange, WhiteZoneSnapshot
from .imports import PendingImport
from .pages import DirectoryPage
from .perimeters import NamedPerimeter, PerimeterMember
from .registry import (
    AuthorityPerimeter,
    ContractingAuthority,
    Facilitator,
    FacilitatorQuerySet,
    FacilitatorTerritory,
    LeadDesignation,
    Structure,
)
from .reports import ErrorReport
from .territories import (
    SPECIFICITY,
    NameKey,
    PostalCode,
    Territory,
    TerritoryManager,
    TerritoryQuerySet,
    name_keys,
)

__all__ = [
    "SPECIFICITY",
    "Absence",
    "AuthorityPerimeter",
    "ContractingAuthority",
    "Coordination",
    "CoordinationApprovalTask",
    "DirectoryChange",
    "DirectoryPage",
    "ErrorReport",
    "Facilitator",
    "FacilitatorQuerySet",
    "FacilitatorTerritory",
    "LeadDesignation",
    "NameKey",
    "NamedPerimeter",
    "PendingImport",
    "PerimeterMember",
    "PostalCode",
    "Structure",
    "Territory",
    "TerritoryManager",
    "TerritoryChange",
    "TerritoryQuerySet",
    "name_keys",
    "WhiteZoneSnapshot",
]
