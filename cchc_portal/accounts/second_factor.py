"""The second factor: a TOTP device (an authenticator app) and a static device holding one-use
recovery codes, both django-otp's. Who may turn it on (reviewers and admins), who must
(settings.OTP_REQUIRED_FOR), enrolment, verification at login and the recovery codes."""

import re

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from reports import scope
from reports.models import Role

ENROL_KEY = "cchc_otp_enrol"  # session: logged in, but must set up a second factor first
RECOVERY_CODE_COUNT = 10
TOTP_FORMAT = re.compile(r"^\d{6}$")
# Pages an account that must enrol may still open (the rest redirect to the set-up page).
ENROL_ALLOWED = ("two_factor", "logout")


class SecondFactorError(Exception):
    """A refused second-factor action; the message is for the user."""


# --- policy ----------------------------------------------------------------------------------------

def may_use(user):
    """Reviewers and admins (and staff of the admin site) may turn a second factor on."""
    return user.is_authenticated and (user.is_staff or scope.is_reviewer(user))


def is_required(user):
    """settings.OTP_REQUIRED_FOR names the roles ("admin", "reviewer") that must use one."""
    roles = settings.OTP_REQUIRED_FOR
    if not roles or not user.is_authenticated:
        return False
    if "admin" in roles and (user.is_staff or scope.is_admin(user)):
        return True
    return "reviewer" in roles and bool(scope.memberships(user, (Role.REVIEWER,)))


# --- devices ---------------------------------------------------------------------------------------

def totp_device(user, confirmed=True):
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).first()


def is_enabled(user):
    return totp_device(user) is not None


def pending_device(user):
    """The unconfirmed authenticator of an enrolment in progress (a new secret if there is none)."""
    device = totp_device(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)
    return device


def qr_svg(device):
    """The device's otpauth:// URI as an inline SVG (no image library needed)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=15)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg"):]


def secret_text(device):
    """The secret in base32, grouped by four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def normalise(token):
    return re.sub(r"[\s-]", "", token or "").lower()


def confirm_enrolment(request, device, token):
    """Turn the pending authenticator on if ``token`` is its current code; returns the recovery codes.
    The session counts as verified with it from now on."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        if not device.verify_token(normalise(token)):
            raise SecondFactorError("Mã xác thực không đúng. Hãy nhập mã đang hiển thị trong ứng dụng.")
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user)
    otp_login(request, device)
    request.session.pop(ENROL_KEY, None)
    return codes


def new_recovery_codes(user):
    """Replaces the user's recovery codes by fresh ones, each good once; returns them (shown once)."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, defaults={"name": "Mã dự phòng"})
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def disable(user):
    if is_required(user):
        raise SecondFactorError("Tài khoản của bạn bắt buộc dùng xác thực hai bước; không thể tắt.")
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()


# --- login -----------------------------------------------------------------------------------------

def verify(user, token):
    """The device that accepts ``token`` (a six-digit code or a recovery code), or None. Each device
    throttles its own failures (django-otp); a recovery code is deleted once used."""
    token = normalise(token)
    kind = TOTPDevice if TOTP_FORMAT.match(token) else StaticDevice
    with transaction.atomic():
        for device in kind.objects.devices_for_user(user, confirmed=True).select_for_update():
            if device.verify_token(token):
                return device
    return None


def mark_enrolment_if_required(request, user):
    """At login without a second factor: if one is required, the session may only set it up."""
    if getattr(user, "otp_device", None) is None and is_required(user) and not is_enabled(user):
        request.session[ENROL_KEY] = True


class EnrolmentRequiredMiddleware:
    """A session marked at login (``ENROL_KEY``) opens only the set-up page and the logout."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.session.get(ENROL_KEY):
            allowed = {reverse(name) for name in ENROL_ALLOWED}
            if request.path not in allowed and not request.path.startswith(settings.STATIC_URL):
                return redirect("two_factor")
        return self.get_response(request)
