"""Shared fixtures of the real-browser tests: Debian's Chromium driven by Playwright (never a
downloaded browser), a page per test, and a login helper that goes through the login form.

    @pytest.mark.browser
    def test_something(portal, login):
        page = login("canbo.vinhlong")
        page.get_by_role("link", name="Mở báo cáo").first.click()

``portal`` is the live server's base URL with the base data committed (tests/base_data.py); the
database is flushed after each test, as for every transactional test.
"""

import os
from pathlib import Path

import pytest

from reports.demo import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
# (fixtures, assertions) are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TIMEOUT_MS = 20_000


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make test does: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def portal(live_server, base_data):
    """Base URL of the running portal, with the base data in its database."""
    return live_server.url


@pytest.fixture
def page(browser):
    """A fresh page (own cookies) that records failed requests and console errors in
    ``page.problems``; tests assert it stays empty."""
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.problems = []

    def on_response(response):
        # The browser asks for /favicon.ico by itself; the portal has none and need not.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            page.problems.append(f"{response.status} {response.url}")

    def on_console(message):
        if message.type == "error" and "Failed to load resource" not in message.text:
            page.problems.append(f"console: {message.text}")  # failed loads: see on_response

    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: page.problems.append(f"page error: {error}"))
    yield page
    context.close()


@pytest.fixture
def login(page, portal):
    """``login(username)`` signs in through the form and returns the page, on the home page."""

    def sign_in(username, password=DEMO_PASSWORD):
        page.goto(f"{portal}/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(password)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(f"{portal}/")
        return page

    return sign_in
