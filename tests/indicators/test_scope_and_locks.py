"""The holes issue 8 names, closed: criteria sets and exports through the scope, the import of an
assessment by the workflow's rules, the services' own permission check on the locked row, and the
admin's adjustments through the service that recomputes the stored totals."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from indicators.models import (
    Adjustment,
    Assessment,
    AssessmentStatus,
    CriteriaSet,
)
from indicators.scoring import services
from indicators.scoring.services import ScoringServiceError, import_assessment
from indicators.scoring.services.base import ScoringPermissionError
from reports.demo import BEFORE, VINH_LINH
from reports.documents import services as document_services
from reports.documents.models import DocumentStatus, RenderedDocument
from reports.models import AdministrativeUnit, Membership, Role

from .scoring_fixtures import (  # noqa: F401
    criteria_2023_fixture,
    install_criteria,
    scored_document,
    seed_document,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("criteria_2023")]
S = AssessmentStatus


def other_district():
    vinh_linh = AdministrativeUnit.objects.resolve(VINH_LINH, BEFORE)
    return (AdministrativeUnit.objects.filter(level="district", parent=vinh_linh.parent).exclude(pk=vinh_linh.pk)
            .order_by("code").first())


@pytest.fixture
def foreign_set():
    """A set issued by another district of the province (the outside reviewer's) for 2023."""
    return install_criteria(other_district().code, 2023)


# --- criteria sets through the scope ------------------------------------------------------------

def test_reviewer_gets_404_for_a_criteria_set_of_another_district(as_user, foreign_set, criteria_2023):
    client = as_user("reviewer")
    assert client.get(f"/chi-so/bo-tieu-chi/{foreign_set.pk}/").status_code == 404
    assert client.post(f"/chi-so/bo-tieu-chi/{foreign_set.pk}/sao-chep/").status_code == 404
    assert client.get(f"/chi-so/bo-tieu-chi/{criteria_2023.pk}/").status_code == 200  # the province's own set
    listing = client.get("/chi-so/bo-tieu-chi/").content.decode()
    assert f"/chi-so/bo-tieu-chi/{criteria_2023.pk}/" in listing
    assert f"/chi-so/bo-tieu-chi/{foreign_set.pk}/" not in listing
    assert as_user("outside_reviewer").get(f"/chi-so/bo-tieu-chi/{foreign_set.pk}/").status_code == 200


def test_reviewer_gets_404_for_a_criteria_set_of_another_province(as_user, users):
    merged = install_criteria("44", 2025)  # Quảng Trị after the reform: not above the Vĩnh Linh district
    assert as_user("reviewer").get(f"/chi-so/bo-tieu-chi/{merged.pk}/").status_code == 404
    assert as_user("province_reviewer").get(f"/chi-so/bo-tieu-chi/{merged.pk}/").status_code == 200
    assert list(CriteriaSet.objects.for_user(users["reviewer"]).filter(pk=merged.pk)) == []
    assert list(CriteriaSet.objects.for_user(users["admin"]).filter(pk=merged.pk)) == [merged]


def test_commune_sees_the_set_that_applies_to_it_but_cannot_change_it(as_user, criteria_2023, foreign_set):
    client = as_user("officer")
    assert client.get(f"/chi-so/bo-tieu-chi/{criteria_2023.pk}/").status_code == 200
    assert client.get(f"/chi-so/bo-tieu-chi/{foreign_set.pk}/").status_code == 404
    assert client.post(f"/chi-so/bo-tieu-chi/{criteria_2023.pk}/xep-loai/", {"bands": "90 Xuất sắc"}).status_code == 403


def test_bands_service_asks_the_permission_on_the_locked_set(users, criteria_2023):
    with pytest.raises(PermissionDenied):
        services.update_bands(criteria_2023, [{"min": 50, "label": "Đạt"}], actor=users["officer"])
    criteria_2023.refresh_from_db()
    assert criteria_2023.bands[0]["label"] == "Xuất sắc"


# --- exports: download checks what start checks ---------------------------------------------------

def finished_ranking_job(client, district, monkeypatch):
    """The ranking workbook asked for from the ranking page and rendered (a generated file)."""
    monkeypatch.setattr(document_services, "send_render", lambda document_id: None)
    response = client.post("/chi-so/xuat/", {"kind": "ranking", "unit": district.pk, "year": 2023})
    assert response.status_code == 302
    document = document_services.render_document(RenderedDocument.objects.get().pk)
    assert document.status == DocumentStatus.DONE and document.unit == district
    return document


def test_export_download_refused_after_the_requester_lost_the_reviewer_role(as_user, users, monkeypatch):
    import_assessment(seed_document(), actor=None)
    district = AdministrativeUnit.objects.resolve(VINH_LINH, BEFORE)
    client = as_user("reviewer")
    job = finished_ranking_job(client, district, monkeypatch)
    assert client.get(f"/van-ban/{job.pk}/tai/").status_code == 200
    # The reviewer becomes an officer of a commune of the same district: still sees that commune,
    # no longer reviews the district.
    reviewer = users["reviewer"]
    Membership.objects.filter(user=reviewer).delete()
    Membership.objects.create(user=reviewer, unit=AdministrativeUnit.objects.resolve("19387", BEFORE),
                              role=Role.OFFICER)
    assert client.post("/chi-so/xuat/", {"kind": "ranking", "unit": district.pk, "year": 2023}).status_code == 403
    assert client.get(f"/van-ban/{job.pk}/tai/").status_code == 404  # the district left their scope
    assert client.get(f"/van-ban/{job.pk}/").status_code == 404
    Membership.objects.filter(user=reviewer).delete()
    assert client.get(f"/van-ban/{job.pk}/tai/").status_code == 404


def test_export_files_are_scoped_to_their_unit(users, monkeypatch, as_user):
    """A workbook is a generated file of its district: every reviewer of it (not only the one who
    asked) downloads the same file; nobody else."""
    import_assessment(seed_document(), actor=None)
    district = AdministrativeUnit.objects.resolve(VINH_LINH, BEFORE)
    job = finished_ranking_job(as_user("reviewer"), district, monkeypatch)
    assert list(RenderedDocument.objects.for_user(users["reviewer"])) == [job]
    assert list(RenderedDocument.objects.for_user(users["province_reviewer"])) == []
    assert as_user("admin").get(f"/van-ban/{job.pk}/tai/").status_code == 200
    assert as_user("outside_reviewer").get(f"/van-ban/{job.pk}/tai/").status_code == 404


# --- import of an assessment by the workflow's rules ----------------------------------------------

def test_import_over_an_approved_assessment_is_refused_and_changes_nothing():
    first = import_assessment(seed_document(), actor=None)
    assert first.status == S.APPROVED and first.final == Decimal("88.25")
    document = seed_document()
    document["scores"]["1.4.1"]["appraised"] = 1
    document["bonus"] = 0
    with pytest.raises(ScoringServiceError) as error:
        import_assessment(document, actor=None)
    assert any("đã được Hội đồng thông qua" in problem for problem in error.value.problems)
    first.refresh_from_db()
    assert first.status == S.APPROVED and first.final == Decimal("88.25") and first.bonus == Decimal("1.00")
    assert first.leaves.get(criterion__code="1.4.1").appraised == Decimal("0.80")


def test_import_over_a_published_assessment_is_refused(users, vinh_long):
    assessment = import_assessment(seed_document(), actor=None)
    services.publish_results(vinh_long.parent, 2023, actor=users["reviewer"])
    with pytest.raises(ScoringServiceError):
        import_assessment(seed_document(), actor=None)
    assessment.refresh_from_db()
    assert assessment.status == S.PUBLISHED


def test_import_walks_the_workflow_and_records_each_step():
    assessment = import_assessment(seed_document(), actor=None)
    steps = list(assessment.transitions.values_list("from_status", "to_status"))
    assert steps == [("", S.SELF_ASSESSING), (S.SELF_ASSESSING, S.SELF_SUBMITTED), (S.SELF_SUBMITTED, S.ROUND1),
                     (S.ROUND1, S.APPROVED)]


def test_import_of_appraised_scores_without_a_full_self_assessment_is_refused():
    document = seed_document()
    del document["scores"]["1.4.1"]["self"]
    with pytest.raises(ScoringServiceError) as error:
        import_assessment(document, actor=None)
    assert any(problem.startswith("scores.1.4.1.self: thiếu điểm tự đánh giá") for problem in error.value.problems)
    assert not Assessment.objects.exists()


def test_import_accepts_inputs_without_a_self_score_for_computed_leaves():
    """The contract gives a computed leaf "the inputs it needs": they stand for the self score too."""
    document = seed_document()
    computed = [code for code, entry in document["scores"].items()
                if any(name in entry for name in ("numerator", "denominator", "count"))]
    assert computed
    for code in computed:
        del document["scores"][code]["self"]
    assessment = import_assessment(document, actor=None)
    assert assessment.status == S.APPROVED and assessment.final == Decimal("88.25")
    leaf = assessment.leaves.get(criterion__code="3.12.2")
    assert leaf.self_score == leaf.appraised == Decimal("0.32")


def test_import_never_moves_an_assessment_back(users, vinh_long):
    assessment = services.start_assessment(vinh_long, 2023, actor=users["officer"])
    self_only = {"format": "cchc-assessment/1", "unit": "19387", "year": 2023,
                 "scores": {code: {"self": entry["self"]} for code, entry in seed_document()["scores"].items()}}
    import_assessment(self_only, actor=None)
    assessment.refresh_from_db()
    assert assessment.status == S.SELF_SUBMITTED  # every leaf self-scored: as if the leader sent it
    services.appraise(assessment, {"1.4.1": {"score": "0.5"}}, actor=users["reviewer"], round=1)
    with pytest.raises(ScoringServiceError) as error:
        import_assessment(self_only, actor=None)
    assert any("không lùi bước" in problem for problem in error.value.problems)
    assessment.refresh_from_db()
    assert assessment.status == S.ROUND1


def test_import_by_a_user_needs_the_reviewers_permission(users):
    with pytest.raises(PermissionDenied):
        import_assessment(seed_document(), actor=users["officer"])
    with pytest.raises(PermissionDenied):
        import_assessment(seed_document(), actor=users["outside_reviewer"])
    assert not Assessment.objects.exists()
    assert import_assessment(seed_document(), actor=users["reviewer"]).status == S.APPROVED


# --- services: lock, then check (the superuser is not exempt from state rules) ----------------------

def test_services_refuse_actors_without_the_permission(users, vinh_long):
    assessment = services.start_assessment(vinh_long, 2023, actor=users["officer"])
    with pytest.raises(PermissionDenied):
        services.save_self_assessment(assessment, {"1.4.1": {"self": "0.5"}}, actor=users["other_officer"])
    with pytest.raises(PermissionDenied):
        services.submit_self_assessment(assessment, actor=users["officer"])  # the leader sends it
    with pytest.raises(PermissionDenied):
        services.publish_results(vinh_long.parent, 2023, actor=users["officer"])


def test_superuser_is_not_exempt_from_state_rules(users, vinh_long, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.vn", "x")
    assessment = services.start_assessment(vinh_long, 2023, actor=users["officer"])
    with pytest.raises(ScoringPermissionError):  # approving is a right only in rounds 1 and 2
        services.approve_assessment(assessment, actor=root)
    with pytest.raises(ScoringServiceError):
        services.set_adjustments(assessment, actor=root, bonus=1)
    assessment.refresh_from_db()
    assert assessment.status == S.SELF_ASSESSING and not assessment.adjustments.exists()


# --- the admin's adjustments go through the service ----------------------------------------------

def test_admin_adjustment_recomputes_the_stored_bonus_and_final(as_user, users, vinh_long, criteria_2023):
    document = scored_document(criteria_2023, "19387", lose=Decimal(1))
    del document["scores"]["7.1.3"]["appraised"]  # one leaf left to appraise: the import stops in round 1
    assessment = import_assessment(document, actor=None)
    assert assessment.status == S.ROUND1 and assessment.bonus == 0
    client = as_user("admin")
    response = client.post(reverse("admin:indicators_adjustment_add"), {
        "assessment": assessment.pk, "kind": "bonus", "points": "1.5", "reason": "Sáng kiến cấp tỉnh"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.bonus == Decimal("1.50")
    adjustment = Adjustment.objects.get(assessment=assessment)
    assert adjustment.created_by == users["admin"] and adjustment.criterion is not None
    response = client.post(reverse("admin:indicators_adjustment_change", args=[adjustment.pk]),
                           {"points": "0.5", "reason": "Sửa lại"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.bonus == Decimal("0.50")
    services.appraise(assessment, {"7.1.3": {"score": "1"}}, actor=users["reviewer"], round=1)
    services.approve_assessment(assessment, actor=users["reviewer"])
    assessment.refresh_from_db()
    assert assessment.final == assessment.appraised_total + Decimal("0.50")


def test_admin_cannot_change_the_adjustments_of_an_approved_assessment(as_user):
    assessment = import_assessment(seed_document(), actor=None)
    adjustment = Adjustment.objects.get(assessment=assessment)
    client = as_user("admin")
    response = client.post(reverse("admin:indicators_adjustment_change", args=[adjustment.pk]), {"points": "2", "reason": "x"})
    assert response.status_code == 403
    response = client.post(reverse("admin:indicators_adjustment_add"), {
        "assessment": assessment.pk, "kind": "penalty", "points": "1", "reason": "x"})
    assert response.status_code == 200 and "Chỉ ghi điểm thưởng/trừ trong khi thẩm định" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.bonus == Decimal("1.00") and assessment.penalty == 0 and assessment.final == Decimal("88.25")
    assert Adjustment.objects.filter(assessment=assessment).count() == 1


def test_admin_shows_workflow_rows_but_never_writes_them(as_user):
    assessment = import_assessment(seed_document(), actor=None)
    client = as_user("admin")
    url = reverse("admin:indicators_assessment_change", args=[assessment.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"unit": assessment.unit_id, "year": 2024}).status_code == 403
    set_url = reverse("admin:indicators_criteriaset_change", args=[assessment.criteria_set_id])
    assert client.post(set_url, {"name": "Sửa tay", "bands": "[]"}).status_code == 403
    assessment.refresh_from_db()
    assert assessment.year == 2023 and assessment.criteria_set.name != "Sửa tay"


def test_superuser_cannot_mark_remediation_done_once_the_results_are_reopened(users, vinh_long, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.vn", "x")
    assessment = import_assessment(seed_document(), actor=None)
    services.publish_results(vinh_long.parent, 2023, actor=users["reviewer"])
    services.reopen(assessment, actor=users["reviewer"], reason="Xem lại tiêu chí 1.4.2")
    item = assessment.remediation_items.first()
    with pytest.raises(PermissionDenied):
        services.mark_remediation_done(item, actor=root, note="Đã làm")
    item.refresh_from_db()
    assert not item.done
