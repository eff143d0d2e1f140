"""The "Thủ tục hành chính" screen: the commune's catalogue and the report's time cuts, the
computed "% cắt giảm", the cut rule, copy-forward, and query counts that do not grow with rows."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from procedures import services
from procedures.models import OnlineServiceType, Procedure, TimeCut
from reports import parts as part_registry
from reports.models import AdministrativeUnit

from .conftest import make_catalogue, make_cuts, one_stop_data, procedures_data

pytestmark = pytest.mark.django_db

NEW_PROCEDURE = {"field": "Hộ tịch", "name": "Đăng ký kết hôn", "national_code": "1.000894", "legal_days": "5",
                 "online_service_type": "partial", "active": "on"}


def test_catalogue_and_time_cuts_are_saved_with_the_computed_percentage(as_user, report, procedures_url, vinh_long):
    client = as_user("officer")
    data = procedures_data(report, procedures=[NEW_PROCEDURE], cuts=[
        {"procedure_name": "Thông báo chấm dứt hoạt động thư viện cộng đồng", "legal_days": "15", "cut_days": "7",
         "decision": "QĐ 15/QĐ-UBND"},
        {"procedure_name": "Đăng ký thay đổi, cải chính hộ tịch", "legal_days": "3", "cut_days": "2"},
        {"procedure_name": "Tiếp nhận hồ sơ nửa ngày", "legal_days": "1", "cut_days": "0,5"},
    ])
    response = client.post(procedures_url, data)
    assert response.status_code == 302
    procedure = Procedure.objects.get(unit=vinh_long)
    assert procedure.online_service_type == OnlineServiceType.PARTIAL and procedure.legal_days == 5
    cuts = list(TimeCut.objects.filter(report=report))
    assert [c.position for c in cuts] == [1, 2, 3]
    assert [c.pct_cut for c in cuts] == [Decimal("53.33"), Decimal("33.33"), Decimal("50.00")]
    assert cuts[2].cut_days == Decimal("0.5")
    body = client.get(procedures_url).content.decode()
    assert "33,33" in body and "53,33" in body
    facts = part_registry.all_facts(report)
    assert facts["procedures.active_count"] == 1 and facts["procedures.time_cut_count"] == 3


def test_a_cut_not_shorter_than_the_legal_time_is_refused_and_nothing_is_saved(as_user, report, procedures_url):
    data = procedures_data(report, procedures=[NEW_PROCEDURE], cuts=[
        {"procedure_name": "Quyết định quản lý cai nghiện ma túy tại gia đình", "legal_days": "3", "cut_days": "5"},
    ])
    response = as_user("officer").post(procedures_url, data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Thời gian sau cắt giảm (5) phải ngắn hơn thời gian theo quy định (3)." in body
    assert "Quyết định quản lý cai nghiện ma túy tại gia đình" in body  # typed row kept
    assert not TimeCut.objects.exists() and not Procedure.objects.filter(name="Đăng ký kết hôn").exists()


def test_choosing_a_catalogue_procedure_fills_name_and_legal_time(as_user, report, procedures_url, vinh_long):
    procedure = Procedure.objects.create(unit=vinh_long, field="Hộ tịch", name="Đăng ký lại khai tử",
                                         legal_days=Decimal(5))
    data = procedures_data(report, cuts=[{"procedure": procedure.pk, "cut_days": "2"}])
    data.update({"catalogue-TOTAL_FORMS": "1", "catalogue-INITIAL_FORMS": "1", "catalogue-0-id": procedure.pk,
                 "catalogue-0-field": "Hộ tịch", "catalogue-0-name": "Đăng ký lại khai tử",
                 "catalogue-0-legal_days": "5", "catalogue-0-online_service_type": "none",
                 "catalogue-0-active": "on"})
    assert as_user("officer").post(procedures_url, data).status_code == 302
    cut = TimeCut.objects.get(report=report)
    assert (cut.procedure, cut.procedure_name, cut.legal_days, cut.pct_cut) == (
        procedure, "Đăng ký lại khai tử", Decimal(5), Decimal("60.00"))


def test_a_procedure_of_another_commune_cannot_be_chosen_or_edited(as_user, report, procedures_url, ho_xa):
    foreign = Procedure.objects.create(unit=ho_xa, field="Hộ tịch", name="Của Hồ Xá", legal_days=Decimal(5))
    data = procedures_data(report, cuts=[{"procedure": foreign.pk, "procedure_name": "x", "legal_days": "5",
                                          "cut_days": "2"}])
    assert as_user("officer").post(procedures_url, data).status_code == 422
    data = procedures_data(report)
    data.update({"catalogue-TOTAL_FORMS": "1", "catalogue-INITIAL_FORMS": "1", "catalogue-0-id": foreign.pk,
                 "catalogue-0-field": "Hộ tịch", "catalogue-0-name": "Đã sửa", "catalogue-0-legal_days": "9",
                 "catalogue-0-online_service_type": "none"})
    as_user("officer").post(procedures_url, data)
    foreign.refresh_from_db()
    assert foreign.name == "Của Hồ Xá" and foreign.legal_days == 5


def test_duplicate_national_codes_in_the_catalogue_are_refused(as_user, report, procedures_url):
    data = procedures_data(report, procedures=[NEW_PROCEDURE, {**NEW_PROCEDURE, "name": "Đăng ký kết hôn lưu động"}])
    response = as_user("officer").post(procedures_url, data)
    assert response.status_code == 422
    assert "Mã TTHC 1.000894 đã có ở dòng 1." in response.content.decode()


def test_a_new_report_copies_the_time_cuts_and_keeps_the_catalogue(as_user, vinh_long, make_report):
    q1 = make_report(vinh_long, 2025, "Q1")
    procedures = make_catalogue(vinh_long, 3)
    make_cuts(q1, procedures)
    q2 = make_report(vinh_long, 2025, "Q2")
    copied = list(TimeCut.objects.filter(report=q2))
    assert [(c.procedure_id, c.procedure_name, c.cut_days) for c in copied] == [
        (p.pk, p.name, p.legal_days - 1) for p in procedures]
    assert TimeCut.objects.filter(report=q1).count() == 3
    assert part_registry.get("procedures").facts(q2)["procedures.active_count"] == 3


def test_reviewer_sees_the_catalogue_read_only(as_user, report, procedures_url, vinh_long):
    make_cuts(report, make_catalogue(vinh_long, 2))
    body = as_user("reviewer").get(procedures_url).content.decode()
    assert "Chế độ chỉ xem" in body and "Thủ tục số 1" in body and "+ Thêm dòng" not in body


@pytest.mark.parametrize("url_name", ["part-one-stop", "part-procedures"])
def test_entry_page_queries_do_not_grow_with_procedures_and_time_cuts(
        as_user, report, vinh_long, url_name, django_assert_max_num_queries):
    client = as_user("officer")
    url = f"/thu-tuc/bao-cao/{report.pk}/{'mot-cua' if url_name == 'part-one-stop' else 'thu-tuc'}/"
    client.post(f"/thu-tuc/bao-cao/{report.pk}/mot-cua/", one_stop_data(report, {"online": "3", "direct": "2"}))
    make_cuts(report, make_catalogue(vinh_long, 5))
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    more = make_catalogue(vinh_long, 50)
    Procedure.objects.filter(pk__in=[p.pk for p in more]).update(unit=vinh_long)
    make_cuts(report, more[:45])
    assert TimeCut.objects.filter(report=report).count() == 50
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    if url_name == "part-procedures":
        assert response.content.decode().count('data-testid="time-cut-row"') == 51  # 50 + one empty row


# --- the catalogue's own service: the unit's lock, then the right to edit it --------------------------

def new_procedure(unit, name="Đăng ký khai tử"):
    return Procedure(unit=unit, field="Hộ tịch", name=name, legal_days=Decimal(3))


def test_catalogue_service_saves_for_an_officer_of_the_commune(users, vinh_long):
    existing = make_catalogue(vinh_long, 2)
    existing[0].legal_days = Decimal(9)
    services.save_catalogue(vinh_long, actor=users["officer"], changed=[existing[0], new_procedure(vinh_long)],
                            deleted=[existing[1]])
    assert sorted(Procedure.objects.filter(unit=vinh_long).values_list("name", "legal_days")) == [
        ("Thủ tục số 0", Decimal(9)), ("Đăng ký khai tử", Decimal(3))]


@pytest.mark.parametrize("role", ["other_officer", "reviewer", "outside_reviewer"])
def test_catalogue_service_refuses_who_is_not_an_officer_of_the_commune(users, vinh_long, role):
    existing = make_catalogue(vinh_long, 1)
    with pytest.raises(services.NotAllowed):
        services.save_catalogue(vinh_long, actor=users[role], changed=[new_procedure(vinh_long)],
                                deleted=existing)
    assert list(Procedure.objects.filter(unit=vinh_long).values_list("name", flat=True)) == ["Thủ tục số 0"]


def test_catalogue_service_refuses_a_row_of_another_commune_and_saves_nothing(users, vinh_long, ho_xa):
    foreign = make_catalogue(ho_xa, 1)[0]
    foreign.name = "Đã sửa"
    with pytest.raises(services.CatalogueError):
        services.save_catalogue(vinh_long, actor=users["officer"], changed=[new_procedure(vinh_long), foreign])
    assert not Procedure.objects.filter(unit=vinh_long).exists()
    assert Procedure.objects.get(pk=foreign.pk).name == "Thủ tục số 0"


def test_catalogue_service_locks_the_unit_before_it_checks_the_right(users, vinh_long, monkeypatch):
    events = []
    lock = services._lock_catalogue
    monkeypatch.setattr(services, "_lock_catalogue", lambda unit: events.append("lock") or lock(unit))
    officer = users["officer"]
    allowed = services.allowed
    monkeypatch.setattr(services, "allowed", lambda user, perm, obj=None: events.append(
        ("check", perm, type(obj).__name__)) or allowed(user, perm, obj))
    services.save_catalogue(vinh_long, actor=officer, changed=[new_procedure(vinh_long)])
    assert events == ["lock", ("check", "procedures.edit_catalogue", AdministrativeUnit.__name__)]


def test_the_procedures_screen_saves_the_catalogue_through_its_service(as_user, report, procedures_url,
                                                                        monkeypatch):
    calls = []
    save = services.save_catalogue
    monkeypatch.setattr(services, "save_catalogue", lambda unit, **kw: calls.append(unit.pk) or save(unit, **kw))
    response = as_user("officer").post(procedures_url, procedures_data(report, procedures=[NEW_PROCEDURE]))
    assert response.status_code == 302
    assert calls == [report.unit_id]
    assert Procedure.objects.filter(unit=report.unit, name=NEW_PROCEDURE["name"]).exists()


@pytest.mark.django_db(transaction=True)
def test_two_catalogue_saves_of_one_commune_run_one_after_the_other(base_data, users):
    """The second save waits for the unit's lock the first holds until it commits (PostgreSQL: the
    row lock; SQLite: its single writer), so catalogue changes never interleave."""
    from reports.demo import BEFORE, VINH_LONG

    unit = AdministrativeUnit.objects.resolve(VINH_LONG, BEFORE)
    events, first_locked, release = [], threading.Event(), threading.Event()

    def first():
        try:
            with transaction.atomic():
                services.save_catalogue(unit, actor=users["officer"], changed=[new_procedure(unit, "Thủ tục A")])
                first_locked.set()
                release.wait(10)
                events.append("first commits")
        finally:
            connection.close()

    def second():
        try:
            first_locked.wait(10)
            services.save_catalogue(unit, actor=users["leader"], changed=[new_procedure(unit, "Thủ tục B")])
            events.append("second saved")
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_locked.wait(10)
    time.sleep(0.5)  # the second save has had time to run, were it not waiting for the lock
    events.append("released")
    release.set()
    for thread in threads:
        thread.join(20)
    assert events == ["released", "first commits", "second saved"]
    assert set(Procedure.objects.filter(unit=unit).values_list("name", flat=True)) == {"Thủ tục A", "Thủ tục B"}
