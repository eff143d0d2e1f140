"""The assessment workflow through its services and pages, with seed 003's appraised figures, and
the permission matrix (anonymous, own commune, other commune, reviewer in/out of scope, admin)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc_portal.lib.numbers import format_score
from indicators.models import AssessmentStatus, EvidenceFile, RemediationItem
from indicators.scoring import services
from indicators.scoring.services import ScoringServiceError

from .scoring_fixtures import criteria_2023_fixture, seed_document  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("criteria_2023")]
S = AssessmentStatus


def seed_scores():
    """The appraised scores (or inputs) of seed 003's appendix; full marks elsewhere."""
    scores = {}
    for code, entry in seed_document()["scores"].items():
        item = {k: entry[k] for k in ("numerator", "denominator", "count") if k in entry}
        if not item:
            item["score"] = entry["appraised"]
        item["comment"] = entry.get("council_comment", "")
        scores[code] = item
    return scores


def self_scores():
    return {code: {"self": entry["self"]} for code, entry in seed_document()["scores"].items()
            if not any(k in entry for k in ("numerator", "denominator", "count"))}


@pytest.fixture
def assessment(vinh_long, users):
    return services.start_assessment(vinh_long, 2023, actor=users["officer"])


def run_to_approval(assessment, users, *, explain=True):
    services.save_self_assessment(assessment, self_scores(), actor=users["officer"])
    # computed leaves: the commune gives its inputs too
    services.save_self_assessment(assessment, {code: {k: v for k, v in e.items() if k in ("numerator", "denominator", "count")}
                                               for code, e in seed_scores().items()
                                               if any(k in e for k in ("numerator", "denominator", "count"))},
                                  actor=users["officer"])
    services.submit_self_assessment(assessment, actor=users["leader"])
    round1 = seed_scores()
    round1["1.4.2"] = {"score": 1, "comment": "Chưa có kết quả tọa đàm"}
    services.appraise(assessment, round1, actor=users["reviewer"], round=1)
    services.set_adjustments(assessment, actor=users["reviewer"], bonus=1, bonus_reason="Giải tập thể sáng kiến")
    if explain:
        services.send_for_explanation(assessment, actor=users["reviewer"])
        services.explain(assessment, {"1.4.2": {"explanation": "Đã bổ sung biên bản tọa đàm", "disputed": True}},
                         actor=users["officer"])
        services.finish_explanation(assessment, actor=users["officer"])
        services.appraise(assessment, {"1.4.2": {"score": "1.5", "comment": "Chấp nhận một phần"}},
                          actor=users["reviewer"], round=2)
    services.save_remediation(assessment, {"1.4.2": {"responsible": "Đ/c Đoàn", "remediation": "Tổ chức tọa đàm",
                                                     "deadlines": ["2024-10-31", "2024-12-15"]}},
                              actor=users["reviewer"])
    return services.approve_assessment(assessment, actor=users["reviewer"])


def test_start_prefills_one_row_per_leaf(assessment):
    assert assessment.status == S.SELF_ASSESSING
    assert assessment.leaves.count() == 63
    assessment.criteria_set.refresh_from_db()
    assert assessment.criteria_set.frozen


def test_full_workflow_gives_the_councils_figures(assessment, users, vinh_long):
    assessment = run_to_approval(assessment, users)
    assert assessment.status == S.APPROVED
    assert format_score(assessment.deducted_total) == "12,75"
    assert format_score(assessment.appraised_total) == "87,25"
    assert format_score(assessment.final) == "88,25"
    assert assessment.field_totals["3"]["max"] == "28.00"
    district = vinh_long.parent
    services.publish_results(district, 2023, actor=users["reviewer"])
    assessment.refresh_from_db()
    assert assessment.status == S.PUBLISHED and assessment.rank == 1 and assessment.rank_of == 1
    assert RemediationItem.objects.filter(assessment=assessment).count() == 2


def test_self_submission_requires_every_leaf(assessment, users):
    with pytest.raises(ScoringServiceError) as error:
        services.submit_self_assessment(assessment, actor=users["leader"])
    assert len(error.value.problems) == 63


def test_graded_score_above_max_is_refused_and_nothing_saved(assessment, users):
    with pytest.raises(ScoringServiceError) as error:
        services.save_self_assessment(assessment, {"1.4.1": {"self": "0.5"}, "1.4.2": {"self": 3}},
                                      actor=users["officer"])
    assert error.value.problems == ["Tiêu chí 1.4.2: điểm 3 phải trong khoảng 0..2"]
    assert assessment.leaves.get(criterion__code="1.4.1").self_score is None


def test_computed_leaf_refuses_a_score_that_disagrees_with_its_inputs(assessment, users):
    services.save_self_assessment(assessment, self_scores(), actor=users["officer"])
    with pytest.raises(ScoringServiceError) as error:
        services.save_self_assessment(assessment, {"3.12.2": {"numerator": 118, "denominator": 1245, "self": 1}},
                                      actor=users["officer"])
    assert "0,32" in error.value.problems[0]


# --- Pages and permissions ----------------------------------------------------------------------

@pytest.mark.parametrize("role, expected", [
    (None, 302), ("officer", 200), ("leader", 200), ("other_officer", 404), ("reviewer", 200),
    ("outside_reviewer", 404), ("province_reviewer", 404), ("admin", 200),
])
def test_assessment_page_permissions(as_user, assessment, role, expected):
    assert as_user(role).get(f"/chi-so/danh-gia/{assessment.pk}/").status_code == expected


def test_commune_never_sees_another_communes_self_assessment(as_user, users, assessment, ho_xa):
    other = services.start_assessment(ho_xa, 2023, actor=users["reviewer"])
    services.save_self_assessment(other, {"1.4.1": {"self": "0.9"}}, actor=users["other_officer"])
    client = as_user("officer")
    assert client.get(f"/chi-so/danh-gia/{other.pk}/").status_code == 404
    assert client.get(f"/chi-so/danh-gia/{other.pk}/diem-tru/").status_code == 404
    district = ho_xa.parent
    page = client.get(f"/chi-so/xep-hang/{district.pk}/2023/")
    assert page.status_code == 200 and ho_xa.name not in page.content.decode()


def test_commune_sees_results_only_after_publication(as_user, users, assessment, vinh_long):
    run_to_approval(assessment, users)
    client = as_user("officer")
    assert client.get(f"/chi-so/danh-gia/{assessment.pk}/diem-tru/").status_code == 403
    page = client.get(f"/chi-so/danh-gia/{assessment.pk}/").content.decode()
    assert "88,25" not in page
    services.publish_results(vinh_long.parent, 2023, actor=users["reviewer"])
    page = client.get(f"/chi-so/danh-gia/{assessment.pk}/diem-tru/").content.decode()
    assert "12,75" in page and "87,25" in page and "88,25" in page and "Đ/c Đoàn" in page
    assert "31/10/2024 (đợt 1)" in page


def test_officer_may_edit_self_assessment_but_not_appraise(as_user, assessment):
    client = as_user("officer")
    assert client.get(f"/chi-so/danh-gia/{assessment.pk}/tu-danh-gia/").status_code == 200
    leaf = assessment.leaves.get(criterion__code="1.4.1")
    response = client.post(f"/chi-so/danh-gia/{assessment.pk}/tu-danh-gia/", {f"self-{leaf.pk}": "0,75"})
    assert response.status_code == 302
    leaf.refresh_from_db()
    assert leaf.self_score == Decimal("0.75")
    assert client.get(f"/chi-so/danh-gia/{assessment.pk}/tham-dinh/1/").status_code == 403
    assert as_user("leader").post(f"/chi-so/danh-gia/{assessment.pk}/gui/").status_code == 302


def test_reviewer_cannot_edit_self_assessment(as_user, assessment):
    assert as_user("reviewer").get(f"/chi-so/danh-gia/{assessment.pk}/tu-danh-gia/").status_code == 403


def test_evidence_type_comes_from_content_and_download_is_scoped(as_user, assessment, users):
    leaf = assessment.leaves.get(criterion__code="1.4.1")
    client = as_user("officer")
    fake = SimpleUploadedFile("bao-cao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    client.post(f"/chi-so/danh-gia/{assessment.pk}/minh-chung/{leaf.pk}/", {"file": fake})
    assert not EvidenceFile.objects.exists()
    real = SimpleUploadedFile("anh-chup.bin", b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\nstartxref\n0\n%%EOF\n", content_type="application/octet-stream")
    client.post(f"/chi-so/danh-gia/{assessment.pk}/minh-chung/{leaf.pk}/", {"file": real})
    evidence = EvidenceFile.objects.get()
    assert evidence.content_type == "application/pdf" and evidence.original_name == "anh-chup.bin"
    assert "evidence" in evidence.file.path
    assert client.get(f"/chi-so/minh-chung/{evidence.pk}/").status_code == 200
    assert as_user("other_officer").get(f"/chi-so/minh-chung/{evidence.pk}/").status_code == 404
    assert as_user("outside_reviewer").get(f"/chi-so/minh-chung/{evidence.pk}/").status_code == 404
    assert as_user(None).get(f"/chi-so/minh-chung/{evidence.pk}/").status_code == 302


def test_evidence_size_is_limited(as_user, assessment, settings):
    settings.EVIDENCE_MAX_BYTES = 10
    leaf = assessment.leaves.get(criterion__code="1.4.1")
    big = SimpleUploadedFile("x.pdf", b"%PDF-1.4" + b"0" * 100)
    as_user("officer").post(f"/chi-so/danh-gia/{assessment.pk}/minh-chung/{leaf.pk}/", {"file": big})
    assert not EvidenceFile.objects.exists()


def test_remediation_marked_done_by_commune_and_overdue_for_reviewer(as_user, users, assessment, vinh_long):
    run_to_approval(assessment, users)
    services.publish_results(vinh_long.parent, 2023, actor=users["reviewer"])
    item = RemediationItem.objects.filter(assessment=assessment).order_by("round_no").first()
    overview = as_user("reviewer").get(f"/chi-so/khac-phuc/{vinh_long.parent.pk}/2023/")
    assert overview.status_code == 200 and "Quá hạn" in overview.content.decode()
    assert as_user("officer").get(f"/chi-so/khac-phuc/{vinh_long.parent.pk}/2023/").status_code == 403
    response = as_user("officer").post(f"/chi-so/danh-gia/{assessment.pk}/khac-phuc/",
                                       {"item": item.pk, "note": "Đã tổ chức tọa đàm"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.done and not item.is_overdue()
    assert as_user("reviewer").post(f"/chi-so/danh-gia/{assessment.pk}/khac-phuc/", {"item": item.pk}).status_code == 403
