"""State changes of criteria sets and PAR-index assessments, one module per concern.

Each verb is one function that runs in ``transaction.atomic()``, locks what it changes
(``select_for_update``), then checks state and the actor's permission on the locked row, records
the transition and raises ``ScoringServiceError`` with a Vietnamese message (and optionally a list
of problems) that views and commands show. Totals, ranks and classification are computed here,
once, when scores change state — never per request.

* ``criteria`` — criteria-set import (phase two), copy, bands;
* ``workflow`` — start, self-assessment, appraisal rounds, explanation, approval, reopening;
* ``adjustments`` — the council's bonus and penalty, and the stored totals;
* ``evidence`` — evidence files; ``remediation`` — council comments, remediation steps;
* ``ranking`` — publication with ranks; ``importer`` — cchc-assessment/1 documents;
* ``inputs`` — inputs of computed leaves from the commune's reports; ``units`` — unit of a code in a year.
"""

from .adjustments import compute_totals, set_adjustment, set_adjustments
from .base import ScoringPermissionError, ScoringServiceError
from .criteria import check_bands, copy_criteria_set, import_criteria_set, update_bands
from .evidence import attach_evidence, detect_content_type
from .importer import check_assessment_document, import_assessment
from .inputs import prefill_inputs
from .ranking import publish_results
from .remediation import mark_remediation_done, save_remediation
from .units import (
    criteria_set_in_force,
    resolve_unit_for_year,
    unit_reference_day,
    year_reference_days,
)
from .workflow import (
    appraise,
    approve_assessment,
    explain,
    finish_explanation,
    reopen,
    save_self_assessment,
    send_for_explanation,
    start_assessment,
    submit_self_assessment,
)

__all__ = [
    "ScoringPermissionError", "ScoringServiceError", "appraise", "approve_assessment", "attach_evidence", "check_assessment_document",
    "check_bands", "compute_totals", "copy_criteria_set", "criteria_set_in_force", "detect_content_type",
    "explain", "finish_explanation", "import_assessment", "import_criteria_set", "mark_remediation_done",
    "prefill_inputs", "publish_results", "reopen", "resolve_unit_for_year", "save_remediation",
    "save_self_assessment", "send_for_explanation", "set_adjustment", "set_adjustments", "start_assessment",
    "submit_self_assessment", "unit_reference_day", "update_bands", "year_reference_days",
]
