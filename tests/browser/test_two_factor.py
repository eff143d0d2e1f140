"""The second factor in a real browser: a reviewer opens the page from the user menu, scans (reads)
the secret, confirms with a code, then logs in again with the password and a code. No console error
(so no Content-Security-Policy violation) on the way."""

from base64 import b32decode

from django_otp.oath import totp

from reports.demo import DEMO_PASSWORD


def code_for(secret, drift=0):
    return f"{totp(b32decode(secret.replace(' ', '')), drift=drift):06d}"


def test_reviewer_turns_on_the_second_factor_and_logs_in_with_it(page, login, portal):
    login("noivu.vinhlinh")
    page.locator("#usermenu").click()
    page.get_by_role("link", name="Xác thực hai bước").click()
    assert page.locator(".qr-code svg").is_visible()
    secret = page.locator("code.user-select-all").inner_text()
    page.get_by_label("Mã 6 chữ số trong ứng dụng").fill(code_for(secret))
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    assert page.locator(".recovery-codes li").count() == 10
    page.get_by_role("button", name="Đăng xuất").click()

    page.goto(f"{portal}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("noivu.vinhlinh")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{portal}/dang-nhap/ma-xac-thuc/")
    page.get_by_label("Mã xác thực").fill(code_for(secret, drift=1))  # the enrolment used this step's code
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(f"{portal}/")
    assert page.get_by_role("button", name="Đăng xuất").is_visible()
    assert page.problems == []
