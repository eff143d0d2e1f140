"""The portal speaks Vietnamese: the login page, the lockout page after too many wrong passwords,
the password-reset e-mail, Django's own messages, and the project's message catalogue."""

import re
import shutil
import subprocess

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from reports.demo import DEMO_PASSWORD

CATALOGUE = settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def client():
    return Client(REMOTE_ADDR="10.0.0.7")


def login(client, username, password):
    return client.post("/dang-nhap/", {"username": username, "password": password})


def test_language_is_vietnamese():
    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _name in settings.LANGUAGES] == ["vi"]


@pytest.mark.django_db
def test_login_page_is_vietnamese(client):
    response = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in html
    for text in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu", "Quên mật khẩu?"):
        assert text in html
    assert "Password" not in html and "Username" not in html


@pytest.mark.django_db
def test_wrong_password_is_explained_in_vietnamese(client, users):
    response = login(client, "canbo.vinhlong", "sai-mat-khau")
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


@pytest.mark.django_db
def test_right_password_logs_in(client, users):
    response = login(client, "canbo.vinhlong", DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
def test_account_is_locked_after_the_failure_limit(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "canbo.vinhlong", "sai-mat-khau").status_code == 200
    locked = login(client, "canbo.vinhlong", "sai-mat-khau")
    assert locked.status_code == 429
    # Even the right password is refused now, with the Vietnamese lockout page.
    response = login(client, "canbo.vinhlong", DEMO_PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Tài khoản tạm khóa" in html
    assert "nhập sai mật khẩu quá nhiều lần" in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_limit_comes_from_settings(client, users, settings):
    settings.AXES_FAILURE_LIMIT = 2
    assert login(client, "canbo.vinhlong", "sai").status_code == 200
    assert login(client, "canbo.vinhlong", "sai").status_code == 429


@pytest.mark.django_db
def test_password_reset_sends_a_vietnamese_email(client, users):
    page = client.get("/mat-khau/password_reset/")
    assert page.status_code == 200
    response = client.post("/mat-khau/password_reset/", {"email": "lien@vinhlong.example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lien@vinhlong.example.vn"]
    assert message.subject == "Đặt lại mật khẩu Cổng báo cáo CCHC"
    assert message.body.startswith("Xin chào ")
    assert "Có yêu cầu đặt lại mật khẩu cho tài khoản canbo.vinhlong" in message.body
    link = re.search(r"http://testserver(/mat-khau/reset/\S+/)", message.body)[1]
    confirm = client.get(link, follow=True)
    assert confirm.status_code == 200


@pytest.mark.django_db
def test_password_reset_pages_are_vietnamese(client):
    html = client.get("/mat-khau/password_reset/").content.decode()
    assert "mật khẩu" in html.lower()
    assert "Password reset" not in html
    done = client.get("/mat-khau/password_reset/done/").content.decode()
    assert "Password reset" not in done and "mật khẩu" in done.lower()


def test_catalogue_has_no_untranslated_english():
    """Source strings are Vietnamese; an English msgid (all ASCII words) needs a msgstr."""
    text = CATALOGUE.read_text()
    untranslated = []
    for entry in text.split("\n\n")[1:]:
        msgid = "".join(re.findall(r'"(.*)"', entry.split("msgstr")[0].split("msgid", 1)[-1]))
        msgstr = "".join(re.findall(r'"(.*)"', entry.split("msgstr", 1)[-1]))
        if re.search(r"[A-Za-z]{3}", msgid) and msgid.isascii() and not msgstr:
            untranslated.append(msgid)
    assert untranslated == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) not installed")
def test_catalogue_compiles(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", str(tmp_path / "django.mo"), str(CATALOGUE)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
