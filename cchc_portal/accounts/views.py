"""Login (password, then the second factor when the user has one), the second factor's page, password
change and a rate-limited password reset. Django's auth views do the work; these add the steps."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views import View
from django.views.generic import FormView

from . import second_factor
from .client_ip import client_ip
from .forms import CodeForm, ConfirmPasswordForm, EnrolForm, PortalPasswordResetForm
from .ratelimit import hit
from .sessions import now_seconds

PENDING = "cchc_pending_login"  # session: {user, backend, next, at, tries} between password and code
PENDING_SECONDS = 300
PENDING_TRIES = 5


class LoginView(auth_views.LoginView):
    """Step one: the password (django-axes counts failures per user name and address). A user with a
    second factor is not logged in yet: the session remembers who passed and asks for the code."""

    def form_valid(self, form):
        user = form.get_user()
        if second_factor.is_enabled(user):
            self.request.session[PENDING] = {
                "user": user.pk, "backend": user.backend, "next": self.get_success_url(),
                "at": now_seconds(), "tries": 0,
            }
            return redirect("login_code")
        return super().form_valid(form)


class LoginCodeView(FormView):
    """Step two: a code from the authenticator app or one recovery code."""

    template_name = "registration/login_code.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        pending = request.session.get(PENDING)
        if not pending or now_seconds() - pending["at"] > PENDING_SECONDS:
            request.session.pop(PENDING, None)
            messages.warning(request, "Hãy đăng nhập lại bằng tên đăng nhập và mật khẩu.")
            return redirect("login")
        self.pending = pending
        self.user = get_user_model()._default_manager.filter(pk=pending["user"], is_active=True).first()
        if self.user is None:
            request.session.pop(PENDING, None)
            return redirect("login")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        device = second_factor.verify(self.user, form.cleaned_data["code"])
        session = self.request.session
        if device is None:
            self.pending["tries"] += 1
            session.modified = True
            if self.pending["tries"] >= PENDING_TRIES:
                session.pop(PENDING, None)
                messages.error(self.request, "Nhập sai mã quá nhiều lần. Hãy đăng nhập lại.")
                return redirect("login")
            form.add_error("code", "Mã xác thực không đúng hoặc đã dùng. Hãy thử lại sau vài giây.")
            return self.form_invalid(form)
        session.pop(PENDING, None)
        self.user.otp_device = device  # django_otp's user_logged_in handler marks the session verified
        auth_login(self.request, self.user, backend=self.pending["backend"])
        if device.persistent_id.startswith("otp_static"):
            left = second_factor.recovery_codes_left(self.user)
            messages.warning(self.request, f"Bạn vừa dùng một mã dự phòng; còn {left} mã. "
                                           "Có thể tạo mã mới ở trang Xác thực hai bước.")
        return redirect(self.pending["next"])


class SecondFactorPageMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not second_factor.may_use(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def page(self, status=200, **context):
        user = self.request.user
        enabled = second_factor.is_enabled(user)
        context.setdefault("enrol_form", EnrolForm())
        context.setdefault("password_form", ConfirmPasswordForm(user))
        if not enabled:
            device = second_factor.pending_device(user)
            context.update(qr_svg=second_factor.qr_svg(device), secret=second_factor.secret_text(device),
                           uri=device.config_url)
        context.update(enabled=enabled, required=second_factor.is_required(user),
                       must_enrol=bool(self.request.session.get(second_factor.ENROL_KEY)),
                       codes_left=second_factor.recovery_codes_left(user) if enabled else 0)
        return render(self.request, "accounts/two_factor.html", context, status=status)


class TwoFactorView(SecondFactorPageMixin, View):
    """The second factor's page: its state; to turn it on, a QR code and the first code."""

    def get(self, request):
        return self.page()

    def post(self, request):
        form = EnrolForm(request.POST)
        if form.is_valid():
            device = second_factor.totp_device(request.user, confirmed=False)
            if device is None:
                return redirect("two_factor")
            try:
                codes = second_factor.confirm_enrolment(request, device, form.cleaned_data["code"])
            except second_factor.SecondFactorError as error:
                form.add_error("code", str(error))
            else:
                messages.success(request, "Đã bật xác thực hai bước.")
                return render(request, "accounts/recovery_codes.html", {"codes": codes})
        return self.page(enrol_form=form, status=422)


class RecoveryCodesView(SecondFactorPageMixin, View):
    def post(self, request):
        form = ConfirmPasswordForm(request.user, request.POST)
        if not second_factor.is_enabled(request.user) or not form.is_valid():
            return self.page(password_form=form, status=422)
        codes = second_factor.new_recovery_codes(request.user)
        return render(request, "accounts/recovery_codes.html", {"codes": codes})


class TwoFactorDisableView(SecondFactorPageMixin, View):
    def post(self, request):
        form = ConfirmPasswordForm(request.user, request.POST)
        if not form.is_valid():
            return self.page(password_form=form, status=422)
        try:
            second_factor.disable(request.user)
        except second_factor.SecondFactorError as error:
            messages.error(request, str(error))
            return redirect("two_factor")
        messages.success(request, "Đã tắt xác thực hai bước.")
        return redirect("two_factor")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per e-mail address and per client address (settings
    PASSWORD_RESET_PER_EMAIL and PASSWORD_RESET_PER_IP requests an hour)."""

    form_class = PortalPasswordResetForm
    success_url = reverse_lazy("password_reset_done")
    window = 3600

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        allowed_ip = hit("reset-ip", client_ip(self.request), settings.PASSWORD_RESET_PER_IP, self.window)
        allowed_email = hit("reset-email", email, settings.PASSWORD_RESET_PER_EMAIL, self.window)
        if not (allowed_ip and allowed_email):
            form.add_error(None, "Đã có quá nhiều yêu cầu đặt lại mật khẩu. "
                                 f"Vui lòng thử lại sau {self.window // 60} phút.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)
