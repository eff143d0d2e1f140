"""Session lifetime and idle timeout (settings SESSION_COOKIE_AGE and SESSION_IDLE_TIMEOUT, in seconds).

The login time and the last activity are kept in the session as Unix seconds. The last activity is
written at most every ``touch_interval()`` seconds, so an ordinary page view doesn't rewrite the
session row."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils import timezone

LOGIN_AT = "cchc_login_at"
SEEN_AT = "cchc_seen_at"
EXPIRED_MESSAGE = "Phiên làm việc đã hết hạn{reason}. Vui lòng đăng nhập lại."


def now_seconds():
    return int(timezone.now().timestamp())


def touch_interval():
    return max(1, min(300, settings.SESSION_IDLE_TIMEOUT // 12))


def on_login(sender, request, user, **kwargs):
    """user_logged_in: start both clocks (and ask for enrolment when a second factor is required)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    session[LOGIN_AT] = session[SEEN_AT] = now_seconds()
    from .second_factor import mark_enrolment_if_required

    mark_enrolment_if_required(request, user)


def expiry_reason(session, now):
    """Why the session is over (a Vietnamese fragment), or None while it is valid."""
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if login_at is not None and now - login_at > settings.SESSION_COOKIE_AGE:
        hours = settings.SESSION_COOKIE_AGE / 3600
        return f" (quá {hours:g} giờ kể từ khi đăng nhập)"
    if seen_at is not None and now - seen_at > settings.SESSION_IDLE_TIMEOUT:
        return f" (không thao tác quá {settings.SESSION_IDLE_TIMEOUT // 60} phút)"
    return None


class SessionTimeoutMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware: logs out a session past its lifetime or
    idle for too long; the request then goes on as anonymous (a protected page sends to the login)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session, now = request.session, now_seconds()
            reason = expiry_reason(session, now)
            if reason is not None:
                logout(request)
                messages.warning(request, EXPIRED_MESSAGE.format(reason=reason))
            else:
                if LOGIN_AT not in session:  # a session from before these clocks: start them now
                    session[LOGIN_AT] = now
                if now - session.get(SEEN_AT, 0) >= touch_interval():
                    session[SEEN_AT] = now
        return self.get_response(request)
