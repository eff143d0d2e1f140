"""Fixtures of the document tests: a filled-in report of Xã Vĩnh Long and stand-ins for the parts
colleagues contribute (one_stop, procedures, appendix), registered in the parts registry exactly as
their apps would register them. Nothing here imports a plug-in: with ``CCHC_PLUGINS=`` the stand-ins'
data is simply printed by no block, and the tests of the plug-ins' blocks are marked
``requires_plugin``."""

import contextlib
import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings

from reports import parts as part_registry
from reports.models import PlanTask, TaskStatus

# Seed-002-like figures: 830 received, 273 resolved of which 180 early (65,93%).
ONE_STOP = {
    "carried_over": 10, "online": 600, "online_full": 120, "online_partial": 480, "direct": 200, "postal": 20,
    "resolved_early": 180, "resolved_on_time": 90, "resolved_late": 3,
    "pending_in_time": 550, "pending_overdue": 4, "withdrawn": 3,
    "interconnected": None, "digitised": 700, "electronic_results": None, "fee_bearing": None,
    "paid_online": None, "satisfaction_responses": None, "satisfied": None,
}
TIME_CUTS = [
    {"procedure": "Đăng ký kết hôn", "legal_days": Decimal("5"), "cut_days": Decimal("2"), "pct_cut": Decimal("60.00"),
     "decision": "QĐ 12/QĐ-UBND"},
    {"procedure": "Hòa giải tranh chấp đất đai", "legal_days": Decimal("45"), "cut_days": Decimal("30"),
     "pct_cut": Decimal("33.33"), "decision": ""},
]
APPENDIX = [
    {"code": "1", "name": "Công tác chỉ đạo điều hành CCHC", "unit": "", "value": "", "raw": None, "depth": 1,
     "is_group": True},
    {"code": "1.1.1", "name": "Số nhiệm vụ đề ra trong kế hoạch", "unit": "Nhiệm vụ", "value": "25", "raw": 25,
     "depth": 3, "is_group": False},
    {"code": "1.4.2", "name": "Hình thức khảo sát", "unit": "Trực tuyến = 0, Phát phiếu = 1", "value": "1",
     "raw": 1, "depth": 3, "is_group": False},
    {"code": "3.3.1", "name": "Số lượng hồ sơ đã tiếp nhận", "unit": "Số lượng hồ sơ", "value": "1.234",
     "raw": 1234, "depth": 3, "is_group": False},
    {"code": "3.2.4", "name": "Tỷ lệ TTHC đã được phê duyệt quy trình nội bộ", "unit": "%", "value": "100",
     "raw": 100, "depth": 3, "is_group": False},
]


class FakePart(part_registry.ReportPart):
    url_name = "part-prose"  # the overview links every part; any entry screen will do

    def __init__(self, key, order, context):
        self.key, self.order, self.title, self._context = key, order, key, context

    def document_context(self, report):
        value = self._context(report) if callable(self._context) else self._context
        return value


def one_stop_context(counts):
    """The counts as the one_stop part gives them (its block derives totals and rates from them)."""
    return {"counts": dict(counts)}


@contextlib.contextmanager
def registered_parts():
    """Register the one_stop, procedures and appendix parts (their figures per report id in the
    yielded dict); the registry is restored afterwards."""
    saved = dict(part_registry._registry)
    data = {"one_stop": {}, "procedures": {}, "appendix": {}}
    part_registry.register(FakePart("one_stop", 30, lambda r: data["one_stop"].get(r.pk, {})))
    part_registry.register(FakePart("procedures", 35, lambda r: {"time_cuts": data["procedures"].get(r.pk, [])}))
    part_registry.register(FakePart("appendix", 40, lambda r: {"catalogue": "01b",
                                                               "rows": data["appendix"].get(r.pk, [])}))
    try:
        yield data
    finally:
        part_registry._registry.clear()
        part_registry._registry.update(saved)


@pytest.fixture
def colleague_parts():
    with registered_parts() as data:
        yield data


def fill_report(report, *, one_stop=ONE_STOP, data=None, tasks_done=15, tasks_total=25):
    report.doc_number = "12"
    report.place = "Vĩnh Long"
    report.doc_date = dt.date(2024, 6, 20)
    report.addressee = "Phòng Nội vụ huyện Vĩnh Linh"
    report.recipients = "Phòng Nội vụ huyện (b/c)\nTT Đảng ủy, HĐND xã (b/c)"
    report.signer_name = "Trần Quốc Lương"
    report.signer_title = "Chủ tịch"
    report.signer_capacity = "TM"
    report.plan_reference = "Kế hoạch số 01/KH-UBND ngày 05/01/2024"
    report.plan_itemised = True
    # Decomposed Vietnamese (NFD) on purpose: the documents must come out NFC.
    import unicodedata

    report.sections = {
        "I.1": unicodedata.normalize("NFD", "UBND xã đã quán triệt kế hoạch đến toàn thể cán bộ, công chức."),
        "II.2": "Bộ phận một cửa thực hiện tốt cơ chế một cửa liên thông.",
        "III.1": "Công tác CCHC được quan tâm chỉ đạo.",
        "IV": "Tiếp tục đẩy mạnh dịch vụ công trực tuyến toàn trình.",
    }
    report.save()
    PlanTask.objects.filter(report=report).delete()
    PlanTask.objects.bulk_create([
        PlanTask(report=report, position=i, title=f"Nhiệm vụ số {i}", responsible="Văn phòng - Thống kê",
                 status=TaskStatus.DONE if i <= tasks_done else TaskStatus.IN_PROGRESS, due=dt.date(2024, 12, 31))
        for i in range(1, tasks_total + 1)
    ])
    if data is not None:
        if one_stop is not None:
            data["one_stop"][report.pk] = one_stop_context(one_stop)
        data["procedures"][report.pk] = TIME_CUTS
        data["appendix"][report.pk] = APPENDIX
    report.refresh_from_db()
    return report


@pytest.fixture
def filled_report(report, colleague_parts):
    return fill_report(report, data=colleague_parts)


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    """Every test writes its documents under its own MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


__all__ = ["settings"]
