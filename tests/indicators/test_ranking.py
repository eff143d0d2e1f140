"""Rankings: ties share a rank, previous-year comparison (— when a merged commune has no 1:1
predecessor), bounded queries whatever the number of communes, publication rights."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from indicators.models import Assessment, AssessmentStatus, LeafScore
from indicators.scoring.selectors import ranking
from indicators.scoring.services import import_assessment, resolve_unit_for_year
from reports.demo import BEFORE
from reports.models import AdministrativeUnit

from .scoring_fixtures import criteria_2023_fixture, install_criteria, scored_document  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("criteria_2023")]
S = AssessmentStatus


def make_scored(communes, criteria_set, year=2023, status=S.PUBLISHED):
    """Bulk-create scored assessments (finals 99, 98 …) with every leaf at full marks."""
    leaves = list(criteria_set.criteria.filter(is_leaf=True))
    created = Assessment.objects.bulk_create([
        Assessment(unit=unit, year=year, criteria_set=criteria_set, status=status, self_total=100,
                   appraised_total=Decimal(99 - index % 40), final=Decimal(99 - index % 40), classification="Tốt",
                   field_totals={"1": {"max": "16", "self": "16", "appraised": "15"}})
        for index, unit in enumerate(communes)
    ])
    created = list(Assessment.objects.filter(year=year, unit__in=communes))
    LeafScore.objects.bulk_create([LeafScore(assessment=a, criterion=c, self_score=c.max_score,
                                             appraised=c.max_score) for a in created for c in leaves])
    return created


def vinh_linh_communes():
    district = AdministrativeUnit.objects.resolve("464", BEFORE)
    return district, list(AdministrativeUnit.objects.communes().below(district).valid_on(BEFORE).order_by("code"))


def test_ties_share_rank_via_command(criteria_2023):
    _district, communes = vinh_linh_communes()
    for unit, lose in zip(communes[:4], ["0", "1", "1", "1.5"], strict=True):
        import_assessment(scored_document(criteria_2023, unit.code, lose=Decimal(lose)), actor=None)
    out = StringIO()
    call_command("rank", scope="464", year=2023, json=True, stdout=out)
    rows = json.loads(out.getvalue())
    assert [r["rank"] for r in rows] == [1, 2, 2, 4]
    assert [r["final"] for r in rows] == [100.0, 99.0, 99.0, 98.5]
    assert rows[0]["classification"] == "Xuất sắc"


def test_rank_command_refuses_unknown_scope():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rank", scope="999", year=2023, stdout=StringIO())


def test_previous_year_change_and_dash_for_merged_communes(criteria_2023, users):
    district, communes = vinh_linh_communes()
    vinh_long = communes[[c.code for c in communes].index("19387")]
    install_criteria("45", 2024)
    import_assessment(scored_document(criteria_2023, "19387", 2023, lose=Decimal("1")), actor=None)
    import_assessment(scored_document(criteria_2023, "19387", 2024, lose=Decimal("0.5")) | {"year": 2024}, actor=None)
    rows = ranking(district, 2024)
    assert rows[0]["unit"] == vinh_long and rows[0]["score_change"] == Decimal("0.50")
    # Xã Vĩnh Linh (new, 2025) was formed from three communes: no comparable previous result
    install_criteria("44", 2025)
    new_unit = resolve_unit_for_year("19363", 2025)
    assert new_unit.lineage.count() == 3
    criteria_2025 = new_unit.parent.criteria_sets.get(year=2025)
    import_assessment(scored_document(criteria_2025, "19363", 2025), actor=None)
    make_scored([AdministrativeUnit.objects.resolve("19363", BEFORE)], criteria_2023, year=2024)
    rows = ranking(new_unit.parent, 2025)
    assert rows[0]["previous"] is None and rows[0]["score_change"] is None


def test_ranking_page_queries_do_not_grow_with_communes(as_user, criteria_2023, django_assert_max_num_queries):
    province = resolve_unit_for_year("45", 2023)
    communes = list(AdministrativeUnit.objects.communes().below(province).valid_on(BEFORE).order_by("code"))
    assert len(communes) >= 60
    client = as_user("admin")
    make_scored(communes[:20], criteria_2023)
    with django_assert_max_num_queries(16):
        small = client.get(f"/chi-so/xep-hang/{province.pk}/2023/")
    make_scored(communes[20:60], criteria_2023)
    with django_assert_max_num_queries(16):
        large = client.get(f"/chi-so/xep-hang/{province.pk}/2023/")
    assert small.status_code == large.status_code == 200
    assert large.content.decode().count("/chi-so/danh-gia/") == 60


@pytest.mark.parametrize("role, expected", [
    (None, 302), ("officer", 200), ("other_officer", 200), ("reviewer", 200), ("outside_reviewer", 404),
    ("province_reviewer", 404), ("admin", 200),
])
def test_ranking_page_permissions(as_user, role, expected):
    district, _communes = vinh_linh_communes()
    assert as_user(role).get(f"/chi-so/xep-hang/{district.pk}/2023/").status_code == expected


def test_commune_sees_only_published_results_and_cannot_publish(as_user, criteria_2023):
    district, communes = vinh_linh_communes()
    make_scored(communes[:3], criteria_2023, status=S.APPROVED)
    page = as_user("officer").get(f"/chi-so/xep-hang/{district.pk}/2023/").content.decode()
    assert communes[0].name not in page
    assert as_user("officer").post(f"/chi-so/xep-hang/{district.pk}/2023/cong-bo/").status_code == 403
    assert as_user("reviewer").post(f"/chi-so/xep-hang/{district.pk}/2023/cong-bo/").status_code == 302
    assert Assessment.objects.filter(status=S.PUBLISHED).count() == 3
    page = as_user("officer").get(f"/chi-so/xep-hang/{district.pk}/2023/").content.decode()
    assert communes[0].name in page and "chart.umd.min.js" in page
