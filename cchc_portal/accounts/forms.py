from django import forms
from django.contrib.auth.forms import PasswordResetForm


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label="Mã xác thực", max_length=32, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
        error_messages={"required": "Hãy nhập mã xác thực."},
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label="Mã 6 chữ số trong ứng dụng", max_length=16, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"required": "Hãy nhập mã đang hiển thị trong ứng dụng."},
    )


class ConfirmPasswordForm(forms.Form):
    """Turning the second factor off or issuing new recovery codes asks for the password again."""

    password = forms.CharField(label="Mật khẩu hiện tại", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Mật khẩu không đúng.")
        return password


class PortalPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label="Thư điện tử", max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"required": "Hãy nhập địa chỉ thư điện tử.", "invalid": "Địa chỉ thư điện tử không hợp lệ."},
    )
