"""Core models: administrative units, memberships (roles), reporting periods and the periodic report."""

# Rendered documents (reports/documents/models.py) belong to the reports app too.
from reports.documents.models import RenderedDocument  # noqa: E402, F401, I001

from .periods import (  # noqa: F401
    CUMULATIVE_KINDS,
    PERIOD_LAST_MONTH,
    PERIOD_ORDER,
    PeriodKind,
    PeriodQuerySet,
    ReportingPeriod,
    period_label,
)
from .report import (  # noqa: F401
    SECTION_KEYS,
    DirectiveDocument,
    PartComment,
    PartCommentQuerySet,
    PlanTask,
    Report,
    ReportQuerySet,
    ReportStatus,
    ReportTransition,
    SignerCapacity,
    TaskStatus,
)
from .units import (  # noqa: F401
    REFORM_DATE,
    AdministrativeUnit,
    Membership,
    Role,
    UnitLevel,
    UnitLineage,
    UnitQuerySet,
    UnitType,
)
