"""The deduction letter of a published assessment and the published ranking reach the documents."""

import pytest
from docx import Document

from indicators.scoring.contrib import published_ranking_rows
from reports.documents.models import RenderedDocument
from reports.documents.services import render_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(users):
    """Seed 003's assessment of Xã Vĩnh Long for 2023, imported and published by the district."""
    from indicators.scoring.services import import_assessment, publish_results
    from tests.indicators.scoring_fixtures import install_criteria, seed_document

    install_criteria("45", 2023)
    assessment = import_assessment(seed_document(), actor=None)
    publish_results(assessment.unit.parent, 2023, actor=users["reviewer"])
    assessment.refresh_from_db()
    return assessment


def test_letter_is_rendered_from_the_published_assessment(as_user, published):
    response = as_user("officer").post(f"/van-ban/cong-van-khac-phuc/{published.pk}/docx/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    document = RenderedDocument.objects.get(source_key=f"assessment:{published.pk}", format="docx")
    render_document(document.pk)
    document.refresh_from_db()
    text = "\n".join(p.text for p in Document(document.file.path).paragraphs)
    tables = "\n".join(cell.text for t in Document(document.file.path).tables for row in t.rows for cell in row.cells)
    assert "XÃ VĨNH LONG" in text
    assert "88,25" in text + tables
    assert "12,75" in text + tables


def test_other_commune_cannot_request_the_letter(as_user, published):
    response = as_user("other_officer").post(f"/van-ban/cong-van-khac-phuc/{published.pk}/docx/")
    assert response.status_code == 404


def test_ranking_provider_returns_published_rows(published):
    rows = published_ranking_rows(published.unit.parent_id, published.year)
    assert rows and any(row["name"] == "Xã Vĩnh Long" for row in rows)


def test_published_ranking_is_a_consolidated_block_of_scoring(published):
    from reports.documents.context import consolidated_document
    from reports.documents.kinds import consolidated_inputs
    from reports.models import ReportingPeriod

    period = ReportingPeriod.objects.filter(year=published.year).order_by("kind").first()
    document = consolidated_document(*consolidated_inputs(published.unit.parent_id, period.pk))
    body = [block["text"] for block in document["body"]]
    assert f"III. KẾT QUẢ XẾP HẠNG CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {published.year}" in body
    ranking = document["appendices"][-1]
    assert ranking["label"] == f"Phụ lục {len(document['appendices']):02d}"
    assert ["Xã Vĩnh Long", "88,25"] in [row["cells"][1:3] for row in ranking["rows"]]
