"""The "Một cửa" entry screen: refusal of inconsistent figures (nothing saved, typed values kept),
live rates computed by the server, thousand separators, optimistic revision check."""

import pytest

from procedures.models import OneStopStats
from reports import parts as part_registry
from reports import services

from .conftest import SEED_CORRECTED, SEED_TYPED, one_stop_data

pytestmark = pytest.mark.django_db

SEED_MESSAGE = "Tổng số hồ sơ tiếp nhận (830) khác tổng các kênh tiếp nhận (627)"


def test_seed_figures_830_vs_627_are_refused_and_nothing_is_saved(as_user, report, one_stop_url):
    response = as_user("officer").post(one_stop_url, one_stop_data(report, SEED_TYPED))
    assert response.status_code == 422
    body = response.content.decode()
    assert SEED_MESSAGE in body
    assert "(627) khác tổng đã giải quyết (585)" in body  # E4, shown with the outcome group
    assert 'value="830"' in body and 'value="479"' in body  # typed values stay
    assert not OneStopStats.objects.filter(report=report).exists()
    report.refresh_from_db()
    assert report.part_revision("one_stop") == 0


def test_corrected_figures_are_saved_with_derived_totals_and_rates(as_user, report, one_stop_url):
    response = as_user("officer").post(one_stop_url, one_stop_data(report, SEED_CORRECTED))
    assert response.status_code == 302
    stats = OneStopStats.objects.get(report=report)
    assert (stats.online, stats.direct, stats.postal, stats.resolved_on_time) == (585, 40, 2, 148)
    assert stats.digitised is None  # left empty = not entered
    facts = part_registry.get("one_stop").facts(report)
    assert facts["one_stop.received"] == 627
    assert facts["one_stop.resolved"] == 627
    assert facts["one_stop.on_time_rate"] == "100%"
    assert facts["one_stop.online_rate"] == "93,3%"
    assert "one_stop.digitised" not in facts
    report.refresh_from_db()
    assert report.part_revision("one_stop") == 1
    assert stats.history.count() == 1


def test_typed_total_equal_to_the_channels_is_accepted(as_user, report, one_stop_url):
    data = one_stop_data(report, {**SEED_CORRECTED, "received": "627"})
    assert as_user("officer").post(one_stop_url, data).status_code == 302


def test_counts_accept_thousand_separators(as_user, report, one_stop_url):
    values = {"online": "1.234", "direct": "1.000", "postal": "0", "carried_over": "0",
              "resolved_on_time": "2.234", "received": "2.234"}
    assert as_user("officer").post(one_stop_url, one_stop_data(report, values)).status_code == 302
    stats = OneStopStats.objects.get(report=report)
    assert stats.online == 1234 and stats.resolved_on_time == 2234
    body = as_user("officer").get(one_stop_url).content.decode()
    assert 'value="1.234"' in body


def test_sub_count_above_its_parent_is_shown_next_to_the_field(as_user, report, one_stop_url):
    values = {**SEED_CORRECTED, "fee_bearing": "10", "paid_online": "12"}
    response = as_user("officer").post(one_stop_url, one_stop_data(report, values))
    assert response.status_code == 422
    assert "Số hồ sơ thanh toán trực tuyến (12) lớn hơn số hồ sơ có phí, lệ phí (10)." in response.content.decode()
    assert not OneStopStats.objects.filter(report=report).exists()


def test_negative_count_is_refused(as_user, report, one_stop_url):
    response = as_user("officer").post(one_stop_url, one_stop_data(report, {**SEED_CORRECTED, "postal": "-2"}))
    assert response.status_code == 422
    assert "phải là số nguyên không âm" in response.content.decode()


def test_page_shows_rates_with_a_dash_for_zero_denominators(as_user, report, one_stop_url):
    as_user("officer").post(one_stop_url, one_stop_data(report, SEED_CORRECTED))
    body = as_user("officer").get(one_stop_url).content.decode()
    assert '<span id="rate-on_time" class="fw-semibold">100%</span>' in body
    assert '<span id="rate-paid_online" class="fw-semibold">—</span>' in body
    assert '<span id="total-received" class="fw-semibold">627</span>' in body


def test_rates_endpoint_computes_from_the_typed_counts(as_user, report):
    params = {f"one_stop-{k}": v for k, v in SEED_TYPED.items()}
    params["one_stop-fee_bearing"] = "1.245"
    params["one_stop-paid_online"] = "118"
    params["one_stop-digitised"] = "abc"  # unparseable: counted as not entered
    response = as_user("officer").get(f"/thu-tuc/bao-cao/{report.pk}/mot-cua/ty-le/", params)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<span id="rate-paid_online" hx-swap-oob="true">9,48%</span>' in body
    assert '<span id="rate-on_time" hx-swap-oob="true">100%</span>' in body
    assert '<span id="rate-digitised" hx-swap-oob="true">0%</span>' in body
    assert '<span id="rate-satisfied" hx-swap-oob="true">100%</span>' in body
    assert '<span id="total-received" hx-swap-oob="true">627</span>' in body
    assert 'id="one-stop-summary"' in body
    empty = as_user("officer").get(f"/thu-tuc/bao-cao/{report.pk}/mot-cua/ty-le/").content.decode()
    assert '<span id="rate-on_time" hx-swap-oob="true">—</span>' in empty
    assert not OneStopStats.objects.filter(report=report).exists()


def test_autosave_saves_nothing_while_figures_disagree(as_user, report, one_stop_url):
    client = as_user("officer")
    response = client.post(one_stop_url, {**one_stop_data(report, SEED_TYPED), "autosave": "1"})
    assert response.status_code == 200 and "Chưa tự động lưu" in response.content.decode()
    assert not OneStopStats.objects.filter(report=report).exists()
    response = client.post(one_stop_url, {**one_stop_data(report, SEED_CORRECTED), "autosave": "1"})
    assert "Đã tự động lưu" in response.content.decode()
    assert OneStopStats.objects.get(report=report).resolved_on_time == 148


def test_second_editor_gets_a_conflict_and_does_not_overwrite(as_user, report, one_stop_url):
    first, second = as_user("officer"), as_user("leader")
    loaded = report.part_revision("one_stop")
    assert first.post(one_stop_url, one_stop_data(report, SEED_CORRECTED, revision=loaded)).status_code == 302
    theirs = {**SEED_CORRECTED, "direct": "41", "resolved_on_time": "149"}
    response = second.post(one_stop_url, one_stop_data(report, theirs, revision=loaded))
    assert response.status_code == 409
    body = response.content.decode()
    assert "người khác lưu" in body and "41" in body
    assert OneStopStats.objects.get(report=report).direct == 40
    report.refresh_from_db()
    assert second.post(one_stop_url, one_stop_data(report, theirs)).status_code == 302
    assert OneStopStats.objects.get(report=report).direct == 41


def test_carried_over_must_be_the_previous_periods_pending(as_user, vinh_long, make_report, users):
    q1 = make_report(vinh_long, 2025, "Q1")
    client = as_user("officer")
    q1_values = {**SEED_CORRECTED, "resolved_on_time": "140", "pending_in_time": "6", "pending_overdue": "2"}
    assert client.post(f"/thu-tuc/bao-cao/{q1.pk}/mot-cua/", one_stop_data(q1, q1_values)).status_code == 302
    q2 = make_report(vinh_long, 2025, "Q2")
    # A new report carries the previous pending over (E5) …
    assert OneStopStats.objects.get(report=q2).carried_over == 8
    assert not part_registry.get("one_stop").is_started(q2)
    # … and refuses another number.
    q2_values = {**SEED_CORRECTED, "carried_over": "5", "resolved_on_time": "153"}
    response = client.post(f"/thu-tuc/bao-cao/{q2.pk}/mot-cua/", one_stop_data(q2, q2_values))
    assert response.status_code == 422
    assert "Số hồ sơ kỳ trước chuyển sang (5) khác số hồ sơ đang giải quyết cuối kỳ trước (8)." in (
        response.content.decode())
    q2_values = {**q2_values, "carried_over": "8", "resolved_on_time": "156"}
    assert client.post(f"/thu-tuc/bao-cao/{q2.pk}/mot-cua/", one_stop_data(q2, q2_values)).status_code == 302


def test_saved_figures_that_no_longer_agree_block_submission(report, users):
    OneStopStats.objects.create(report=report, online=10, direct=5, resolved_on_time=12)
    problems = part_registry.get("one_stop").problems(report)
    assert [p.path for p in problems] == ["one_stop"]
    assert "(15) khác tổng đã giải quyết (12)" in problems[0].message
    with pytest.raises(services.ReportError) as refused:
        services.submit_report(report, actor=users["leader"])
    assert any("Một cửa" in p for p in refused.value.problems)


def test_received_without_outcomes_is_incomplete(report):
    OneStopStats.objects.create(report=report, online=10, direct=5)
    part = part_registry.get("one_stop")
    assert part.is_started(report) and not part.is_complete(report)
    assert "chưa nhập kết quả giải quyết" in part.problems(report)[0].message


def test_reviewer_sees_the_figures_read_only(as_user, report, one_stop_url):
    as_user("officer").post(one_stop_url, one_stop_data(report, SEED_CORRECTED))
    body = as_user("reviewer").get(one_stop_url).content.decode()
    assert "Chế độ chỉ xem" in body
    assert 'name="one_stop-online" value="585"' in body and "disabled" in body
