"""Demo data of the core: Quảng Trị's units, periods 2023–2026, one user per role, sample reports.

``manage.py load_demo`` imports every installed app's ``demo`` module; each registers its loaders
here with an order, so later capabilities extend the demo without the core importing them.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from .importers import load_units
from .models import (
    AdministrativeUnit,
    DirectiveDocument,
    Membership,
    PlanTask,
    Report,
    ReportingPeriod,
    ReportStatus,
    ReportTransition,
    Role,
    TaskStatus,
)
from .services import open_year_periods

DEMO_PASSWORD = "Cchc@2026"
DEMO_YEARS = range(2023, 2027)
PROVINCE_CODES = ["44", "45"]  # pre-2025: Quảng Bình (44), Quảng Trị (45); since 1/7/2025: Quảng Trị (44)
VINH_LINH = "464"
VINH_LONG = "19387"  # Xã Vĩnh Long until 30/6/2025 (seed 003)
NEW_VINH_LINH = "19363"  # Xã Vĩnh Linh since 1/7/2025, formed from 19363, 19375, 19387
BEFORE = dt.date(2024, 6, 1)
AFTER = dt.date(2025, 9, 1)

_loaders = []


def register(order):
    def decorator(func):
        _loaders.append((order, func))
        return func
    return decorator


def loaders():
    return [func for _order, func in sorted(_loaders, key=lambda item: item[0])]


# (username, full name, role, unit code, day the unit is resolved on, e-mail)
DEMO_USERS = [
    ("canbo.vinhlong", "Nguyễn Thị Liên", Role.OFFICER, [(VINH_LONG, BEFORE), (NEW_VINH_LINH, AFTER)], "lien@vinhlong.example.vn"),
    ("lanhdao.vinhlong", "Trần Quốc Lương", Role.LEADER, [(VINH_LONG, BEFORE), (NEW_VINH_LINH, AFTER)], "luong@vinhlong.example.vn"),
    ("noivu.vinhlinh", "Lê Văn Hiền", Role.REVIEWER, [(VINH_LINH, BEFORE)], "noivu@vinhlinh.example.vn"),
    ("sonoivu.quangtri", "Phạm Thị Thu", Role.REVIEWER, [("44", AFTER)], "snv@quangtri.example.vn"),
    ("quantri", "Quản trị hệ thống", Role.ADMIN, [(None, None)], "admin@quangtri.example.vn"),
]


@register(10)
def load_core(stdout):
    units, links = load_units(PROVINCE_CODES)
    stdout.write(f"  Đơn vị hành chính: {units} dòng, {links} liên kết sáp nhập (tỉnh {', '.join(PROVINCE_CODES)}).")
    for year in DEMO_YEARS:
        open_year_periods(year)
    ReportingPeriod.objects.filter(year__lt=2025).update(is_open=False)
    stdout.write(f"  Kỳ báo cáo: {ReportingPeriod.objects.count()} kỳ ({DEMO_YEARS.start}–{DEMO_YEARS.stop - 1}).")
    users = load_users()
    stdout.write(f"  Tài khoản demo (mật khẩu chung: {DEMO_PASSWORD}):")
    for username, full_name, role, _units, _email in DEMO_USERS:
        stdout.write(f"    {username:<20} {Role(role).label} — {full_name}")
    load_sample_reports(users)


@transaction.atomic
def load_users():
    User = get_user_model()
    users = {}
    hashed = make_password(DEMO_PASSWORD)  # hashing is deliberately slow: once for all demo users
    for username, full_name, role, units, email in DEMO_USERS:
        first, _, last = full_name.rpartition(" ")
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        user.first_name, user.last_name, user.email = first, last, email  # "Nguyễn Thị" + "Liên"
        user.is_staff = role == Role.ADMIN
        user.is_superuser = role == Role.ADMIN
        user.password = hashed
        user.save()
        for code, day in units:
            unit = AdministrativeUnit.objects.resolve(code, day) if code else None
            Membership.objects.get_or_create(user=user, unit=unit, role=role)
        users[username] = user
    return users


SAMPLE_TASKS = [
    ("Ban hành Kế hoạch CCHC năm", 1, TaskStatus.DONE),
    ("Ban hành Kế hoạch tuyên truyền CCHC", 1, TaskStatus.DONE),
    ("Ban hành Kế hoạch tự kiểm tra công tác CCHC", 1, TaskStatus.DONE),
    ("Rà soát, công bố danh mục TTHC thuộc thẩm quyền cấp xã", 2, TaskStatus.DONE),
    ("Cắt giảm thời gian giải quyết TTHC tối thiểu 30%", 2, TaskStatus.IN_PROGRESS),
    ("Nâng tỷ lệ hồ sơ trực tuyến lên trên 50%", 2, TaskStatus.IN_PROGRESS),
    ("Số hóa hồ sơ, kết quả giải quyết TTHC đạt trên 70%", 3, TaskStatus.NOT_STARTED),
    ("Đối thoại giữa Chủ tịch UBND xã với người dân", 3, TaskStatus.DONE),
]


@transaction.atomic
def load_sample_reports(users):
    """Reports of Vĩnh Linh's communes for 2024: approved Q1, a mix for Q2, the demo commune's Q3 draft."""
    if Report.objects.exists():
        return
    district = AdministrativeUnit.objects.resolve(VINH_LINH, BEFORE)
    communes = list(AdministrativeUnit.objects.communes().below(district).valid_on(BEFORE).order_by("code"))
    periods = {p.kind: p for p in ReportingPeriod.objects.filter(year=2024)}
    officer, reviewer = users["canbo.vinhlong"], users["noivu.vinhlinh"]
    for index, commune in enumerate(communes):
        for kind, status in (("Q1", ReportStatus.APPROVED), ("Q2", [ReportStatus.APPROVED, ReportStatus.SUBMITTED,
                                                                     ReportStatus.RETURNED, ReportStatus.DRAFT][index % 4])):
            period = periods[kind]
            submitted = timezone.make_aware(dt.datetime.combine(period.deadline - dt.timedelta(days=3 - index % 5), dt.time(9)))
            report = Report.objects.create(
                unit=commune, period=period, status=status,
                doc_number=f"{10 + index}/BC-UBND", place=commune.short_name,
                doc_date=period.deadline - dt.timedelta(days=5), addressee="Phòng Nội vụ huyện Vĩnh Linh",
                recipients="Phòng Nội vụ huyện (b/c)\nTT Đảng ủy, HĐND xã (b/c)\nLưu: VT.",
                signer_name="Trần Quốc Lương" if commune.code == VINH_LONG else f"Chủ tịch {commune.short_name}",
                signer_title="Chủ tịch", signer_capacity="TM",
                plan_reference="Kế hoạch số 02/KH-UBND ngày 05/01/2024", plan_contents=3,
                sections={"I.1": "UBND xã đã ban hành kế hoạch CCHC năm và triển khai đến toàn thể cán bộ, công chức.",
                          "V": "Không có."},
                submitted_at=submitted if status != ReportStatus.DRAFT else None,
                first_submitted_at=submitted if status != ReportStatus.DRAFT else None,
                approved_at=submitted + dt.timedelta(days=2) if status == ReportStatus.APPROVED else None,
            )
            PlanTask.objects.bulk_create([
                PlanTask(report=report, position=i + 1, title=title, group=group,
                         status=TaskStatus.DONE if kind == "Q2" and i < 6 else task_status,
                         due=dt.date(2024, 12, 15), responsible="Công chức Văn phòng - Thống kê")
                for i, (title, group, task_status) in enumerate(SAMPLE_TASKS)
            ])
            DirectiveDocument.objects.create(report=report, position=1, number="01/QĐ-UBND",
                                             issued_on=dt.date(2024, 1, 3), title="Ban hành Kế hoạch CCHC năm 2024")
            ReportTransition.objects.create(report=report, to_status=ReportStatus.DRAFT, actor=officer,
                                            at=submitted - dt.timedelta(days=7), reason="Tạo báo cáo")
            if status != ReportStatus.DRAFT:
                ReportTransition.objects.create(report=report, from_status=ReportStatus.DRAFT,
                                                to_status=ReportStatus.SUBMITTED, actor=officer, at=submitted)
            if status == ReportStatus.APPROVED:
                ReportTransition.objects.create(report=report, from_status=ReportStatus.SUBMITTED,
                                                to_status=ReportStatus.APPROVED, actor=reviewer,
                                                at=submitted + dt.timedelta(days=2))
            if status == ReportStatus.RETURNED:
                ReportTransition.objects.create(report=report, from_status=ReportStatus.SUBMITTED,
                                                to_status=ReportStatus.RETURNED, actor=reviewer,
                                                at=submitted + dt.timedelta(days=1),
                                                reason="Số liệu một cửa chưa khớp với tổng hồ sơ tiếp nhận.")


