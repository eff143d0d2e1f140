"""Every form of the portal, posted with hostile values (huge integers, NaN, Infinity, "1e400", NUL,
long strings, impossible dates …) in any of its fields: the answer is never a 500, and a refused
post (4xx) leaves what it would have changed as it was.

The fields are read from the page that shows the form, so a field added later is fuzzed too."""

import importlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from hypothesis import given
from hypothesis import strategies as st

from reports.models import PartComment, Report, ReportingPeriod, ReportStatus

from .forms_support import client_for, fuzzed_payload, page_form


@dataclass
class Target:
    role: str
    page: Callable  # ctx -> URL of the page showing the form
    post: Callable  # ctx -> URL the form posts to (None: the page itself)
    state: Callable  # ctx -> what a refused post must leave unchanged
    plugin: str = ""
    fresh: Callable = None  # ctx -> {field: value} read again before each post (revision tokens)
    reset: Callable = None  # ctx -> None: put the object back in the state the form needs


def report_state(ctx):
    report = Report.objects.get(pk=ctx["report"].pk)
    return (report.revision, dict(report.part_revisions), report.status,
            PartComment.objects.filter(report=report).count())


def assessment_state(ctx):
    """Every stored value of the assessment, its leaves, adjustments and remediation items."""
    assessment = ctx["assessment"]
    return (list(type(assessment).objects.filter(pk=assessment.pk).values()),
            list(assessment.leaves.order_by("pk").values()), list(assessment.adjustments.order_by("pk").values()),
            list(assessment.remediation_items.order_by("pk").values()))


def rows_of(label):
    """All rows of a model (for a form that creates rows: a refused post creates none)."""
    return list(apps.get_model(label).objects.order_by("pk").values_list("pk", flat=True))


def bands_state(ctx):
    return type(ctx["criteria_set"]).objects.get(pk=ctx["criteria_set"].pk).bands


def submitted_again(ctx):
    """A report returned by an accepted post is submitted again, so the next post finds it submitted."""
    report = Report.objects.get(pk=ctx["report"].pk)
    if report.status != ReportStatus.SUBMITTED:
        services = importlib.import_module("reports.services")
        services.submit_report(report, actor=ctx["users"]["leader"])


def part(route, plugin=""):
    def fresh(ctx):
        key = PART_KEYS[route]
        return {"part_revision": str(Report.objects.get(pk=ctx["report"].pk).part_revision(key))}

    prefix = {"procedures": "/thu-tuc", "indicators": "/chi-so"}.get(plugin, "")
    return Target("officer", lambda ctx: f"{prefix}/bao-cao/{ctx['report'].pk}/{route}/", None, report_state,
                  plugin, fresh)


PART_KEYS = {"thong-tin": "header", "chi-dao": "direction", "noi-dung": "prose", "mot-cua": "one_stop",
             "thu-tuc": "procedures", "phu-luc-01b": "appendix"}

TARGETS = {
    "report-header": part("thong-tin"),
    "report-direction": part("chi-dao"),
    "report-prose": part("noi-dung"),
    "one-stop": part("mot-cua", "procedures"),
    "procedures": part("thu-tuc", "procedures"),
    "appendix-01b": part("phu-luc-01b", "indicators"),
    "comment": Target("reviewer", lambda ctx: f"/bao-cao/{ctx['report'].pk}/thong-tin/",
                      lambda ctx: f"/bao-cao/{ctx['report'].pk}/nhan-xet/header/", report_state),
    "return-reason": Target("reviewer", lambda ctx: f"/bao-cao/{ctx['submitted'].pk}/",
                            lambda ctx: f"/bao-cao/{ctx['submitted'].pk}/tra-lai/", report_state,
                            reset=lambda ctx: submitted_again(ctx)),
    "self-assessment": Target("officer", lambda ctx: f"/chi-so/danh-gia/{ctx['assessment'].pk}/tu-danh-gia/", None,
                              assessment_state, "indicators"),
    "appraisal": Target("reviewer", lambda ctx: f"/chi-so/danh-gia/{ctx['assessment'].pk}/tham-dinh/1/", None,
                        assessment_state, "indicators"),
    "explanation": Target("officer", lambda ctx: f"/chi-so/danh-gia/{ctx['assessment'].pk}/giai-trinh/", None,
                          assessment_state, "indicators"),
    "council": Target("reviewer", lambda ctx: f"/chi-so/danh-gia/{ctx['assessment'].pk}/hoi-dong/", None,
                      assessment_state, "indicators"),
    "adjustments": Target("reviewer", lambda ctx: f"/chi-so/danh-gia/{ctx['assessment'].pk}/",
                          lambda ctx: f"/chi-so/danh-gia/{ctx['assessment'].pk}/thuong-tru/", assessment_state,
                          "indicators"),
    "export-start": Target("reviewer", lambda ctx: f"/chi-so/xep-hang/{ctx['report'].unit.parent_id}/2023/",
                           lambda ctx: "/chi-so/xuat/", lambda ctx: rows_of("reports.RenderedDocument"), "indicators"),
    "criteria-import": Target("admin", lambda ctx: "/chi-so/bo-tieu-chi/nhap/", None,
                              lambda ctx: rows_of("indicators.CriteriaSet"), "indicators"),
    "report-import": Target("officer", lambda ctx: "/bao-cao/nhap-tep/", None, lambda ctx: rows_of("reports.Report")),
    "bands": Target("admin", lambda ctx: f"/chi-so/bo-tieu-chi/{ctx['criteria_set'].pk}/",
                    lambda ctx: f"/chi-so/bo-tieu-chi/{ctx['criteria_set'].pk}/xep-loai/", bands_state, "indicators"),
}


# The state each scoring screen needs (reached through the services, as in the permission matrix).
STATUS_NEEDED = {"appraisal": "SELF_SUBMITTED", "explanation": "EXPLAINING", "council": "ROUND2",
                 "adjustments": "ROUND2"}


@pytest.fixture
def ctx(request, users, report):
    target = TARGETS[request.param]
    if target.plugin and not apps.is_installed(target.plugin):
        pytest.skip(f"needs {target.plugin}")
    context = {"report": report, "users": users, "target": target}
    if request.param == "return-reason":
        services = importlib.import_module("reports.services")
        report.signer_name, report.place = "Trần Quốc Lương", "Vĩnh Long"
        report.save()
        context["submitted"] = context["report"] = services.submit_report(report, actor=users["leader"])
    if target.plugin == "indicators" and request.param != "appendix-01b":
        fixtures = importlib.import_module("tests.indicators.scoring_fixtures")
        scoring = importlib.import_module("indicators.scoring.services")
        context["criteria_set"] = fixtures.install_criteria("45", 2023)
        context["assessment"] = scoring.start_assessment(report.unit, 2023, actor=users["officer"])
        status = STATUS_NEEDED.get(request.param)
        if status:
            world = importlib.import_module("tests.security.world")
            status = getattr(importlib.import_module("indicators.scoring.models").AssessmentStatus, status)
            context["assessment"] = world.advance(context["assessment"], status, users)
    return context


@pytest.mark.parametrize("ctx", list(TARGETS), indirect=True)
@given(data=st.data())
def test_a_form_never_answers_500_and_a_refused_post_saves_nothing(ctx, data):
    target = ctx["target"]
    if target.reset:
        target.reset(ctx)
    client = client_for(ctx["users"][target.role])
    page_url = target.page(ctx)
    post_url = target.post(ctx) if target.post else page_url
    if "fields" not in ctx:  # read once: the page's fields do not change between inputs
        page = client.get(page_url)
        assert page.status_code == 200, page_url
        ctx["fields"] = page_form(page.content.decode(), post_url)
    fields = ctx["fields"]
    payload = fuzzed_payload(data, fields, target.fresh(ctx) if target.fresh else None)
    before = target.state(ctx)
    response = client.post(post_url, payload)
    assert response.status_code < 500, (post_url, payload)
    if response.status_code >= 400:
        assert target.state(ctx) == before, (post_url, payload)


@pytest.mark.parametrize("ctx", ["report-header"], indirect=True)
def test_the_form_reader_finds_the_fields_of_a_part(ctx):
    client = client_for(ctx["users"]["officer"])
    url = f"/bao-cao/{ctx['report'].pk}/thong-tin/"
    names = {name for name, _value, _kind in page_form(client.get(url).content.decode(), url)}
    assert "part_revision" in names and len(names) > 3


def test_review_period_bulk_approval_ignores_ids_that_cannot_be_reports(users, report):
    period = ReportingPeriod.objects.get(pk=report.period_id)
    client = client_for(users["admin"])
    for value in ("abc", str(2**63), "-1", "1e400", "\x00", "9" * 400):
        response = client.post(f"/tham-dinh/ky/{period.pk}/", {"report": [value, str(report.pk)]})
        assert response.status_code == 302, value
