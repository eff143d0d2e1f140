"""Races of the scoring services on a real PostgreSQL: two writers released together by a barrier.

Every service locks its row (the commune, the assessment) and checks afterwards, so whatever the
interleaving an import never lands on an assessment the council approved, and two starts give one
assessment. Skipped on SQLite (which serialises writers and ignores ``select_for_update``); run with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_indicators``."""

from decimal import Decimal

import pytest
from django.db import connection

from indicators.models import Assessment, AssessmentStatus
from indicators.scoring import services
from tests.reports.test_races import race

from .scoring_fixtures import install_criteria, seed_document

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="race tests need PostgreSQL row locks"),
]

ROUNDS = 100
S = AssessmentStatus


def test_import_racing_the_councils_approval_never_overwrites_it(base_data, users):
    install_criteria("45", 2023)
    assessment = services.import_assessment(seed_document(), actor=None)
    imported = seed_document()
    imported["scores"]["1.4.1"]["appraised"] = 1  # full marks instead of the council's 0,80
    finals = {"approve": Decimal("88.25"), "import": Decimal("88.45")}
    winners = {"approve": 0, "import": 0}
    for _round in range(ROUNDS):
        services.reopen(Assessment.objects.get(pk=assessment.pk), actor=users["reviewer"], reason="Vòng thử")
        services.appraise(Assessment.objects.get(pk=assessment.pk), {"1.4.1": {"score": "0.8"}},
                          actor=users["reviewer"], round=2)
        approve, import_ = race(
            lambda: services.approve_assessment(Assessment.objects.get(pk=assessment.pk), actor=users["reviewer"]),
            lambda: services.import_assessment(imported, actor=users["reviewer"]),
        )
        outcomes = {"approve": approve[0], "import": import_[0]}
        assert sorted(outcomes.values()) == ["error", "ok"], (approve, import_)
        winner = next(name for name, outcome in outcomes.items() if outcome == "ok")
        loser_error = (import_ if winner == "approve" else approve)[1]
        # A late approval is refused by the state part of its right, a late import by the workflow.
        expected = services.ScoringPermissionError if winner == "import" else services.ScoringServiceError
        assert isinstance(loser_error, expected), loser_error
        winners[winner] += 1
        stored = Assessment.objects.get(pk=assessment.pk)
        assert stored.status == S.APPROVED and stored.final == finals[winner], (winner, stored.final)
    assert sum(winners.values()) == ROUNDS, winners
    approvals = Assessment.objects.get(pk=assessment.pk).transitions.filter(to_status=S.APPROVED).count()
    assert approvals == ROUNDS + 1  # the first import, then one approval per round


def test_two_starts_at_once_give_one_assessment(base_data, users, vinh_long):
    install_criteria("45", 2023)
    for _round in range(ROUNDS):
        Assessment.objects.filter(unit=vinh_long, year=2023).delete()
        first, second = race(
            lambda: services.start_assessment(vinh_long, 2023, actor=users["officer"]),
            lambda: services.start_assessment(vinh_long, 2023, actor=users["reviewer"]),
        )
        assert first[0] == second[0] == "ok", (first, second)
        assert first[1].pk == second[1].pk
        assert Assessment.objects.filter(unit=vinh_long, year=2023).count() == 1
