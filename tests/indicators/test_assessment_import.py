"""import_assessment (cchc-assessment/1) with seed 003's appendix: deductions 12,75, appraised 87,25,
bonus 1, final 88,25; an inconsistent file is refused with every problem listed and nothing saved."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc_portal.lib.numbers import format_score
from indicators.models import Assessment, AssessmentStatus
from indicators.scoring.services import ScoringServiceError, import_assessment

from .scoring_fixtures import INCONSISTENT, SEED_003, criteria_2023_fixture, seed_document  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("criteria_2023")]


def test_seed_003_file_gives_the_councils_figures():
    out = StringIO()
    call_command("import_assessment", str(SEED_003), stdout=out)
    assessment = Assessment.objects.get(unit__code="19387", year=2023)
    assert assessment.status == AssessmentStatus.APPROVED
    assert format_score(assessment.deducted_total) == "12,75"
    assert format_score(assessment.appraised_total) == "87,25"
    assert format_score(assessment.bonus) == "1,00"
    assert format_score(assessment.final) == "88,25"
    assert assessment.classification == "Tốt"
    assert "tổng 88,25" in out.getvalue()
    leaves = {leaf.criterion.code: leaf for leaf in assessment.leaves.select_related("criterion")}
    assert leaves["3.12.2"].appraised == Decimal("0.32")  # computed from 118/1245 against 30 %
    assert leaves["3.11.1"].appraised == Decimal("0.00")  # 68 % under the 70 % threshold
    assert leaves["1.5.4"].appraised == Decimal("1.00")  # 2 initiatives × 0,5
    assert leaves["1.6"].appraised == Decimal("0.78")  # 7/9 commitments
    assert leaves["3.12.2"].input_source == "explicit"
    assert sum(1 for leaf in leaves.values() if leaf.deducted > 0) == 19
    assert leaves["1.4.2"].deadline_dates[1].isoformat() == "2024-12-15"


def test_importing_twice_refuses_the_second_over_the_approved_assessment():
    import_assessment(seed_document(), actor=None)
    with pytest.raises(ScoringServiceError) as error:
        import_assessment(seed_document(), actor=None)
    assert error.value.problems == ["unit: kết quả năm 2023 của Xã Vĩnh Long đã được Hội đồng thông qua, "
                                    "không nhập đè được (mở lại để thẩm định vòng 2 trước)"]
    assert Assessment.objects.filter(unit__code="19387", year=2023).count() == 1


def test_partial_import_in_self_assessment_is_replaced_by_the_next():
    document = seed_document()
    document["scores"] = {"1.1.1": {"self": 0.5}}
    import_assessment(document, actor=None)
    assessment = import_assessment(seed_document(), actor=None)
    assert assessment.status == AssessmentStatus.APPROVED
    assert Assessment.objects.filter(unit__code="19387", year=2023).count() == 1


def test_inconsistent_file_is_refused_listing_every_problem():
    err = StringIO()
    with pytest.raises(CommandError) as refused:  # one line per problem in the error
        call_command("import_assessment", str(INCONSISTENT), stderr=err, stdout=StringIO())
    lines = str(refused.value).splitlines()
    assert any(line.startswith("scores.3.12.2.appraised: 0,50 khác điểm tính từ số liệu 118/1245 = 0,32") for line in lines)
    assert any(line.startswith("scores.1.4.2.appraised: điểm thẩm định 2,50 vượt điểm chuẩn 2,00") for line in lines)
    assert any(line.startswith("scores.9.9.9: không có tiêu chí 9.9.9") for line in lines)
    assert any(line.startswith("scores.1.6.appraised: 1,00 khác điểm tính từ số liệu 7/9 = 0,78") for line in lines)
    assert any(line.startswith("bonus: điểm thưởng 3,00 vượt mức tối đa 2,00") for line in lines)
    assert len(lines) == 5
    assert not Assessment.objects.exists()


def test_unknown_unit_and_schema_errors_are_refused():
    document = seed_document()
    document["unit"] = "99999"
    with pytest.raises(ScoringServiceError) as error:
        import_assessment(document, actor=None)
    assert error.value.problems == ["unit: không có đơn vị mã 99999 trong năm 2023"]
    with pytest.raises(ScoringServiceError) as error:
        import_assessment({"format": "cchc-assessment/1", "unit": "19387", "year": 2023,
                           "scores": {"1.1.1": {"self": -1, "colour": "red"}}}, actor=None)
    assert len(error.value.problems) == 2


def test_zero_denominator_makes_leaf_not_applicable_and_rescales():
    document = seed_document()
    document["scores"]["3.13.3"] = {"numerator": 0, "denominator": 0}
    assessment = import_assessment(document, actor=None)
    leaf = assessment.leaves.get(criterion__code="3.13.3")
    assert leaf.not_applicable and leaf.appraised is None
    # 87,25 − 0,59 over 99 applicable points, rescaled to 100
    assert assessment.appraised_total == (Decimal("86.66") * 100 / 99).quantize(Decimal("0.01"))


def test_partial_file_stays_in_appraisal():
    document = seed_document()
    document["scores"] = {"1.1.1": {"self": 0.5}}
    assessment = import_assessment(document, actor=None)
    assert assessment.status == AssessmentStatus.SELF_ASSESSING
    assert assessment.final is None


def test_rank_json_after_import():
    import_assessment(seed_document(), actor=None)
    out = StringIO()
    call_command("rank", scope="464", year=2023, json=True, stdout=out)
    rows = json.loads(out.getvalue())
    assert rows[0]["unit"] == "19387" and rows[0]["rank"] == 1 and rows[0]["final"] == 88.25
    assert set(rows[0]) >= {"rank", "unit", "name", "self_total", "appraised_total", "bonus", "penalty", "final",
                            "classification"}
