"""Smoke test in a real browser: each demo role signs in through the form and sees its own home
page in Vietnamese, with every asset loading and no script error."""

import pytest

pytestmark = pytest.mark.browser

# username → (role shown in the navigation bar, texts its home page must show)
ROLES = {
    "canbo.vinhlong": ("Công chức cấp xã", [
        "Báo cáo CCHC của Xã Vĩnh Long", "Báo cáo CCHC của Xã Vĩnh Linh", "Quý II năm 2024", "Lập báo cáo",
    ]),
    "lanhdao.vinhlong": ("Lãnh đạo UBND cấp xã", ["Báo cáo CCHC của Xã Vĩnh Long", "Lập báo cáo"]),
    "noivu.vinhlinh": ("Cán bộ thẩm định (Nội vụ)", [
        "Tình hình gửi báo cáo — Huyện Vĩnh Linh", "18 đơn vị cấp xã", "Thị trấn Hồ Xá", "Xã Vĩnh Long",
    ]),
    "sonoivu.quangtri": ("Cán bộ thẩm định (Nội vụ)", [
        "Tình hình gửi báo cáo — Tỉnh Quảng Trị", "78 đơn vị cấp xã", "Xã Vĩnh Linh",
    ]),
    "quantri": ("Quản trị", ["Đơn vị hành chính", "Người dùng", "Phân quyền", "Kỳ báo cáo"]),
}


def test_login_page_is_vietnamese(page, portal):
    page.goto(f"{portal}/")
    assert page.url == f"{portal}/dang-nhap/?next=/"
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Đăng nhập").is_visible()
    assert page.get_by_role("link", name="Quên mật khẩu?").is_visible()
    assert page.problems == []


def test_wrong_password_is_refused_in_vietnamese(page, portal):
    page.goto(f"{portal}/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo.vinhlong")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    assert page.get_by_text("Tên đăng nhập hoặc mật khẩu không đúng").is_visible()
    assert page.url.startswith(f"{portal}/dang-nhap/")


@pytest.mark.parametrize("username", list(ROLES))
def test_each_role_signs_in_and_sees_its_home_page(login, username):
    role, texts = ROLES[username]
    page = login(username)
    assert page.title().startswith("Trang chủ")
    assert page.get_by_role("heading", name="Xin chào").is_visible()
    navbar = page.locator("nav.navbar")
    assert role in navbar.inner_text()
    assert navbar.get_by_role("button", name="Đăng xuất").is_visible()
    body = page.locator("main").inner_text()
    for text in texts:
        assert text in body, f"{username}: {text!r} missing"
    # Bootstrap's stylesheet is served and applied (the navbar is its primary blue, not unstyled).
    assert navbar.evaluate("el => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"
    assert page.problems == []


def test_officer_signs_out(login, portal):
    page = login("canbo.vinhlong")
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{portal}/dang-nhap/")
    page.goto(f"{portal}/")
    assert page.url == f"{portal}/dang-nhap/?next=/"
