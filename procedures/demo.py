"""Demo data of the procedures app: consistent one-stop figures for every demo report, and the
procedure catalogue and time cuts of Xã Vĩnh Long (procedures and times as in the seed commune
report's time-cut table; national codes are illustrative). Safe to run twice."""

from decimal import Decimal

from django.db import transaction

from procedures import onestop as numbers
from reports.demo import BEFORE, VINH_LONG, register
from reports.models import AdministrativeUnit, Report

from . import selectors
from .models import OneStopStats, OnlineServiceType, Procedure, TimeCut

FULL, PARTIAL, NONE = OnlineServiceType.FULL, OnlineServiceType.PARTIAL, OnlineServiceType.NONE

# (field, name, national code, legal days, online service, days after the cut or None)
CATALOGUE = [
    ("Hộ tịch", "Đăng ký khai sinh", "1.001193", "1", FULL, None),
    ("Hộ tịch", "Đăng ký kết hôn (trừ trường hợp phải xác minh)", "1.000894", "5", PARTIAL, "2"),
    ("Hộ tịch", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "", "3", PARTIAL, "2"),
    ("Hộ tịch", "Cấp Giấy xác nhận tình trạng hôn nhân (trừ trường hợp phải xác minh)", "1.004873", "3", FULL, "2"),
    ("Hộ tịch", "Đăng ký lại khai sinh (trừ trường hợp phải xác minh)", "", "5", PARTIAL, "3"),
    ("Hộ tịch", "Đăng ký lại khai tử", "", "5", PARTIAL, "2"),
    ("Chứng thực", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "", "1", NONE, None),
    ("Bảo trợ xã hội", "Cấp đổi, cấp lại Giấy xác nhận khuyết tật", "", "5", PARTIAL, "2"),
    ("Phòng, chống tệ nạn xã hội", "Quyết định quản lý cai nghiện ma túy tự nguyện tại gia đình", "", "3", NONE, "2"),
    ("Đất đai", "Hòa giải tranh chấp đất đai", "", "45", NONE, "30"),
    ("Văn hóa cơ sở", "Xét tặng danh hiệu Gia đình văn hóa hằng năm", "", "5", NONE, "3"),
    ("Văn hóa cơ sở", "Thông báo tổ chức lễ hội cấp xã", "", "15", PARTIAL, "7"),
    ("Thể dục, thể thao", "Công nhận câu lạc bộ thể thao cơ sở", "", "5", NONE, "3"),
    ("Thư viện", "Thông báo chấm dứt hoạt động thư viện cộng đồng", "", "15", PARTIAL, "7"),
    ("Kinh tế hợp tác", "Thông báo chấm dứt hoạt động của tổ hợp tác", "", "7", PARTIAL, "3"),
    ("Phổ biến, giáo dục pháp luật", "Công nhận tuyên truyền viên pháp luật", "", "5", NONE, "3"),
    ("Hòa giải ở cơ sở", "Công nhận hòa giải viên", "", "5", NONE, "2"),
    ("Hòa giải ở cơ sở", "Thôi làm hòa giải viên", "", "5", NONE, "2"),
]
CUT_DECISION = "Quyết định số 15/QĐ-UBND ngày 10/01/2024 của UBND xã"


def demo_counts(seed, carried_over):
    """Figures that satisfy E1–E8 for a commune (``seed`` varies them) and a carried-over count."""
    online, direct, postal = 120 + 13 * seed, 40 + 7 * seed, 2 + seed % 3
    received = carried_over + online + direct + postal
    pending_in_time, pending_overdue, withdrawn = 4 + seed % 3, seed % 2, 1
    resolved = received - pending_in_time - pending_overdue - withdrawn
    late = seed % 3
    early = resolved * 6 // 10
    fee_bearing = received // 3
    responses = 60 + seed
    counts = {
        "carried_over": carried_over, "online": online, "online_full": online * 3 // 5,
        "online_partial": online - online * 3 // 5, "direct": direct, "postal": postal,
        "resolved_early": early, "resolved_on_time": resolved - early - late, "resolved_late": late,
        "pending_in_time": pending_in_time, "pending_overdue": pending_overdue, "withdrawn": withdrawn,
        "interconnected": 10 + seed, "digitised": received * 7 // 10, "electronic_results": resolved // 2,
        "fee_bearing": fee_bearing, "paid_online": fee_bearing // 4,
        "satisfaction_responses": responses, "satisfied": responses - seed % 3,
    }
    problems = numbers.one_stop_problems(counts)
    if problems:
        raise ValueError(f"inconsistent demo figures: {problems}")
    return counts


@register(30)
def load_procedures(stdout):
    catalogue = load_catalogue()
    figures, cuts = load_report_figures(catalogue)
    stdout.write(f"  Thủ tục hành chính: {len(catalogue)} TTHC trong danh mục của Xã Vĩnh Long, "
                 f"{cuts} dòng cắt giảm thời gian; số liệu một cửa cho {figures} báo cáo.")


@transaction.atomic
def load_catalogue():
    unit = AdministrativeUnit.objects.resolve(VINH_LONG, BEFORE)
    catalogue = {}
    for field, name, code, legal, service, _cut in CATALOGUE:
        values = {"field": field, "national_code": code, "legal_days": Decimal(legal),
                  "online_service_type": service, "active": True}
        procedure, created = Procedure.objects.get_or_create(unit=unit, name=name, defaults=values)
        # Saved again only when the demo's values differ: a second run writes no history.
        if not created and any(getattr(procedure, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(procedure, key, value)
            procedure.save()
        catalogue[name] = procedure
    return catalogue


@transaction.atomic
def load_report_figures(catalogue):
    """One-stop counts for every report (in period order, so each carries over the previous
    period's pending, E5), and the time cuts of Xã Vĩnh Long's reports. Existing counts are kept."""
    figures = cuts = 0
    reports = (Report.objects.select_related("unit", "period")
               .order_by("period__data_end", "period__year", "unit__code"))
    for report in reports:
        if not OneStopStats.objects.filter(report=report).exists():
            pending = selectors.previous_pending(report.unit, report.period)
            seed = int(report.unit.code) % 11 + report.period.last_month
            carried = pending if pending is not None else 3 + seed % 4
            OneStopStats.objects.create(report=report, **demo_counts(seed, carried))
            figures += 1
        if report.unit.code == VINH_LONG and report.unit.is_valid_on(BEFORE):
            position = 0
            for _field, name, _code, legal, _service, cut in CATALOGUE:
                if cut is None:
                    continue
                position += 1
                _obj, created = TimeCut.objects.get_or_create(
                    report=report, procedure_name=name,
                    defaults={"procedure": catalogue[name], "position": position, "legal_days": Decimal(legal),
                              "cut_days": Decimal(cut), "decision": CUT_DECISION},
                )
                cuts += created
    return figures, cuts
