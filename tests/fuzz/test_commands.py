"""The management commands fed hostile files and command lines: each either succeeds or fails with
a CommandError of Vietnamese lines (one per problem), never another exception, and a refused input
saves nothing. Also the issue's examples one by one, and one run through a real process."""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from reports.demo import VINH_LONG
from reports.models import Report

from .mutations import ODD_TEXTS, counts, deep_json, documents_from, is_vietnamese, table_cells
from .test_importers import (
    ASSESSMENT,
    ASSESSMENT_MODELS,
    CATALOGUE_MODELS,
    CRITERIA_MODELS,
    REPORT_MODELS,
    as_csv,
    catalogue_rows,
    criteria_rows,
    report_seed,
    rolled_back,
)

pytestmark = [pytest.mark.django_db, pytest.mark.requires_plugin("procedures", "indicators")]


def run_command(*args):
    """(True, output) when the command succeeded, (False, message lines) when it refused. Any
    other exception fails the target."""
    try:
        call_command(*args, stdout=_Sink(), stderr=_Sink())
    except CommandError as error:
        lines = str(error).splitlines()
        assert lines and all(is_vietnamese(line) for line in lines), lines
        return False, lines
    return True, []


class _Sink:
    def write(self, text):
        pass

    def flush(self):
        pass


def write(tmp_path_factory, raw, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
    path.write_bytes(raw)
    return str(path)


@pytest.fixture
def report_document(period):
    document = report_seed()
    document["unit"], document["period"] = VINH_LONG, {"year": period.year, "kind": period.kind}
    return document


@given(data=st.data())
def test_import_report_command(report_document, tmp_path_factory, data):
    name = write(tmp_path_factory, data.draw(documents_from(report_document)), ".json")
    before = counts(REPORT_MODELS)

    def run():
        saved, _lines = run_command("import_report", name)
        assert saved or counts(REPORT_MODELS) == before

    rolled_back(run)


@pytest.fixture
def assessment_document(db):
    from tests.indicators.scoring_fixtures import install_criteria

    install_criteria("45", 2023)
    return json.loads(ASSESSMENT.read_text(encoding="utf-8"))


@given(data=st.data())
def test_import_assessment_command(assessment_document, tmp_path_factory, data):
    name = write(tmp_path_factory, data.draw(documents_from(assessment_document)), ".json")
    before = counts(ASSESSMENT_MODELS)

    def run():
        saved, _lines = run_command("import_assessment", name)
        assert saved or counts(ASSESSMENT_MODELS) == before

    rolled_back(run)


arguments = st.one_of(st.sampled_from(ODD_TEXTS), st.text(max_size=30),
                      st.sampled_from(["45", "19387", "2023", "2024", "Q2", "Y", "-1", "--x", "-", "0"]))


@given(data=st.data(), unit=arguments, year=arguments)
def test_import_criteria_command(db, tmp_path_factory, data, unit, year):
    name = write(tmp_path_factory, as_csv(data.draw(table_cells(criteria_rows()))), ".csv")
    before = counts(CRITERIA_MODELS)

    def run():
        saved, _lines = run_command("import_criteria", name, f"--unit={unit}", f"--year={year}")
        assert saved or counts(CRITERIA_MODELS) == before

    rolled_back(run)


@given(data=st.data(), year=arguments)
def test_load_indicators_command(db, tmp_path_factory, data, year):
    name = write(tmp_path_factory, as_csv(data.draw(table_cells(catalogue_rows()))), ".csv")
    before = counts(CATALOGUE_MODELS)

    def run():
        saved, _lines = run_command("load_indicators", name, f"--year={year}")
        assert saved or counts(CATALOGUE_MODELS) == before

    rolled_back(run)


@given(command=st.sampled_from(["export_report", "rank", "export_rankings", "open_periods", "render_report"]),
       first=arguments, second=arguments, third=arguments)
def test_reading_commands_take_any_command_line(db, tmp_path_factory, command, first, second, third):
    out = str(tmp_path_factory.mktemp("out") / "ket-qua.xlsx")
    args = {
        "export_report": [first, second, third],
        "rank": [f"--scope={first}", f"--year={second}"],
        "export_rankings": [f"--scope={first}", f"--year={second}", f"--out={out}"],
        "open_periods": [first],
        "render_report": [first, second, third, f"--out={out}"],
    }[command]
    rolled_back(lambda: run_command(command, *args))


# --- the issue's examples -------------------------------------------------------------------------

@pytest.fixture
def seed_file(report_document, tmp_path):
    def make(change):
        document = json.loads(json.dumps(report_document))
        change(document)
        path = tmp_path / "bao-cao.json"
        path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        return str(path)

    return make


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["one_stop"].__setitem__("direct", 2**31), "2147483647"),
    (lambda d: d["document"].__setitem__("number", "x" * 5000), "vượt quá giới hạn"),
    (lambda d: d["document"].__setitem__("number", "12/BC\x00"), "NUL"),
    (lambda d: d["one_stop"].__setitem__("direct", float("inf")), "hữu hạn"),
])
def test_import_report_command_refuses_the_issue_examples(seed_file, change, expected):
    with pytest.raises(CommandError) as refused:
        call_command("import_report", seed_file(change), stdout=_Sink(), stderr=_Sink())
    assert expected in str(refused.value)
    assert all(is_vietnamese(line) for line in str(refused.value).splitlines())
    assert not Report.objects.filter(unit__code=VINH_LONG, period__year=2024, period__kind="Q2").exists()


def test_import_report_command_refuses_deep_nesting(tmp_path):
    path = tmp_path / "sau.json"
    path.write_bytes(deep_json(100_000))
    with pytest.raises(CommandError, match="lồng nhau quá sâu"):
        call_command("import_report", str(path))


def test_import_criteria_command_refuses_a_max_score_of_1e30(db, tmp_path):
    rows = criteria_rows()
    column = rows[0].index("max_score")
    rows[1][column] = "1e30"
    path = tmp_path / "tieu-chi.csv"
    path.write_bytes(as_csv(rows))
    before = counts(CRITERIA_MODELS)
    with pytest.raises(CommandError) as refused:
        call_command("import_criteria", str(path), "--unit", "45", "--year", "2024", stderr=_Sink())
    assert "dòng" in str(refused.value) and "max_score" in str(refused.value) and "99999.99" in str(refused.value)
    assert counts(CRITERIA_MODELS) == before


def test_a_refused_file_ends_the_process_with_vietnamese_lines_and_no_traceback(tmp_path):
    path = tmp_path / "sau.json"
    path.write_bytes(deep_json(100_000))
    result = subprocess.run(
        [sys.executable, "manage.py", "import_report", str(path)], cwd=settings.BASE_DIR,
        capture_output=True, text=True, timeout=120, env={**_environment(), "DJANGO_SETTINGS_MODULE": "cchc_portal.settings"},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "lồng nhau quá sâu" in result.stderr


def _environment():
    import os

    return {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}


