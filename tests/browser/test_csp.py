"""The Content-Security-Policy in a real browser: each demo role opens its main pages (the home page
and the pages it links to, a bounded crawl) and Chromium reports no violation, neither on the
console nor as a ``securitypolicyviolation`` event; the moved scripts still work."""

import re

import pytest

from reports.demo import BEFORE, VINH_LONG
from reports.models import AdministrativeUnit, ReportingPeriod
from reports.services import open_report

pytestmark = pytest.mark.browser

ROLES = ["canbo.vinhlong", "lanhdao.vinhlong", "noivu.vinhlinh", "sonoivu.quangtri", "quantri"]
MAX_PAGES = 14
# Injected by the browser driver (not subject to the policy): every violation also goes to the console.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI + " "
                + event.sourceFile + ":" + event.lineNumber);
});
"""
LINKS = """() => [...document.querySelectorAll("a[href^='/']")].map((a) => a.getAttribute("href"))"""


@pytest.fixture
def violations(page):
    found = []
    page.add_init_script(REPORT_VIOLATIONS)

    def on_console(message):
        text = message.text
        if "Content Security Policy" in text or "CSP violation" in text:
            found.append(f"{page.url}: {text}")

    page.on("console", on_console)
    return found


@pytest.fixture
def officer_report(portal):
    unit = AdministrativeUnit.objects.resolve(VINH_LONG, BEFORE)
    period = ReportingPeriod.objects.get(year=2024, kind="Q2")
    if not period.is_open:
        period.is_open = True
        period.save()
    return open_report(unit, period, actor=None)


def crawl(page, portal, start):
    """Open ``start`` pages and the portal pages they link to, at most two of each URL shape."""
    seen, shapes, todo, opened = set(), {}, list(start), []
    while todo and len(opened) < MAX_PAGES:
        url = todo.pop(0).split("#")[0]
        shape = re.sub(r"\d+", "N", url)
        if url in seen or shapes.get(shape, 0) >= 2 or url.startswith(("/dang-xuat/", "/static/")) \
                or "/tai/" in url or "/xuat-tep/" in url:
            continue
        seen.add(url)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = page.goto(f"{portal}{url}")
        if response is None or response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        page.wait_for_load_state("networkidle")
        opened.append(url)
        if not url.startswith("/quan-tri/"):
            todo += [link for link in page.evaluate(LINKS) if link not in seen]
    return opened


@pytest.mark.parametrize("username", ROLES)
def test_main_pages_of_each_role_raise_no_csp_violation(login, portal, officer_report, violations, username):
    page = login(username)
    start = ["/", f"/bao-cao/{officer_report.pk}/"]
    if username == "quantri":
        start.append("/quan-tri/")
    opened = crawl(page, portal, start)
    assert len(opened) >= 3, opened
    assert violations == []


def test_htmx_injects_no_style_and_the_moved_scripts_work(login, portal, officer_report, violations):
    # A submitted report gets a checkbox on the review page (the workflow itself is not under test).
    type(officer_report).objects.filter(pk=officer_report.pk).update(status="submitted")
    page = login("noivu.vinhlinh")
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("document.querySelectorAll('style').length") == 0
    # The review page's "select all" box (data-check-all, static/js/portal.js).
    page.goto(f"{portal}/tham-dinh/ky/{officer_report.period.pk}/")
    boxes = page.locator("input[name=report]")
    assert boxes.count() >= 1
    page.get_by_label("Chọn tất cả").check()
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    page.get_by_label("Chọn tất cả").uncheck()
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert violations == []


def test_the_recorder_sees_a_blocked_inline_style(login, violations):
    """The policy is enforced and recorded: a style attribute set on a page is refused and reported."""
    page = login("canbo.vinhlong")
    page.evaluate("document.body.setAttribute('style', 'background: red')")
    page.wait_for_timeout(300)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
    assert any("style-src" in violation for violation in violations), violations
