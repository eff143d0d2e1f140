"""Demo of the PAR-index scoring: the demo criteria set for Quảng Trị 2023–2026, and a published 2023
assessment year for Vĩnh Linh's 18 communes (Xã Vĩnh Long as in seed 003: 87,25 + 1 = 88,25, 11/18)."""

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from cchc_portal.lib.numbers import round_half_up
from reports.demo import VINH_LINH, VINH_LONG

from .importers import parse_criteria
from .models import Assessment, AssessmentStatus, CriteriaSet
from .services import (
    ScoringServiceError,
    import_assessment,
    import_criteria_set,
    publish_results,
    resolve_unit_for_year,
    start_assessment,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
CRITERIA_CSV = FIXTURES / "criteria-commune.csv"
SEED_003 = FIXTURES / "assessment-vinh-long-2023.json"
# (province code, year): code 45 is Quảng Trị before the reform, 44 the merged Quảng Trị after it.
DEMO_SETS = [("45", 2023), ("45", 2024), ("44", 2025), ("44", 2026)]
# Finals of the other 17 communes of Vĩnh Linh in 2023: ten above Vĩnh Long's 88,25, seven below.
OTHER_FINALS = ["95.50", "94.25", "93.00", "92.50", "91.75", "91.00", "90.25", "89.75", "89.50", "88.75",
                "87.50", "86.75", "85.00", "84.25", "82.50", "80.00", "76.50"]
COMMENT = "Tài liệu kiểm chứng chưa đầy đủ, chưa thể hiện kết quả thực hiện theo yêu cầu."


def load_criteria_sets(stdout):
    table = parse_criteria(CRITERIA_CSV.read_bytes(), CRITERIA_CSV.name)
    if not table.ok:
        raise ValueError("; ".join(table.problems))
    for code, year in DEMO_SETS:
        unit = resolve_unit_for_year(code, year)
        set_code = f"{code}-{year}"
        if CriteriaSet.objects.filter(unit=unit, year=year, code=set_code, frozen=True).exists():
            continue
        import_criteria_set(table, unit=unit, year=year, code=set_code, source_name=CRITERIA_CSV.name,
                            name=f"Bộ tiêu chí chỉ số CCHC cấp xã năm {year} (demo) — {unit.name}", actor=None)
    stdout.write(f"  Bộ tiêu chí chỉ số CCHC: {len(DEMO_SETS)} bộ (Quảng Trị 2023–2026, dòng minh họa được đánh dấu).")


def varied_document(criteria_set, unit_code, year, final):
    """Full marks minus ``100 − final`` points taken from graded leaves, in order."""
    remaining = Decimal(100) - Decimal(final)
    scores = {}
    for criterion in criteria_set.criteria.filter(is_leaf=True).order_by("position"):
        take = Decimal(0)
        if criterion.method == "graded" and remaining > 0:
            take = min(criterion.max_score, remaining, Decimal("1.5"))
            remaining -= take
        entry = {"self": float(criterion.max_score - round_half_up(take / 2)),
                 "appraised": float(criterion.max_score - take)}
        if take:
            entry.update({"council_comment": COMMENT, "responsible": "Công chức Văn phòng - Thống kê",
                          "remediation": "Bổ sung tài liệu kiểm chứng, hoàn thành nhiệm vụ theo yêu cầu.",
                          "deadlines": [f"{year + 1}-10-31", f"{year + 1}-12-15"]})
        scores[criterion.code] = entry
    return {"format": "cchc-assessment/1", "unit": unit_code, "year": year, "scores": scores}


def load_assessments(stdout):
    district = resolve_unit_for_year(VINH_LINH, 2023)
    communes = list(district.children.order_by("code"))
    if Assessment.objects.filter(year=2023, unit__in=communes, status=AssessmentStatus.PUBLISHED).exists():
        stdout.write("  Chỉ số CCHC 2023 của huyện Vĩnh Linh: đã có, giữ nguyên.")
        return
    criteria_set = CriteriaSet.objects.in_force(communes[0], 2023)
    User = get_user_model()
    reviewer = User.objects.filter(username="noivu.vinhlinh").first()
    import_assessment(json.loads(SEED_003.read_text(encoding="utf-8")), actor=reviewer)
    others = [c for c in communes if c.code != VINH_LONG]
    for unit, final in zip(others, OTHER_FINALS, strict=False):
        import_assessment(varied_document(criteria_set, unit.code, 2023, final), actor=reviewer)
    publish_results(district, 2023, actor=reviewer)
    vinh_long = Assessment.objects.get(unit__code=VINH_LONG, year=2023)
    stdout.write(f"  Chỉ số CCHC 2023 huyện Vĩnh Linh: {len(communes)} xã đã công bố; Xã Vĩnh Long "
                 f"{vinh_long.final} điểm, hạng {vinh_long.rank}/{vinh_long.rank_of}.")
    officer = User.objects.filter(username="canbo.vinhlong").first()
    start_assessment(resolve_unit_for_year(VINH_LONG, 2024), 2024, actor=officer)


def load_scoring_demo(stdout):
    try:
        load_criteria_sets(stdout)
        load_assessments(stdout)
    except ScoringServiceError as error:
        raise ValueError(f"{error} {'; '.join(error.problems[:5])}") from error
