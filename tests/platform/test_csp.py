"""Content-Security-Policy (django-csp): every page carries a policy that allows only the portal's own
files, with no 'unsafe-inline' for scripts or styles, so no template may hold an inline script, a
style element or attribute, or an on*= handler; the other security headers are kept.
(tests/browser/test_csp.py opens the pages in Chromium and records any violation.)"""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from .processes import manage, portal_env

TEMPLATES_DIR = settings.BASE_DIR / "templates"
# Rendered by WeasyPrint into PDF files, never served to a browser (cchc_portal/lib/pdf_writer.py).
NOT_SERVED = {"documents/official.html"}
ROLES = ["officer", "leader", "reviewer", "province_reviewer", "admin"]
MAX_PAGES_PER_ROLE = 30


def directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict_policy(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"], directive
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


class InlineFinder(HTMLParser):
    """Collects what the policy would block in a page: inline scripts (json_script's data blocks
    are not executable and are allowed), style elements, style attributes and on*= handlers."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/json":
            self.found.append(f"inline <script> {attrs}")
        if tag == "style":
            self.found.append("<style> element")
        if "style" in attrs:
            self.found.append(f"style= on <{tag}>: {attrs['style']}")
        self.found += [f"{name}= on <{tag}>" for name in attrs if name.startswith("on")]


def inline_code(html):
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def portal_links(html):
    """Same-site GET links of a page, minus sign-out, downloads and the admin site."""
    links = set(re.findall(r'href="(/[^"#]*)"', html))
    return sorted(link for link in links if not link.startswith(("/static/", "/quan-tri/", "/dang-xuat/"))
                  and "/tai/" not in link)


@pytest.mark.parametrize("template", sorted(
    str(path.relative_to(TEMPLATES_DIR)) for path in TEMPLATES_DIR.rglob("*.html")
))
def test_no_template_holds_inline_script_or_style(template):
    if template in NOT_SERVED:
        pytest.skip("rendered to PDF only")
    text = (TEMPLATES_DIR / template).read_text()
    text = re.sub(r"{#.*?#}|{% comment %}.*?{% endcomment %}", "", text, flags=re.DOTALL)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"<style[\s>]", text), "<style> element"
    assert not re.search(r"\sstyle\s*=", text), "style= attribute"
    assert not re.search(r"\son[a-z]+\s*=", text), "on*= handler"


def test_the_login_page_carries_the_policy_and_the_other_security_headers(client, db):
    response = client.get("/dang-nhap/")
    assert response.status_code == 200
    assert_strict_policy(response)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert inline_code(response.content.decode()) == []


def test_error_pages_carry_the_policy(as_user):
    assert_strict_policy(as_user("officer").get("/khong-co-trang-nay/"))


@pytest.mark.parametrize("role", ROLES)
def test_each_roles_pages_carry_the_policy_and_no_inline_code(as_user, report, role):
    """The home page and the pages it links to (a bounded crawl), as each role sees them."""
    client = as_user(role)
    seen, shapes, todo = set(), {}, ["/", f"/bao-cao/{report.pk}/"]
    checked = 0
    while todo and checked < MAX_PAGES_PER_ROLE:
        url = todo.pop(0)
        shape = re.sub(r"\d+", "N", url)  # /don-vi/180/ and /don-vi/181/ are one page, twice enough
        if url in seen or shapes.get(shape, 0) >= 2:
            continue
        seen.add(url)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        checked += 1
        assert_strict_policy(response)
        html = response.content.decode()
        assert inline_code(html) == [], url
        todo += [link for link in portal_links(html) if link not in seen]
    assert checked >= 3, f"{role}: only {checked} pages reached"


# In production mode (DEBUG=0) over HTTPS: the policy and HSTS together on a real response.
PRODUCTION_HEADERS = """
from django.test import Client
response = Client().get("/dang-nhap/", secure=True, headers={"host": "cchc.example.vn"})
print("status", response.status_code)
for name in ("Content-Security-Policy", "Strict-Transport-Security", "X-Frame-Options",
             "X-Content-Type-Options", "Referrer-Policy"):
    print(name, "=", response.get(name))
"""


def test_production_sends_the_policy_with_hsts_and_the_other_headers(tmp_path):
    env = portal_env(tmp_path, DEBUG="0", ALLOWED_HOSTS="cchc.example.vn",
                     SECRET_KEY="q7Hz_2mVx9LkP4rT8wYc1NbF6dJs3GhQ5aZe0uKiOpWl-production-test")
    result = manage("migrate", "--noinput", env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    result = manage("shell", "-c", PRODUCTION_HEADERS, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    headers = dict(line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line)
    assert "status 200" in result.stdout
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
