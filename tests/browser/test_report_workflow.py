"""A quarterly report in a real browser: the officer fills it from scratch (a rate updates as she
types, an invariant error is shown and fixed), the leader submits, the reviewer returns it with a
reason, the officer corrects it, the leader resubmits, the reviewer approves and the officer can no
longer edit."""

import re

import pytest
from playwright.sync_api import expect

from procedures.models import OneStopStats
from reports.models import Report, ReportStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.get_by_role("button", name="Đăng xuất").click()


def open_part(page, name):
    page.locator(".part-nav").get_by_role("link", name=name).click()


def test_quarterly_report_round_trip(page, login, portal):
    # 1. The officer creates the Q2/2024 report and fills the header.
    login("canbo.vinhlong")
    page.locator("tr", has_text="Quý II năm 2024").get_by_role("button", name="Lập báo cáo").click()
    expect(page.get_by_role("heading", name=re.compile("Báo cáo CCHC quý II năm 2024"))).to_be_visible()
    report = Report.objects.get(unit__code="19387", period__year=2024, period__kind="Q2")

    open_part(page, "Thông tin văn bản")
    page.get_by_label("Số ký hiệu").fill("15/BC-UBND")
    page.get_by_label("Địa danh").fill("Vĩnh Long")
    page.get_by_label("Ngày văn bản").fill("18/06/2024")
    page.get_by_label("Kính gửi").fill("Phòng Nội vụ huyện Vĩnh Linh")
    page.get_by_label("Người ký", exact=True).fill("Trần Quốc Lương")
    page.get_by_test_id("save-part").click()
    expect(page.get_by_text("Đã lưu phần")).to_be_visible()

    # 2. One-stop figures: the on-time rate follows the typing; a wrong total is refused.
    open_part(page, "Một cửa")
    for label, value in [("Kỳ trước chuyển sang", "10"), ("Tiếp nhận trực tuyến", "120"),
                         ("Tiếp nhận trực tiếp", "60"), ("Tiếp nhận qua BCCI", "10"),
                         ("Giải quyết trước hạn", "150"), ("Giải quyết đúng hạn", "30"),
                         ("Giải quyết quá hạn", "5"), ("Đang giải quyết trong hạn", "15")]:
        page.get_by_label(label, exact=True).fill(value)
    on_time = page.locator("[data-rate=on_time]")
    expect(on_time).to_have_text("97,3%")  # (150 + 30) / 185, computed by the server
    page.get_by_label("Giải quyết quá hạn", exact=True).fill("0")
    page.get_by_label("Đang giải quyết trong hạn", exact=True).fill("20")
    expect(on_time).to_have_text("100%")
    page.get_by_label("Tổng số hồ sơ tiếp nhận", exact=True).fill("250")
    page.get_by_test_id("save-part").click()
    expect(page.get_by_text("Tổng số hồ sơ tiếp nhận (250) khác tổng các kênh tiếp nhận (200)")).to_be_visible()
    assert not OneStopStats.objects.filter(report=report).exists()
    expect(page.get_by_label("Tiếp nhận trực tiếp", exact=True)).to_have_value("60")  # nothing typed is lost
    page.get_by_label("Tổng số hồ sơ tiếp nhận", exact=True).fill("200")
    page.get_by_test_id("save-part").click()
    expect(page.get_by_text("Đã lưu phần")).to_be_visible()
    logout(page)

    # 3. The leader submits.
    login("lanhdao.vinhlong")
    page.goto(f"{portal}/bao-cao/{report.pk}/")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_text("Đã gửi báo cáo")).to_be_visible()
    logout(page)

    # 4. The reviewer returns it with a reason.
    login("noivu.vinhlinh")
    page.goto(f"{portal}/bao-cao/{report.pk}/")
    page.get_by_test_id("return-report").click()  # without a reason: refused by the browser or server
    page.get_by_label("Lý do").fill("Thiếu nhận định ở mục III")
    page.get_by_test_id("return-report").click()
    expect(page.get_by_text("Đã trả lại báo cáo")).to_be_visible()
    logout(page)

    # 5. The officer sees why, corrects, and the leader resubmits.
    login("canbo.vinhlong")
    page.goto(f"{portal}/bao-cao/{report.pk}/")
    expect(page.get_by_test_id("timeline")).to_contain_text("Thiếu nhận định ở mục III")
    open_part(page, "Nội dung báo cáo (I–V)")
    page.get_by_label("III.2. Tồn tại, hạn chế").fill("Tỷ lệ hồ sơ trực tuyến toàn trình còn thấp.")
    page.get_by_test_id("save-part").click()
    expect(page.get_by_text("Đã lưu phần")).to_be_visible()
    logout(page)
    login("lanhdao.vinhlong")
    page.goto(f"{portal}/bao-cao/{report.pk}/")
    page.get_by_test_id("submit-report").click()
    logout(page)

    # 6. The reviewer sees what changed and approves.
    login("noivu.vinhlinh")
    page.goto(f"{portal}/bao-cao/{report.pk}/")
    expect(page.get_by_text("Thay đổi so với lần gửi trước")).to_be_visible()
    expect(page.get_by_text("Tỷ lệ hồ sơ trực tuyến toàn trình còn thấp.")).to_be_visible()
    page.get_by_test_id("approve-report").click()
    expect(page.get_by_text("Đã duyệt báo cáo")).to_be_visible()
    logout(page)

    # 7. The officer can no longer edit.
    login("canbo.vinhlong")
    page.goto(f"{portal}/bao-cao/{report.pk}/thong-tin/")
    expect(page.get_by_text("Chế độ chỉ xem")).to_be_visible()
    expect(page.get_by_label("Người ký", exact=True)).to_be_disabled()
    expect(page.get_by_test_id("save-part")).to_have_count(0)
    page.goto(f"{portal}/bao-cao/{report.pk}/lich-su/")
    timeline = page.get_by_test_id("timeline")
    for status in ("Đã gửi", "Bị trả lại", "Đã duyệt"):
        expect(timeline).to_contain_text(status)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED
    # The refused save answers 422 by design; nothing else may fail.
    assert [p for p in page.problems if not p.startswith("422 ")] == []
