"""Logins that cannot be used to lock everyone out (issue 9, item 4): the lockout is per user name and
client address, the address comes from the proxy header only through a trusted proxy, the lockout
page says when to retry, password reset is rate-limited, sessions end (lifetime, idle), the password
is changed inside the portal, and reviewers and admins have a second factor (real django-axes, real
django-otp: codes computed with django_otp.oath.totp)."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc_portal.accounts import second_factor
from cchc_portal.accounts.client_ip import ClientIPMiddleware, resolve
from cchc_portal.accounts.lockout import locked_out
from cchc_portal.accounts.sessions import LOGIN_AT, SEEN_AT, now_seconds
from reports.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "sai-mat-khau"


@pytest.fixture(autouse=True)
def clean_cache(settings):
    # A wrong code in a test must not delay the right one (django-otp throttles each device).
    settings.OTP_TOTP_THROTTLE_FACTOR = settings.OTP_STATIC_THROTTLE_FACTOR = 0
    cache.clear()
    yield
    cache.clear()


def from_address(address, **headers):
    return Client(REMOTE_ADDR=address, **headers)


def log_in(client, username, password=DEMO_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def fail_until_locked(client, username, settings):
    responses = [log_in(client, username, WRONG) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert responses[-1].status_code == 429
    return responses[-1]


def is_logged_in(client):
    return SESSION_KEY in client.session


# --- lockout by (user name, address) ---------------------------------------------------------------

def test_wrong_passwords_lock_only_that_user_at_that_address(users, settings):
    attacker = from_address("203.0.113.10")
    fail_until_locked(attacker, "noivu.vinhlinh", settings)
    # The pair is locked, even with the right password.
    assert log_in(attacker, "noivu.vinhlinh").status_code == 429
    assert not is_logged_in(attacker)
    # The same user from another address logs in.
    elsewhere = from_address("203.0.113.11")
    assert log_in(elsewhere, "noivu.vinhlinh").status_code == 302
    assert is_logged_in(elsewhere)
    # Another user from the locked address logs in.
    colleague = from_address("203.0.113.10")
    assert log_in(colleague, "lanhdao.vinhlong").status_code == 302
    assert is_logged_in(colleague)


def test_a_known_admin_name_cannot_lock_the_admin_out(users, settings):
    fail_until_locked(from_address("198.51.100.66"), "quantri", settings)
    assert log_in(from_address("192.0.2.5"), "quantri").status_code == 302


def test_lockout_page_is_vietnamese_and_says_when_to_retry(users, settings):
    client = from_address("203.0.113.30")
    html = fail_until_locked(client, "canbo.vinhlong", settings).content.decode()
    cool_off_minutes = round(settings.AXES_COOLOFF_TIME * 60)
    assert "Tài khoản tạm khóa" in html
    assert f"Vui lòng thử lại sau <strong>{cool_off_minutes} phút</strong>" in html
    assert "Password" not in html and "locked" not in html.lower()
    # Ten minutes later the page counts down from the last failure (a login attempt while locked
    # is itself a failure and starts the cool-off again, so the page is rendered directly here).
    AccessAttempt.objects.filter(username="canbo.vinhlong").update(
        attempt_time=AccessAttempt.objects.get(username="canbo.vinhlong").attempt_time - timedelta(minutes=10))
    request = RequestFactory().post(reverse("login"), REMOTE_ADDR="203.0.113.30")
    html = locked_out(request, None, {"username": "canbo.vinhlong"}).content.decode()
    assert f"Vui lòng thử lại sau <strong>{cool_off_minutes - 10} phút</strong>" in html


# --- the client address ----------------------------------------------------------------------------

def test_proxy_header_is_believed_from_a_trusted_proxy(users, settings):
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]
    fail_until_locked(from_address("10.1.2.3", HTTP_X_FORWARDED_FOR="198.51.100.7"), "noivu.vinhlinh", settings)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    # Another client behind the same proxy is not locked.
    other_client = from_address("10.1.2.3", HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert log_in(other_client, "noivu.vinhlinh").status_code == 302


def test_proxy_header_is_ignored_from_an_untrusted_peer(users, settings):
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]
    fail_until_locked(from_address("203.0.113.40", HTTP_X_FORWARDED_FOR="198.51.100.9"), "noivu.vinhlinh", settings)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.40"}
    # Changing the header does not escape the lockout.
    spoofing = from_address("203.0.113.40", HTTP_X_FORWARDED_FOR="198.51.100.10")
    assert log_in(spoofing, "noivu.vinhlinh").status_code == 429


@pytest.mark.parametrize("peer, header, expected", [
    ("10.1.2.3", "198.51.100.7", "198.51.100.7"),
    ("10.1.2.3", "6.6.6.6, 198.51.100.7", "198.51.100.7"),        # a forged left part is not reached
    ("10.1.2.3", "198.51.100.7, 10.1.9.9", "198.51.100.7"),       # a second trusted hop is skipped
    ("10.1.2.3", "not-an-ip", "10.1.2.3"),
    ("10.1.2.3", "", "10.1.2.3"),
    ("203.0.113.40", "198.51.100.7", "203.0.113.40"),
])
def test_client_address_rule(settings, peer, header, expected):
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]
    assert resolve(peer, header) == expected


@pytest.mark.parametrize("peer, expected_addr, header_kept", [
    ("10.1.2.3", "198.51.100.7", True), ("203.0.113.40", "203.0.113.40", False),
])
def test_django_sees_the_same_client_address(settings, peer, expected_addr, header_kept):
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = RequestFactory().get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR="198.51.100.7",
                                   HTTP_X_FORWARDED_PROTO="https")
    ClientIPMiddleware(lambda r: r)(request)
    assert request.META["REMOTE_ADDR"] == expected_addr
    assert ("HTTP_X_FORWARDED_PROTO" in request.META) is header_kept
    assert request.is_secure() is header_kept


# --- password reset ----------------------------------------------------------------------------------

def ask_reset(client, email):
    return client.post(reverse("password_reset"), {"email": email})


def test_password_reset_is_limited_per_email(users, settings):
    settings.PASSWORD_RESET_PER_EMAIL = 2
    email = users["officer"].email
    assert email
    for n in range(settings.PASSWORD_RESET_PER_EMAIL):
        assert ask_reset(from_address(f"192.0.2.{n + 1}"), email).status_code == 302
    refused = ask_reset(from_address("192.0.2.99"), email)
    assert refused.status_code == 429
    assert "quá nhiều yêu cầu đặt lại mật khẩu" in refused.content.decode()
    assert len(mail.outbox) == settings.PASSWORD_RESET_PER_EMAIL


def test_password_reset_is_limited_per_address(users, settings):
    settings.PASSWORD_RESET_PER_IP = 2
    client = from_address("192.0.2.50")
    for n in range(settings.PASSWORD_RESET_PER_IP):
        assert ask_reset(client, f"nobody{n}@example.vn").status_code == 302
    refused = ask_reset(client, users["officer"].email)
    assert refused.status_code == 429
    assert "Vui lòng thử lại sau" in refused.content.decode()
    assert mail.outbox == []
    assert ask_reset(from_address("192.0.2.51"), users["officer"].email).status_code == 302
    assert len(mail.outbox) == 1


# --- sessions ----------------------------------------------------------------------------------------

def logged_in_client(users, role="officer"):
    client = Client()
    client.force_login(users[role])
    return client


def set_clock(client, key, seconds_ago):
    session = client.session
    session[key] = now_seconds() - seconds_ago
    session.save()


def test_idle_session_is_logged_out(users, settings):
    client = logged_in_client(users)
    set_clock(client, SEEN_AT, settings.SESSION_IDLE_TIMEOUT - 60)
    assert client.get(reverse("home")).status_code == 200
    set_clock(client, SEEN_AT, settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not is_logged_in(client)
    assert "Phiên làm việc đã hết hạn" in client.get(response["Location"]).content.decode()


def test_activity_keeps_the_session_alive(users, settings):
    client = logged_in_client(users)
    set_clock(client, SEEN_AT, settings.SESSION_IDLE_TIMEOUT - 1)
    assert client.get(reverse("home")).status_code == 200
    assert now_seconds() - client.session[SEEN_AT] < 5  # the visit was recorded
    assert client.get(reverse("home")).status_code == 200


def test_session_ends_after_its_lifetime_even_when_active(users, settings):
    client = logged_in_client(users)
    set_clock(client, LOGIN_AT, settings.SESSION_COOKIE_AGE + 1)
    assert client.get(reverse("home")).status_code == 302
    assert not is_logged_in(client)


def test_session_settings_have_working_day_defaults(settings):
    assert 8 * 3600 <= settings.SESSION_COOKIE_AGE <= 10 * 3600
    assert 15 * 60 <= settings.SESSION_IDLE_TIMEOUT <= 2 * 3600


# --- password change ---------------------------------------------------------------------------------

def test_password_change_lives_in_the_portal_and_is_linked_from_the_user_menu(users):
    client = logged_in_client(users)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("password_change")}"' in home
    page = client.get(reverse("password_change"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Đổi mật khẩu" in html and "navbar" in html
    assert "Django" not in html and "Password change" not in html
    response = client.post(reverse("password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": "Xa-VinhLong-2026!", "new_password2": "Xa-VinhLong-2026!"})
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert is_logged_in(client)
    users["officer"].refresh_from_db()
    assert users["officer"].check_password("Xa-VinhLong-2026!")


def test_wrong_old_password_is_explained_in_vietnamese(users):
    client = logged_in_client(users)
    response = client.post(reverse("password_change"), {
        "old_password": WRONG, "new_password1": "Xa-VinhLong-2026!", "new_password2": "Xa-VinhLong-2026!"})
    assert response.status_code == 200
    assert "mật khẩu cũ" in response.content.decode().lower()


def test_admin_site_login_goes_through_the_portal_login(client):
    response = client.get("/quan-tri/login/?next=/quan-tri/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/quan-tri/"


# --- second factor -----------------------------------------------------------------------------------

def current_code(device, drift=0):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift=drift):0{device.digits}d}"


def enrol(client, user):
    page = client.get(reverse("two_factor"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "otpauth://totp/" in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("two_factor"), {"code": current_code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(codes) == second_factor.RECOVERY_CODE_COUNT
    device.refresh_from_db()
    assert device.confirmed
    return device, codes


@pytest.mark.parametrize("role, expected", [
    ("officer", 403), ("leader", 403), ("reviewer", 200), ("province_reviewer", 200), ("admin", 200),
])
def test_second_factor_page_is_for_reviewers_and_admins(as_user, role, expected):
    assert as_user(role).get(reverse("two_factor")).status_code == expected


def test_second_factor_page_needs_a_login(client):
    response = client.get(reverse("two_factor"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_wrong_code_does_not_turn_the_second_factor_on(users):
    client = logged_in_client(users, "reviewer")
    client.get(reverse("two_factor"))
    device = TOTPDevice.objects.get(user=users["reviewer"])
    wrong = f"{(int(current_code(device)) + 500000) % 1000000:06d}"
    response = client.post(reverse("two_factor"), {"code": wrong})
    assert response.status_code == 422
    assert "Mã xác thực không đúng" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and not second_factor.is_enabled(users["reviewer"])


def test_enrolled_user_logs_in_with_a_code(users):
    device, _codes = enrol(logged_in_client(users, "reviewer"), users["reviewer"])
    client = from_address("192.0.2.70")
    response = log_in(client, "noivu.vinhlinh")
    assert response.status_code == 302 and response["Location"] == reverse("login_code")
    assert not is_logged_in(client)  # the password alone is not enough
    assert client.get(reverse("home")).status_code == 302
    wrong = client.post(reverse("login_code"), {"code": "000000" if current_code(device, 1) != "000000" else "111111"})
    assert wrong.status_code == 200 and "Mã xác thực không đúng" in wrong.content.decode()
    assert not is_logged_in(client)
    # The enrolment used this time step's code; a code is good once, so the next step's code logs in.
    response = client.post(reverse("login_code"), {"code": current_code(device, drift=1)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert is_logged_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("home")).status_code == 200


def test_code_step_gives_up_after_too_many_wrong_codes(users):
    enrol(logged_in_client(users, "reviewer"), users["reviewer"])
    client = from_address("192.0.2.71")
    log_in(client, "noivu.vinhlinh")
    responses = [client.post(reverse("login_code"), {"code": "abc"}) for _ in range(5)]
    assert responses[-1].status_code == 302 and responses[-1]["Location"] == reverse("login")
    assert client.get(reverse("login_code")).status_code == 302
    assert not is_logged_in(client)


def test_recovery_code_works_once(users):
    _device, codes = enrol(logged_in_client(users, "reviewer"), users["reviewer"])
    first = from_address("192.0.2.80")
    log_in(first, "noivu.vinhlinh")
    response = first.post(reverse("login_code"), {"code": codes[0].upper()})
    assert response.status_code == 302 and is_logged_in(first)
    assert StaticToken.objects.filter(device__user=users["reviewer"]).count() == len(codes) - 1

    again = from_address("192.0.2.81")
    log_in(again, "noivu.vinhlinh")
    refused = again.post(reverse("login_code"), {"code": codes[0]})
    assert refused.status_code == 200 and not is_logged_in(again)
    assert again.post(reverse("login_code"), {"code": codes[1]}).status_code == 302
    assert is_logged_in(again)


def test_new_recovery_codes_replace_the_old_ones(users):
    client = logged_in_client(users, "reviewer")
    _device, old = enrol(client, users["reviewer"])
    assert client.post(reverse("recovery_codes"), {"password": WRONG}).status_code == 422
    response = client.post(reverse("recovery_codes"), {"password": DEMO_PASSWORD})
    new = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(new) == second_factor.RECOVERY_CODE_COUNT
    stored = set(StaticToken.objects.filter(device__user=users["reviewer"]).values_list("token", flat=True))
    assert stored == set(new) and not stored & set(old)


def test_second_factor_can_be_turned_off_with_the_password(users):
    client = logged_in_client(users, "reviewer")
    enrol(client, users["reviewer"])
    assert client.post(reverse("two_factor_disable"), {"password": WRONG}).status_code == 422
    assert second_factor.is_enabled(users["reviewer"])
    assert client.post(reverse("two_factor_disable"), {"password": DEMO_PASSWORD}).status_code == 302
    assert not second_factor.is_enabled(users["reviewer"])
    assert log_in(from_address("192.0.2.90"), "noivu.vinhlinh")["Location"] == "/"


def test_required_second_factor_is_set_up_before_anything_else(users, settings):
    settings.OTP_REQUIRED_FOR = ["admin"]
    client = from_address("192.0.2.100")
    assert log_in(client, "quantri").status_code == 302
    for url in (reverse("home"), "/quan-tri/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("two_factor")
    enrol(client, users["admin"])
    assert client.get(reverse("home")).status_code == 200
    # Required: it cannot be turned off.
    client.post(reverse("two_factor_disable"), {"password": DEMO_PASSWORD})
    assert second_factor.is_enabled(users["admin"])
    # A reviewer is not concerned by "admin".
    reviewer = from_address("192.0.2.101")
    log_in(reviewer, "noivu.vinhlinh")
    assert reviewer.get(reverse("home")).status_code == 200


def test_reviewer_requirement(users, settings):
    settings.OTP_REQUIRED_FOR = ["reviewer"]
    assert second_factor.is_required(users["reviewer"])
    assert not second_factor.is_required(users["officer"])
    assert not second_factor.is_required(users["leader"])
    settings.OTP_REQUIRED_FOR = []
    assert not second_factor.is_required(users["reviewer"])

