"""The permission matrix: every named URL of every app, its methods, the objects it points at (built
from the world, see world.py), a minimal valid POST payload, and the expected status per role.

Expected statuses are the rules of issue 8, not what the code happens to return: anonymous → 302
to the login page; out of the user's scope (or no such object) → 404; in scope but not allowed,
by role or by the object's state (the superuser is never exempt from a state rule) → 403; allowed → the
view's real success status (200 for a page, 302 for a POST that redirects on success). A POST's
``probe`` reads the state it changes: it must change for the roles that succeed (``changers``, by
default every role that gets a 2xx/3xx) and stay the same for every other role.

Payload-scoped uploads (the unit is named inside the file or a form field, not in the URL) refuse
with 422 and the problem listed: there is no object in the URL to be 404 about."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from reports.documents.models import RenderedDocument
from reports.models import PartComment, Report

from .payloads import leaf_payload, part_payload

USERS = ["officer", "other_officer", "leader", "reviewer", "outside_reviewer", "foreign_reviewer", "admin"]


def row(*statuses):
    """Expected statuses in the order of ``USERS``."""
    return dict(zip(USERS, statuses, strict=True))


#              officer other  leader reviewer outside foreign admin
EVERYONE = row(200,    200,   200,   200,     200,    200,    200)
READ = row(200,        404,   200,   200,     404,    404,    200)
EDIT = row(302,        404,   302,   403,     404,    404,    302)
SUBMIT = row(403,      404,   302,   403,     404,    404,    302)
REVIEW = row(403,      404,   403,   302,     404,    404,    302)
REVIEWER_PAGE = row(403, 403, 403,   200,     200,    200,    200)
COMMUNE_ONLY = row(200, 404,  200,   403,     404,    404,    200)  # a commune's entry screen
REVIEW_PAGE = row(403,  404,  403,   200,     404,    404,    200)  # a reviewer's screen of a commune
DISTRICT_REVIEW = row(403, 403, 403, 302,     404,    404,    302)  # a reviewer's action on huyện Vĩnh Linh
DISTRICT_PAGE = row(403, 403, 403,   200,     404,    404,    200)
LOCKED = row(403,      404,   403,   403,     404,    404,    403)  # in scope, refused by the object's state
DISTRICT_FILE = row(404, 404,  404,   200,     404,    404,    200)  # a generated file of huyện Vĩnh Linh


@dataclass
class Case:
    name: str
    method: str
    kwargs: Callable = lambda o: {}
    expected: dict = field(default_factory=dict)
    data: Callable | None = None
    probe: Callable | None = None
    changers: tuple | None = None
    variant: str = ""

    @property
    def id(self):
        return f"{self.method}-{self.name}" + (f"[{self.variant}]" if self.variant else "")


def get(name, kwargs, expected, variant=""):
    return Case(name, "get", kwargs, expected, variant=variant)


def post(name, kwargs, expected, data=lambda o: {}, probe=None, changers=None, variant=""):
    return Case(name, "post", kwargs, expected, data, probe, changers, variant)


# --- kwargs and probes --------------------------------------------------------------------------------

def report(o):
    return {"pk": o.report}


def report_part(o):
    return {"report_pk": o.report}


def status_of_report(o):
    return Report.objects.get(pk=o.report).status


def revision_of(key):
    return lambda o: Report.objects.get(pk=o.report).part_revision(key)


def documents(o):
    return RenderedDocument.objects.count()


def scoring_model(name):
    from indicators import models

    return getattr(models, name)


def status_of(attribute):
    return lambda o: scoring_model("Assessment").objects.get(pk=getattr(o, attribute)).status


def part_post(url_name, key, **changes):
    return post(url_name, report_part, EDIT, lambda o: part_payload(url_name, o.report, **changes),
                probe=revision_of(key))


def report_file(o, pk=None):
    """The report as its own export file (cchc-report/1), uploaded back."""
    import json

    from reports.interchange import export_report

    data = json.dumps(export_report(Report.objects.get(pk=pk or o.report)), ensure_ascii=False).encode()
    return {"file": SimpleUploadedFile("bao-cao.json", data, "application/json")}


def criteria_file(o):
    from django.conf import settings

    csv = (settings.BASE_DIR / "fixtures" / "criteria-commune.csv").read_bytes()
    return {"unit": o.district, "year": 2024, "code": "VL-2024", "name": "Bộ tiêu chí thử",
            "file": SimpleUploadedFile("criteria-commune.csv", csv, "text/csv")}


def sets_count(o):
    return scoring_model("CriteriaSet").objects.count()


def bands_of(attribute):
    return lambda o: scoring_model("CriteriaSet").objects.get(pk=getattr(o, attribute)).bands


def has_url(name):
    from django.urls import get_resolver

    return name in get_resolver().reverse_dict


# Exports are kinds of the core's generated files: the start redirects to the document's status
# page; the workbook is watched and downloaded through the core's document URLs.
EXPORT_START = DISTRICT_REVIEW


def leaf_of(attribute):
    def kwargs(o):
        pk = getattr(o, attribute)
        return {"pk": pk, "leaf_pk": scoring_model("Assessment").objects.get(pk=pk).leaves.order_by("pk").first().pk}
    return kwargs


# --- the table ----------------------------------------------------------------------------------------

CORE_CASES = [
    # reports: home, units, reports, parts, workflow, comments, the reviewer's period
    get("home", lambda o: {}, EVERYONE),
    get("unit-list", lambda o: {}, EVERYONE),
    get("unit-detail", lambda o: {"pk": o.unit}, READ),
    post("report-open", lambda o: {"unit_pk": o.unit, "period_pk": o.new_period}, EDIT,
         probe=lambda o: Report.objects.filter(unit=o.unit, period=o.new_period).exists()),
    get("report-import", lambda o: {}, EVERYONE),
    post("report-import", lambda o: {}, row(200, 422, 200, 422, 422, 422, 200), report_file),
    # Imports obey the entry screens' rules: a submitted report is refused to everyone, the superuser too.
    post("report-import", lambda o: {}, row(*[422] * 7), lambda o: report_file(o, o.submitted),
         variant="submitted report"),
    get("report-export", report, READ),
    get("report-overview", report, READ),
    get("report-history", report, READ),
    get("part-header", report_part, READ),
    part_post("part-header", "header", **{"header-place": "Xã Vĩnh Long (mới)"}),
    get("part-direction", report_part, READ),
    part_post("part-direction", "direction"),
    get("part-prose", report_part, READ),
    part_post("part-prose", "prose"),
    post("report-submit", report, SUBMIT, probe=status_of_report),
    # State rules bind everyone, the superuser too: a submitted report is nobody's to edit or submit.
    post("part-header", lambda o: {"report_pk": o.submitted}, LOCKED,
         lambda o: part_payload("part-header", o.submitted, **{"header-place": "Sửa sau khi gửi"}),
         probe=revision_of("header"), variant="submitted report"),
    post("report-submit", lambda o: {"pk": o.submitted}, LOCKED, probe=lambda o: Report.objects.get(
        pk=o.report).transitions.count(), variant="already submitted"),
    post("report-return", lambda o: {"pk": o.submitted}, REVIEW, lambda o: {"reason": "Thiếu số liệu"},
         probe=status_of_report),
    post("report-approve", lambda o: {"pk": o.submitted}, REVIEW, probe=status_of_report),
    post("report-reopen", lambda o: {"pk": o.approved}, REVIEW, lambda o: {"reason": "Sửa ngày ký"},
         probe=status_of_report),
    post("report-return", report, LOCKED, lambda o: {"reason": "Thiếu số liệu"}, probe=status_of_report,
         variant="draft"),
    post("report-approve", report, LOCKED, probe=status_of_report, variant="draft"),
    post("report-reopen", lambda o: {"pk": o.submitted}, LOCKED, lambda o: {"reason": "Sửa ngày ký"},
         probe=status_of_report, variant="not approved"),
    post("report-comment", lambda o: {"pk": o.report, "part": "header"}, REVIEW, lambda o: {"text": "Thiếu số"},
         probe=lambda o: PartComment.objects.count()),
    post("report-comment", lambda o: {"pk": o.report, "part": "khong-co"}, row(*[404] * 7),  # no such part
         lambda o: {"text": "Thiếu số"}, probe=lambda o: PartComment.objects.count(), variant="made-up part"),
    get("review-period", lambda o: {"period_pk": o.period}, REVIEWER_PAGE),
    post("review-period", lambda o: {"period_pk": o.period}, row(403, 403, 403, 302, 302, 302, 302),
         lambda o: {"report": [o.submitted]}, probe=status_of_report, changers=("reviewer", "admin")),

    # documents (reports.documents)
    get("report-documents", report, READ),
    post("report-document-request", lambda o: {"pk": o.report, "fmt": "docx"}, row(302, 404, 302, 302, 404, 404, 302),
         probe=documents),
    get("report-document-download", lambda o: {"pk": o.report, "document_pk": o.report_document}, READ),
    get("report-document-preview", lambda o: {"pk": o.report, "document_pk": o.report_document}, READ),
    get("period-documents", lambda o: {"period_pk": o.period}, REVIEWER_PAGE),
    post("consolidated-document-request", lambda o: {"period_pk": o.period, "unit_pk": o.district, "fmt": "pdf"},
         DISTRICT_REVIEW, probe=documents),
    post("period-zip-request", lambda o: {"period_pk": o.period, "unit_pk": o.district, "fmt": "docx"},
         DISTRICT_REVIEW, probe=documents),
    get("document-status", lambda o: {"pk": o.report_document}, READ),
    get("document-status", lambda o: {"pk": o.consolidated_document}, DISTRICT_FILE,
        variant="consolidated"),
    post("consolidated-document-request", lambda o: {"period_pk": o.period, "unit_pk": o.unit, "fmt": "pdf"},
         row(403, 403, 403, 404, 404, 404, 404), probe=documents, variant="a commune"),
    get("document-download", lambda o: {"pk": o.report_document}, READ),
    get("document-preview", lambda o: {"pk": o.report_document}, READ),

]

PROCEDURES_CASES = [
    get("part-one-stop", report_part, READ),
    part_post("part-one-stop", "one_stop", **{"one_stop-direct": "5"}),
    get("one-stop-rates", report_part, READ),
    get("part-procedures", report_part, READ),
    part_post("part-procedures", "procedures"),

]

INDICATORS_CASES = [
    # the statistics appendix
    get("part-appendix", report_part, READ),
    part_post("part-appendix", "appendix"),

    # PAR-index scoring
    post("letter-document-request", lambda o: {"assessment_pk": o.published, "fmt": "docx"},
         row(302, 404, 302, 302, 404, 404, 302), probe=documents),
    post("letter-document-request", lambda o: {"assessment_pk": o.approved_assessment, "fmt": "docx"},
         row(403, 404, 403, 302, 404, 404, 302), probe=documents, variant="approved, unpublished"),
    get("scoring-home", lambda o: {}, EVERYONE),
    get("criteria-set-list", lambda o: {}, EVERYONE),
    get("criteria-import", lambda o: {}, REVIEWER_PAGE),
    post("criteria-import", lambda o: {}, row(403, 403, 403, 200, 422, 422, 200), criteria_file),
    get("criteria-set-detail", lambda o: {"pk": o.set_2023}, row(200, 200, 200, 200, 200, 404, 200),
        variant="province 45"),
    get("criteria-set-detail", lambda o: {"pk": o.district_set}, row(200, 200, 200, 200, 404, 404, 200),
        variant="huyện Vĩnh Linh"),
    get("criteria-set-detail", lambda o: {"pk": o.foreign_set}, row(404, 404, 404, 404, 404, 200, 200),
        variant="Quảng Bình"),
    post("criteria-set-copy", lambda o: {"pk": o.district_set}, row(403, 403, 403, 302, 404, 404, 302),
         probe=sets_count, variant="huyện Vĩnh Linh"),
    post("criteria-set-copy", lambda o: {"pk": o.foreign_set}, row(404, 404, 404, 404, 404, 302, 302),
         probe=sets_count, variant="Quảng Bình"),
    post("criteria-set-copy", lambda o: {"pk": o.set_2024}, row(403, 403, 403, 403, 403, 404, 302),
         probe=sets_count, variant="province 45"),
    post("criteria-set-bands", lambda o: {"pk": o.district_set}, row(403, 403, 403, 302, 404, 404, 302),
         lambda o: {"bands": "90 Xuất sắc\n70 Tốt\n0 Chưa đạt"}, probe=bands_of("district_set")),
    post("assessment-start", lambda o: {"unit_pk": o.unit, "year": 2023}, row(302, 404, 302, 302, 404, 404, 302),
         probe=lambda o: scoring_model("Assessment").objects.filter(unit=o.unit, year=2023).exists()),
    get("assessment-detail", lambda o: {"pk": o.published}, READ),
    get("assessment-self", lambda o: {"pk": o.self_assessing}, COMMUNE_ONLY),
    post("assessment-self", lambda o: {"pk": o.self_assessing}, EDIT,
         lambda o: leaf_payload("assessment-self", pk=o.self_assessing)),
    post("assessment-self", lambda o: {"pk": o.self_submitted}, LOCKED,
         lambda o: leaf_payload("assessment-self", pk=o.self_submitted), probe=status_of("self_submitted"),
         variant="already submitted"),
    get("assessment-appraise", lambda o: {"pk": o.self_submitted, "round": 1}, REVIEW_PAGE),
    post("assessment-appraise", lambda o: {"pk": o.self_submitted, "round": 1}, REVIEW,
         lambda o: leaf_payload("assessment-appraise", pk=o.self_submitted, round=1),
         probe=status_of("self_submitted")),
    get("assessment-appraise", lambda o: {"pk": o.round2, "round": 2}, REVIEW_PAGE, variant="round 2"),
    post("assessment-appraise", lambda o: {"pk": o.round2, "round": 2}, REVIEW,
         lambda o: leaf_payload("assessment-appraise", pk=o.round2, round=2),
         probe=lambda o: scoring_model("Assessment").objects.get(pk=o.round2).transitions.count(),
         changers=(), variant="round 2"),
    get("assessment-explain", lambda o: {"pk": o.explaining}, COMMUNE_ONLY),
    post("assessment-explain", lambda o: {"pk": o.explaining}, EDIT,
         lambda o: leaf_payload("assessment-explain", pk=o.explaining)),
    get("assessment-council", lambda o: {"pk": o.round1}, REVIEW_PAGE),
    post("assessment-council", lambda o: {"pk": o.round1}, REVIEW,
         lambda o: leaf_payload("assessment-council", pk=o.round1)),
    post("assessment-adjustments", lambda o: {"pk": o.round1}, REVIEW,
         lambda o: {"bonus": "1", "bonus_reason": "Sáng kiến", "penalty": "", "penalty_reason": ""},
         probe=lambda o: list(scoring_model("Assessment").objects.get(pk=o.round1).adjustments.values_list("kind", "points"))),
    post("assessment-submit", lambda o: {"pk": o.ready_to_submit}, SUBMIT, probe=status_of("ready_to_submit")),
    post("assessment-submit", lambda o: {"pk": o.self_submitted}, LOCKED, probe=status_of("self_submitted"),
         variant="already submitted"),
    post("assessment-finish-explanation", lambda o: {"pk": o.round1}, LOCKED, probe=status_of("round1"),
         variant="not explaining"),
    post("assessment-approve", lambda o: {"pk": o.self_assessing}, LOCKED, probe=status_of("self_assessing"),
         variant="self-assessing"),
    post("assessment-send-explanation", lambda o: {"pk": o.round1}, REVIEW, probe=status_of("round1")),
    post("assessment-finish-explanation", lambda o: {"pk": o.explaining}, EDIT, probe=status_of("explaining")),
    post("assessment-approve", lambda o: {"pk": o.round1}, REVIEW, probe=status_of("round1")),
    post("assessment-reopen", lambda o: {"pk": o.published}, REVIEW, lambda o: {"reason": "Sai điểm 1.4.2"},
         probe=status_of("published")),
    post("evidence-upload", leaf_of("self_assessing"), row(302, 404, 302, 302, 404, 404, 302),
         lambda o: {"file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n", "application/pdf")},
         probe=lambda o: scoring_model("EvidenceFile").objects.count()),
    post("evidence-upload", lambda o: {"pk": o.self_assessing, "leaf_pk": o.leaf}, row(*[404] * 7),
         lambda o: {"file": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n", "application/pdf")},
         probe=lambda o: scoring_model("EvidenceFile").objects.count(), variant="leaf of another assessment"),
    get("evidence-download", lambda o: {"pk": o.evidence}, READ),
    get("assessment-deductions", lambda o: {"pk": o.published}, READ),
    get("assessment-deductions", lambda o: {"pk": o.approved_assessment}, REVIEW_PAGE, variant="unpublished"),
    get("assessment-remediation", lambda o: {"pk": o.published}, READ),
    post("assessment-remediation", lambda o: {"pk": o.published}, EDIT,
         lambda o: {"item": o.remediation_item, "note": "Đã tổ chức tọa đàm"},
         probe=lambda o: scoring_model("RemediationItem").objects.get(pk=o.remediation_item).done),
    post("assessment-remediation", lambda o: {"pk": o.published_2023}, row(404, 404, 404, 403, 404, 404, 404),
         lambda o: {"item": o.remediation_item, "note": "Đã tổ chức tọa đàm"},
         probe=lambda o: scoring_model("RemediationItem").objects.get(pk=o.remediation_item).done,
         variant="item of another assessment"),
    get("ranking", lambda o: {"unit_pk": o.district, "year": 2024}, row(200, 200, 200, 200, 404, 404, 200)),
    get("ranking", lambda o: {"unit_pk": o.unit, "year": 2024}, row(*[404] * 7), variant="a commune"),
    post("ranking-publish", lambda o: {"unit_pk": o.district, "year": 2023}, DISTRICT_REVIEW,
         probe=status_of("approved_assessment")),
    get("remediation-overview", lambda o: {"unit_pk": o.district, "year": 2024}, DISTRICT_PAGE),
    post("export-start", lambda o: {}, EXPORT_START,
         lambda o: {"kind": "ranking", "unit": o.district, "year": 2023}, probe=documents),
    post("export-start", lambda o: {}, EXPORT_START,
         lambda o: {"kind": "indicator_matrix", "unit": o.district, "period": o.period}, probe=documents,
         variant="indicator matrix"),
    get("document-status", lambda o: {"pk": o.letter_document}, READ, variant="deduction letter"),
    get("document-status", lambda o: {"pk": o.export_document}, DISTRICT_FILE, variant="ranking workbook"),
    get("document-download", lambda o: {"pk": o.export_document}, DISTRICT_FILE, variant="ranking workbook"),
]

# Without the scoring plug-in the letter's kind is not registered: the core's URL (if it still has
# it) answers 404 to everyone.
WITHOUT_INDICATORS = [
    post("letter-document-request", lambda o: {"assessment_pk": 1, "fmt": "docx"}, row(*[404] * 7), probe=documents),
]


def installed_cases():
    """The cases of the installed apps (CCHC_PLUGINS): the core's always."""
    cases = list(CORE_CASES)
    if apps.is_installed("procedures"):
        cases += PROCEDURES_CASES
    if apps.is_installed("indicators"):
        cases += INDICATORS_CASES
    else:
        cases += [case for case in WITHOUT_INDICATORS if has_url(case.name)]
    return cases


CASES = installed_cases()
