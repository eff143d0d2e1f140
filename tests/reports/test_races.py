"""Races on a real PostgreSQL: two writers released together by a barrier, 100 times each.

Every service locks the report row first and checks afterwards, so whatever the interleaving:
an import never lands on a submitted report (what is approved is exactly what was submitted), two
saves of one part with the same revision token give one winner and one StaleRevision, and of two
transitions at once exactly one happens. Run with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/cchc_services``; skipped on SQLite (which
serialises writers on its own and ignores ``select_for_update``)."""

import threading

import pytest
from django.db import connection

from reports import services
from reports.interchange import ImportRefused, export_report, import_report
from reports.models import Report, ReportStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="race tests need PostgreSQL row locks"),
]

ROUNDS = 100
SUBMITTED_SIGNER = "Trần Quốc Lương"
IMPORTED_SIGNER = "Người Nhập Tệp"


def race(*jobs):
    """Run the jobs in threads released together; each result is ("ok", value) or ("error", exception)."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", job())
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            results[index] = ("error", error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(not t.is_alive() for t in threads), "a racer is stuck"
    return results


def set_signer(report, name, users):
    """Through the service, as the officer would (the reset between rounds)."""

    def apply(locked):
        locked.signer_name, locked.place = name, "Vĩnh Long"

    report.refresh_from_db()
    services.save_part(report, "header", expected_revision=report.part_revision("header"),
                       actor=users["officer"], apply=apply)


def to_editable(report, users):
    report.refresh_from_db()
    if report.status == ReportStatus.SUBMITTED:
        services.return_report(report, actor=users["reviewer"], reason="Vòng thử tiếp theo")
    elif report.status == ReportStatus.APPROVED:
        services.reopen_report(report, actor=users["reviewer"], reason="Vòng thử tiếp theo")


def test_import_racing_a_submit_never_replaces_what_was_submitted(base_data, report, users):
    set_signer(report, SUBMITTED_SIGNER, users)
    document = export_report(report)
    document["document"]["signer"]["name"] = IMPORTED_SIGNER
    outcomes = {"import first": 0, "submit first": 0}
    for _round in range(ROUNDS):
        to_editable(report, users)
        set_signer(report, SUBMITTED_SIGNER, users)
        submit, imported = race(
            lambda: services.submit_report(Report.objects.get(pk=report.pk), actor=users["leader"]),
            lambda: import_report(document, actor=users["officer"]),
        )
        assert submit[0] == "ok", submit[1]
        report.refresh_from_db()
        assert report.status == ReportStatus.SUBMITTED
        # Nothing changed after the submission: the approved content will be the submitted one.
        assert report.submitted_revision == report.revision
        if imported[0] == "ok":  # the import took the lock first; the leader submitted its content
            outcomes["import first"] += 1
            assert report.signer_name == IMPORTED_SIGNER
            steps = list(report.transitions.order_by("-at", "-pk").values_list("to_status", "reason")[:2])
            assert steps[0][0] == ReportStatus.SUBMITTED and "Nhập dữ liệu" in steps[1][1]
        else:
            outcomes["submit first"] += 1
            assert isinstance(imported[1], ImportRefused), imported[1]
            assert "đã gửi hoặc đã duyệt" in str(imported[1].problems[0])
            assert report.signer_name == SUBMITTED_SIGNER
    assert sum(outcomes.values()) == ROUNDS


def test_two_saves_with_one_revision_token_give_one_winner(base_data, report, users):
    for round_ in range(ROUNDS):
        report.refresh_from_db()
        token = report.part_revision("header")
        revision = report.revision

        def save(name, token=token):
            def apply(locked):
                locked.signer_name = name

            return lambda: services.save_part(Report.objects.get(pk=report.pk), "header", expected_revision=token,
                                              actor=users["officer"], apply=apply)

        names = (f"Người A {round_}", f"Người B {round_}")
        results = race(save(names[0]), save(names[1]))
        winners = [name for name, (kind, _value) in zip(names, results, strict=True) if kind == "ok"]
        losers = [value for kind, value in results if kind == "error"]
        assert len(winners) == 1 and len(losers) == 1, results
        assert isinstance(losers[0], services.StaleRevision), losers[0]
        report.refresh_from_db()
        assert report.signer_name == winners[0]  # the loser overwrote nothing
        assert report.part_revision("header") == token + 1 and report.revision == revision + 1


def test_approve_and_return_at_once_only_one_happens(base_data, report, users):
    set_signer(report, SUBMITTED_SIGNER, users)
    won = {"approve": 0, "return": 0}
    for _round in range(ROUNDS):
        to_editable(report, users)
        services.submit_report(Report.objects.get(pk=report.pk), actor=users["leader"])
        transitions = report.transitions.count()
        approve, returned = race(
            lambda: services.approve_report(Report.objects.get(pk=report.pk), actor=users["reviewer"]),
            lambda: services.return_report(Report.objects.get(pk=report.pk), actor=users["admin"],
                                           reason="Trả lại cùng lúc"),
        )
        kinds = (approve[0], returned[0])
        assert sorted(kinds) == ["error", "ok"], (approve, returned)
        loser = approve if approve[0] == "error" else returned
        # The loser found the report no longer submitted: refused by the state part of its right.
        assert isinstance(loser[1], services.NotAllowed) and str(loser[1]).startswith("Chỉ"), loser[1]
        report.refresh_from_db()
        expected = ReportStatus.APPROVED if approve[0] == "ok" else ReportStatus.RETURNED
        assert report.status == expected
        assert report.transitions.count() == transitions + 1  # one step, not two
        won["approve" if approve[0] == "ok" else "return"] += 1
    assert sum(won.values()) == ROUNDS
