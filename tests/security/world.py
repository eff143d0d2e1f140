"""The objects the permission matrix points at, and the steps that put them in a given state.

``build_world()`` makes the expensive, shared part once (inside a transaction rolled back when the
package's tests are done): users (with a reviewer of another province), a complete draft report of
Xã Vĩnh Long for Q2/2024 with a reviewer's comment on its header, its rendered PDF, a consolidated
document of huyện Vĩnh Linh and, with the scoring plug-in, criteria sets (province 45 for 2023 and
2024, huyện Vĩnh Linh and Quảng Bình for 2023), a published 2024 assessment with evidence and a
remediation item, and a finished export. ``Objects`` builds, inside each test's own savepoint, what
a case needs in the state it needs (a submitted report, an assessment in round 2 …): it is the
factory of fresh objects, and every test starts from the same world, so one role's success never
changes the next role's outcome."""

from functools import cached_property

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import services as report_services
from reports.demo import BEFORE, VINH_LINH, VINH_LONG
from reports.models import (
    AdministrativeUnit,
    Membership,
    PartComment,
    Report,
    ReportingPeriod,
    Role,
)
from tests.base_data import OTHER_COMMUNE

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
USERNAMES = {
    "officer": "canbo.vinhlong", "leader": "lanhdao.vinhlong", "reviewer": "noivu.vinhlinh",
    "admin": "quantri", "other_officer": "canbo.hoxa", "outside_reviewer": "noivu.khac",
}
FOREIGN_REVIEWER = "noivu.quangbinh"


def scoring_installed():
    return apps.is_installed("indicators")


def scoring_models():
    from indicators import models

    return models


def seed_document():
    from tests.indicators.scoring_fixtures import seed_document

    return seed_document()


def scoring():
    """The scoring services (``indicators.scoring.services`` after the split, ``indicators.services`` before)."""
    try:
        from indicators.scoring import services
    except ImportError:
        from indicators import services
    return services


def build_export(users, district):
    """The reviewer's ranking workbook of huyện Vĩnh Linh for 2024, finished (a generated file)."""
    from indicators.scoring import workbooks

    documents = document_services()
    document = documents.request_document(workbooks.RANKING, {"unit_id": district.pk, "year": 2024}, "xlsx",
                                          user=users["reviewer"], dispatch=False)
    return {"export_document": documents.render_document(document.pk).pk}


def document_services():
    from reports.documents import services

    return services


# --- scores of seed 003 (the demo commune's 2023 assessment) ---------------------------------------

INPUT_KEYS = ("numerator", "denominator", "count")


def self_scores():
    scores = {}
    for code, entry in seed_document()["scores"].items():
        inputs = {k: entry[k] for k in INPUT_KEYS if k in entry}
        scores[code] = inputs or {"self": entry["self"]}
    return scores


def appraised_scores():
    scores = {}
    for code, entry in seed_document()["scores"].items():
        item = {k: entry[k] for k in INPUT_KEYS if k in entry} or {"score": entry["appraised"]}
        item["comment"] = entry.get("council_comment", "")
        scores[code] = item
    return scores


def advance(assessment, to, users):
    """Move ``assessment`` through the services, from its status to status ``to``."""
    services = scoring()
    S = scoring_models().AssessmentStatus
    order = [S.SELF_ASSESSING, S.SELF_SUBMITTED, S.ROUND1, S.EXPLAINING, S.ROUND2, S.APPROVED, S.PUBLISHED]
    start, target = order.index(assessment.status), order.index(to)

    def step(index):
        return start < index <= target

    if step(1):
        services.save_self_assessment(assessment, self_scores(), actor=users["officer"])
        assessment = services.submit_self_assessment(assessment, actor=users["leader"])
    if step(2):
        assessment = services.appraise(assessment, appraised_scores(), actor=users["reviewer"], round=1)
    if step(3):
        assessment = services.send_for_explanation(assessment, actor=users["reviewer"])
    if step(4):
        assessment = services.finish_explanation(assessment, actor=users["officer"])
    if step(5):
        services.save_remediation(assessment, {"1.4.2": {
            "responsible": "Đ/c Đoàn", "remediation": "Tổ chức tọa đàm", "deadlines": ["2024-10-31"]}},
            actor=users["reviewer"])
        assessment = services.approve_assessment(assessment, actor=users["reviewer"])
    if step(6):
        services.publish_results(assessment.unit.parent, assessment.year, actor=users["reviewer"])
    return scoring_models().Assessment.objects.get(pk=assessment.pk)


# --- the shared world ------------------------------------------------------------------------------

def build_world():
    User = get_user_model()
    users = {role: User.objects.get(username=name) for role, name in USERNAMES.items()}
    quang_binh = AdministrativeUnit.objects.resolve("44", BEFORE)
    foreign = User.objects.create_user(FOREIGN_REVIEWER, email="noivu@quangbinh.example.vn")
    Membership.objects.create(user=foreign, unit=quang_binh, role=Role.REVIEWER)
    users["foreign_reviewer"] = foreign
    vinh_long = AdministrativeUnit.objects.resolve(VINH_LONG, BEFORE)
    vinh_linh = AdministrativeUnit.objects.resolve(VINH_LINH, BEFORE)
    ReportingPeriod.objects.filter(year=2024).update(is_open=True)
    period = ReportingPeriod.objects.get(year=2024, kind="Q2")
    report = report_services.open_report(vinh_long, period, actor=users["officer"])
    report.signer_name, report.place = "Trần Quốc Lương", "Vĩnh Long"  # complete: only permissions stop a submit
    report.save()

    comment = PartComment.objects.create(report=report, part="header", author=users["reviewer"],
                                         text="Ghi rõ số văn bản")
    world = {
        "comment": comment.pk, "users": users, "unit": vinh_long.pk, "other_commune": AdministrativeUnit.objects.resolve(OTHER_COMMUNE, BEFORE).pk,
        "district": vinh_linh.pk, "foreign_province": quang_binh.pk,
        "period": period.pk, "new_period": ReportingPeriod.objects.get(year=2024, kind="Q1").pk,
        "report": report.pk,
    }
    documents = document_services()
    report_pdf = documents.request_document("report", {"report_id": report.pk}, "pdf", dispatch=False)
    world["report_document"] = documents.render_document(report_pdf.pk).pk
    world["consolidated_document"] = documents.request_document(
        "consolidated", {"unit_id": vinh_linh.pk, "period_id": period.pk}, "docx", dispatch=False).pk
    if scoring_installed():
        world.update(build_scoring_world(users, vinh_long, vinh_linh, quang_binh))
    return world


def build_scoring_world(users, vinh_long, vinh_linh, quang_binh):
    """Criteria sets, a published 2024 assessment with evidence and a remediation item, a finished export."""
    from tests.indicators.scoring_fixtures import install_criteria

    models = scoring_models()
    S = models.AssessmentStatus
    services = scoring()
    set_2023 = install_criteria("45", 2023)
    set_2024 = services.copy_criteria_set(set_2023, year=2024, actor=users["admin"])
    district_set = services.copy_criteria_set(set_2023, unit=vinh_linh, year=2023, actor=users["admin"])
    foreign_set = services.copy_criteria_set(set_2023, unit=quang_binh, year=2023, actor=users["admin"])

    published = services.start_assessment(vinh_long, 2024, actor=users["officer"])
    leaf = published.leaves.select_related("criterion").order_by("criterion__position").first()
    services.attach_evidence(published, SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf"),
                             actor=users["officer"], leaf=leaf)
    evidence = models.EvidenceFile.objects.filter(assessment=published).latest("pk")
    published = advance(published, S.PUBLISHED, users)

    letter = document_services().request_document(
        "deduction_letter", {"assessment_id": published.pk}, "pdf", dispatch=False)

    return build_export(users, vinh_linh) | {
        "province": set_2023.unit_id, "set_2023": set_2023.pk, "set_2024": set_2024.pk,
        "district_set": district_set.pk, "foreign_set": foreign_set.pk, "published": published.pk,
        "leaf": leaf.pk, "evidence": evidence.pk,
        "remediation_item": models.RemediationItem.objects.filter(assessment=published).first().pk,
        "letter_document": letter.pk,
    }


class Objects:
    """What one test points at: the world's ids, and objects built on demand in the state a case needs."""

    def __init__(self, world):
        self.world = world
        self.users = {role: get_user_model().objects.get(pk=user.pk) for role, user in world["users"].items()}

    def __getattr__(self, name):
        try:
            return self.__dict__["world"][name]
        except KeyError as error:
            raise AttributeError(name) from error

    # reports
    def report_obj(self):
        return Report.objects.get(pk=self.world["report"])

    @cached_property
    def submitted(self):
        report = report_services.submit_report(self.report_obj(), actor=self.users["leader"])
        return getattr(report, "pk", self.world["report"])

    @cached_property
    def approved(self):
        self.submitted  # noqa: B018 — submit first
        report_services.approve_report(self.report_obj(), actor=self.users["reviewer"])
        return self.world["report"]

    # assessments of 2023 (the world's 2024 one is published)
    def assessment_in(self, status):
        status = getattr(scoring_models().AssessmentStatus, status)
        vinh_long = AdministrativeUnit.objects.get(pk=self.world["unit"])
        assessment = scoring().start_assessment(vinh_long, 2023, actor=self.users["officer"])
        return advance(assessment, status, self.users).pk

    @cached_property
    def self_assessing(self):
        return self.assessment_in("SELF_ASSESSING")

    @cached_property
    def ready_to_submit(self):
        """Self-assessing with every self score entered: only permissions stop a submit."""
        pk = self.assessment_in("SELF_ASSESSING")
        scoring().save_self_assessment(scoring_models().Assessment.objects.get(pk=pk), self_scores(), actor=self.users["officer"])
        return pk

    @cached_property
    def self_submitted(self):
        return self.assessment_in("SELF_SUBMITTED")

    @cached_property
    def round1(self):
        return self.assessment_in("ROUND1")

    @cached_property
    def explaining(self):
        return self.assessment_in("EXPLAINING")

    @cached_property
    def round2(self):
        return self.assessment_in("ROUND2")

    @cached_property
    def approved_assessment(self):
        return self.assessment_in("APPROVED")

    @cached_property
    def published_2023(self):
        return self.assessment_in("PUBLISHED")



__all__ = ["build_world", "Objects", "advance", "PDF"]
