"""Forms and importers share one set of field limits, read from the model columns: an import names
the cchc-report/1 path of a value its column cannot hold (an over-long string, an integer of 2**31,
a NUL character) and saves nothing; a form refuses the same integer with a Vietnamese error and
gives the browser the same bounds.

The plug-ins' parts are reached through the core's registry and URLs only (no import), so the core
cases still run with ``CCHC_PLUGINS=``."""

import copy

import pytest

from reports.interchange import ImportRefused, export_report, import_report
from reports.models import PlanTask, Report
from reports.parts import all_facts

pytestmark = pytest.mark.django_db

BIG = 2**31  # one more than a PositiveIntegerField holds (0..2147483647)
LONG = "x"


def complete(report):
    report.signer_name, report.place = "Trần Quốc Lương", "Vĩnh Long"
    report.save()
    return report


def document_of(report, **keys):
    document = copy.deepcopy(export_report(complete(report)))
    document.update(keys)
    return document


def refusal(document):
    """{path: its messages joined} of the refused import of ``document``."""
    with pytest.raises(ImportRefused) as refused:
        import_report(document)
    found = {}
    for problem in refused.value.problems:
        found[problem.path] = f"{found[problem.path]} | {problem.message}" if problem.path in found else problem.message
    return found


def assert_named(found, expected):
    """Each expected path is reported with a message naming every given word; nothing at a
    model-level path ("báo cáo.subject"): the parts name the file's own paths."""
    for path, words in expected.items():
        assert path in found, (path, found)
        assert all(word in found[path] for word in words), (path, found[path])
    assert not [path for path in found if path.startswith("báo cáo.")], found


def assert_nothing_saved(report, revision):
    saved = Report.objects.get(pk=report.pk)
    assert saved.revision == revision
    assert saved.subject == "" and saved.plan_reference == "" and saved.plan_contents is None
    assert saved.sections == {} and not PlanTask.objects.filter(report=report).exists()


def test_header_import_names_the_document_paths(report):
    document = document_of(report)
    document["document"]["subject"] = LONG * 401
    document["document"]["signer"]["title"] = "Chủ tịch\x00"
    revision = Report.objects.get(pk=report.pk).revision
    found = refusal(document)
    assert_named(found, {"document.subject": ["401", "400"], "document.signer.title": ["NUL", "9"]})
    assert_nothing_saved(report, revision)


def test_direction_import_names_the_plan_and_task_paths(report):
    document = document_of(report, plan={
        "reference": LONG * 301, "contents": BIG,
        "tasks": [{"title": "Nhiệm vụ 1", "status": "done", "group": BIG, "responsible": "VP\x00TK"},
                  {"title": LONG * 501, "status": "in_progress"}],
    })
    revision = Report.objects.get(pk=report.pk).revision
    found = refusal(document)
    assert_named(found, {
        "plan.reference": ["301", "300"],
        "plan.contents": [str(BIG), "0–2147483647"],
        "plan.tasks[0].group": [str(BIG), "2147483647"],
        "plan.tasks[0].responsible": ["NUL", "3"],
        "plan.tasks[1].title": ["501", "500"],
    })
    assert_nothing_saved(report, revision)


def test_direction_counts_typed_as_totals_are_bounded_too(report):
    document = document_of(report, plan={"reference": "KH 02", "task_count": BIG, "tasks_done": 1})
    found = refusal(document)
    assert_named(found, {"plan.task_count": [str(BIG), "2147483647"]})


def test_prose_import_is_held_to_the_entry_forms_length(report):
    from reports.core_parts import SECTION_MAX_LENGTH
    from reports.forms import SectionsForm

    document = document_of(report, sections={"I.1": LONG * (SECTION_MAX_LENGTH + 1), "II.1": "Nội dung\x00"})
    revision = Report.objects.get(pk=report.pk).revision
    found = refusal(document)
    assert_named(found, {"sections.I.1": [str(SECTION_MAX_LENGTH + 1), str(SECTION_MAX_LENGTH)],
                         "sections.II.1": ["NUL", "9"]})
    assert_nothing_saved(report, revision)
    # The entry form takes the same bound.
    assert SectionsForm().fields["I.1"].max_length == SECTION_MAX_LENGTH
    assert not SectionsForm({"I.1": LONG * (SECTION_MAX_LENGTH + 1)}).is_valid()


def test_what_the_columns_hold_is_imported(report):
    document = document_of(report, plan={"reference": LONG * 300, "contents": BIG - 1,
                                         "tasks": [{"title": LONG * 500, "status": "done", "group": BIG - 1}]})
    document["document"]["subject"] = LONG * 400
    document.pop("indicators", None)  # the appendix would repeat the task counts of the empty report
    imported = import_report(document)
    assert imported.plan_contents == BIG - 1 and len(imported.subject) == 400
    assert PlanTask.objects.get(report=report).group == BIG - 1


@pytest.mark.requires_plugin("procedures")
def test_one_stop_import_names_the_count_paths(report):
    document = document_of(report, one_stop={"carried_over": 0, "online": BIG, "direct": 3, "postal": 0})
    revision = Report.objects.get(pk=report.pk).revision
    found = refusal(document)
    assert_named(found, {"one_stop.online": [str(BIG), "2147483647"]})
    assert_nothing_saved(report, revision)
    assert "one_stop.online" not in all_facts(report)


@pytest.mark.requires_plugin("procedures")
def test_time_cut_import_names_the_row_paths(report):
    document = document_of(report, time_cuts=[
        {"procedure": LONG * 501, "legal_days": 5, "cut_days": 3},
        {"procedure": "Đăng ký khai sinh", "legal_days": BIG, "cut_days": 2, "decision": "QĐ\x0012"},
    ])
    revision = Report.objects.get(pk=report.pk).revision
    found = refusal(document)
    assert_named(found, {
        "time_cuts[0].procedure": ["501", "500"],
        "time_cuts[1].legal_days": [str(BIG), "9999.99"],
        "time_cuts[1].decision": ["NUL", "3"],
    })
    assert_nothing_saved(report, revision)


@pytest.mark.requires_plugin("indicators")
def test_appendix_import_names_the_indicator_paths(report):
    document = document_of(report, indicators={"1.1": LONG * 301, "1.2.2": BIG, "2.1": "3\x00"})
    revision = Report.objects.get(pk=report.pk).revision
    found = refusal(document)
    assert_named(found, {
        "indicators.1.1": ["1.1", "301", "300"],  # the plan reference the direction part stores
        "indicators.1.2.2": ["1.2.2", str(BIG), "2147483647"],  # the direction part's issues_found
        "indicators.2.1": ["NUL"],
    })
    assert_nothing_saved(report, revision)
    assert Report.objects.get(pk=report.pk).issues_found is None


# --- forms ------------------------------------------------------------------------------------------

def direction_data(report, **overrides):
    data = {
        "part_revision": report.part_revision("direction"),
        "direction-plan_reference": "Kế hoạch số 02/KH-UBND", "direction-plan_contents": "3",
        "direction-plan_itemised": "on",
        "tasks-TOTAL_FORMS": "1", "tasks-INITIAL_FORMS": "0",
        "tasks-0-title": "Nhiệm vụ 1", "tasks-0-status": "done", "tasks-0-group": "1",
        "directives-TOTAL_FORMS": "0", "directives-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("field", ["direction-plan_contents", "direction-issues_found", "tasks-0-group"])
@pytest.mark.parametrize("typed", [str(BIG), "2.147.483.648"])
def test_direction_form_refuses_an_integer_its_column_cannot_hold(as_user, report, field, typed):
    revision = Report.objects.get(pk=report.pk).revision
    response = as_user("officer").post(f"/bao-cao/{report.pk}/chi-dao/", direction_data(report, **{field: typed}))
    assert response.status_code == 422
    assert "không được lớn hơn 2147483647" in response.content.decode()
    saved = Report.objects.get(pk=report.pk)
    assert saved.revision == revision and saved.plan_reference == ""
    assert not PlanTask.objects.filter(report=report).exists()


def test_direction_form_takes_the_largest_value_typed_with_separators(as_user, report):
    response = as_user("officer").post(f"/bao-cao/{report.pk}/chi-dao/",
                                       direction_data(report, **{"direction-plan_contents": "2.147.483.647"}))
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).plan_contents == BIG - 1


def test_entry_inputs_carry_the_columns_bounds(as_user, report):
    page = as_user("officer").get(f"/bao-cao/{report.pk}/chi-dao/").content.decode()
    assert 'name="direction-plan_contents"' in page
    tag = page[page.rindex("<input", 0, page.index('name="direction-plan_contents"')):]
    tag = tag[:tag.index(">")]
    assert 'max="2147483647"' in tag and 'min="0"' in tag


def test_header_form_refuses_an_over_long_string(as_user, report):
    data = {
        "part_revision": report.part_revision("header"), "header-doc_number": "12/BC-UBND",
        "header-place": "Vĩnh Long", "header-subject": LONG * 401, "header-signer_name": "Trần Quốc Lương",
        "header-signer_capacity": "TM",
    }
    response = as_user("officer").post(f"/bao-cao/{report.pk}/thong-tin/", data)
    assert response.status_code == 422
    assert Report.objects.get(pk=report.pk).signer_name == ""


@pytest.mark.requires_plugin("procedures")
@pytest.mark.parametrize("typed", [str(BIG), "2.147.483.648"])
def test_one_stop_form_refuses_an_integer_its_column_cannot_hold(as_user, report, typed):
    data = {"part_revision": report.part_revision("one_stop"), "one_stop-carried_over": "0",
            "one_stop-online": typed, "one_stop-direct": "1"}
    response = as_user("officer").post(f"/thu-tuc/bao-cao/{report.pk}/mot-cua/", data)
    assert response.status_code == 422
    assert "không được lớn hơn 2147483647" in response.content.decode()
    assert "one_stop.online" not in all_facts(report)
    assert Report.objects.get(pk=report.pk).part_revision("one_stop") == 0


@pytest.mark.requires_plugin("indicators")
@pytest.mark.parametrize("name, typed, words", [
    ("count", str(BIG), ["2147483648", "0–2147483647"]),
    ("count", "2.147.483.648", ["2147483648", "0–2147483647"]),
    ("self", "100.000", ["100000", "99999.99"]),
])
def test_self_assessment_form_refuses_a_number_its_column_cannot_hold(as_user, users, vinh_long, name, typed, words):
    # Reached by name, so that this module still runs with the core alone (the test is left out then).
    import importlib

    fixtures = importlib.import_module("tests.indicators.scoring_fixtures")
    services = importlib.import_module("indicators.scoring.services")
    fixtures.install_criteria("45", 2023)
    assessment = services.start_assessment(vinh_long, 2023, actor=users["officer"])
    leaf = assessment.leaves.get(criterion__code="1.5.4")  # per_count_capped: a count is typed
    response = as_user("officer").post(f"/chi-so/danh-gia/{assessment.pk}/tu-danh-gia/", {f"{name}-{leaf.pk}": typed})
    assert response.status_code == 422
    body = response.content.decode()
    assert all(word in body for word in words), body[:2000]
    leaf.refresh_from_db()
    assert leaf.count is None and leaf.self_score is None
