"""Evidence uploads are checked by what they are, not by their first bytes (issue 9, item 5).

The hostile files are built here, in code: polyglots (a PDF, PNG or JPEG header followed by HTML,
script or PHP), PDFs carrying JavaScript, launch actions or embedded files, a legacy OLE header, a
DOCX-shaped zip holding an executable or macros, zip bombs. Real files are made by the libraries
that users' software resembles (weasyprint, pypdf, Pillow, python-docx, openpyxl). Each is sent
through the service and through the upload page: a refusal names the file and the reason and saves
nothing; an accepted image is stored re-encoded, without its metadata.
"""

import io
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from cchc_portal.lib import filecheck
from indicators.models import EvidenceFile, RemediationItem
from indicators.scoring import services
from indicators.scoring.services import ScoringServiceError

from .scoring_fixtures import criteria_2023_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("criteria_2023")]

SCRIPT = b"<html><body><script>fetch('/x?c='+document.cookie)</script></body></html>"


# --- Files built in code ---------------------------------------------------------------------


def pypdf_document(tamper=None):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if tamper:
        tamper(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def weasyprint_pdf():
    from weasyprint import HTML

    return HTML(string="<h1>Biên bản kiểm tra</h1><p>Xã Vĩnh Long, năm 2023.</p>").write_pdf()


def with_javascript(writer):
    """Document-level JavaScript in the catalogue's names tree, as Acrobat writes it."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    action = writer._add_object(DictionaryObject({
        NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('x');")}))
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): DictionaryObject({
        NameObject("/Names"): ArrayObject([TextStringObject("x"), action])})})


def with_attachment(writer):
    writer.add_attachment("payload.exe", b"MZ\x90\x00" + b"\x00" * 60)


def with_launch(writer):
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")})


def image(fmt, **save):
    picture = Image.new("RGB", (64, 48), (200, 30, 30))
    out = io.BytesIO()
    picture.save(out, fmt, **save)
    return out.getvalue()


def jpeg_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "SECRET-CAMERA-MAKER"  # Make
    exif[0x0131] = "SECRET-SOFTWARE"  # Software
    return image("JPEG", exif=exif.tobytes(), comment=b"SECRET-COMMENT")


def png_with_text():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "SECRET-AUTHOR")
    return image("PNG", pnginfo=info)


def docx(extra=None):
    from docx import Document

    document = Document()
    document.add_paragraph("Biên bản họp Hội đồng thẩm định")
    document.add_picture(io.BytesIO(image("PNG")))
    out = io.BytesIO()
    document.save(out)
    return add_members(out.getvalue(), extra or {})


def xlsx(extra=None):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Mã xã", "Điểm"])
    workbook.active.append(["19285", 99.5])
    out = io.BytesIO()
    workbook.save(out)
    return add_members(out.getvalue(), extra or {})


def add_members(package, members):
    out = io.BytesIO(package)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def zip_expanding_to(megabytes):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("word/document.xml", "w") as member:
            for _ in range(megabytes):
                member.write(b" " * (1024 * 1024))
    return out.getvalue()


REFUSED = {
    # name: (file name, bytes, words the message must hold)
    "pdf header then html": ("bien-ban.pdf", b"%PDF-1.4\n" + SCRIPT, "HTML"),
    "png header then html": ("anh.png", filecheck.PNG_MAGIC + SCRIPT, "HTML"),
    "jpeg header then php": ("anh.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00<?php system($_GET['c']); ?>",
                             "kịch bản"),
    "ole header without streams": ("so-lieu.xls", filecheck.OLE_MAGIC + b"\x00" * 504, "DOCX, XLSX hoặc PDF"),
    "docx holding an executable": ("bao-cao.docx", None, "payload.exe"),
    "zip expanding to 60 MB": ("bao-cao.docx", None, "quá lớn"),
    "pdf with javascript": ("to-trinh.pdf", None, "JavaScript"),
    "pdf with an embedded file": ("to-trinh.pdf", None, "nhúng"),
    "pdf with a launch action": ("to-trinh.pdf", None, "Launch"),
    "pdf that does not parse": ("to-trinh.pdf", b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n", "không đọc được"),
    "docx with macros": ("bao-cao.docx", None, "macro"),
    "xlsx with an ole object": ("so-lieu.xlsx", None, "đối tượng nhúng"),
    "html page": ("trang.pdf", b"<!DOCTYPE html>" + SCRIPT, "HTML"),
    "svg image": ("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "SVG"),
    "shell script": ("chay.pdf", b"#!/bin/sh\nrm -rf /\n", "kịch bản"),
    "windows program": ("tai-lieu.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "chương trình"),
    "html by its name": ("trang.html", None, ".html"),
    "empty file": ("rong.pdf", b"", "rỗng"),
    "zip that is no office document": ("tai-lieu.docx", None, "không phải tài liệu Word"),
}


def refused_bytes(case):
    name, data, _ = REFUSED[case]
    if data is not None:
        return data
    return {
        "docx holding an executable": lambda: docx({"payload.exe": b"MZ\x90\x00" + b"\x00" * 200}),
        "zip expanding to 60 MB": lambda: zip_expanding_to(60),
        "pdf with javascript": lambda: pypdf_document(with_javascript),
        "pdf with an embedded file": lambda: pypdf_document(with_attachment),
        "pdf with a launch action": lambda: pypdf_document(with_launch),
        "docx with macros": lambda: docx({"word/vbaProject.bin": b"\x00" * 64}),
        "xlsx with an ole object": lambda: xlsx({"xl/embeddings/oleObject1.bin": filecheck.OLE_MAGIC}),
        "html by its name": lambda: pypdf_document(),
        "zip that is no office document": lambda: add_members(b"", {"[Content_Types].xml": "<Types/>",
                                                                     "readme.txt": "x"}),
    }[case]()


ACCEPTED = {
    "pdf (weasyprint)": ("bien-ban.pdf", weasyprint_pdf, filecheck.PDF),
    "pdf (pypdf)": ("to-trinh.pdf", pypdf_document, filecheck.PDF),
    "jpeg": ("anh-chup.jpg", lambda: image("JPEG"), filecheck.JPEG),
    "png": ("so-do.png", lambda: image("PNG"), filecheck.PNG),
    "docx": ("bao-cao.docx", docx, filecheck.DOCX),
    "xlsx": ("so-lieu.xlsx", xlsx, filecheck.XLSX),
}


# --- The checks themselves -------------------------------------------------------------------


@pytest.mark.parametrize("case", list(REFUSED))
def test_hostile_file_is_refused_with_its_name_and_reason(case):
    name, _, reason = REFUSED[case]
    with pytest.raises(filecheck.FileRefused) as refusal:
        filecheck.check_upload(refused_bytes(case), name)
    assert name in str(refusal.value) and reason in str(refusal.value)


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_real_file_is_accepted_as_what_it_is(case):
    name, build, content_type = ACCEPTED[case]
    checked = filecheck.check_upload(build(), name)
    assert checked.content_type == content_type


def test_the_type_comes_from_the_content_not_the_name():
    assert filecheck.check_upload(image("PNG"), "scan.pdf").content_type == filecheck.PNG
    assert filecheck.check_upload(xlsx(), "bang.docx").content_type == filecheck.XLSX


def test_escaped_javascript_names_are_still_found():
    # /J#61vaScript is /JavaScript once the name is read; the raw bytes do not hold the word.
    data = pypdf_document(with_javascript).replace(b"/JavaScript", b"/J#61vaScript").replace(b"/JS", b"/J#53")
    assert b"/JavaScript" not in data and b"/JS" not in data
    with pytest.raises(filecheck.FileRefused, match="JavaScript"):
        filecheck.check_upload(data, "x.pdf")


def test_a_bomb_is_stopped_by_what_it_expands_to_not_by_its_headers():
    honest = zip_expanding_to(60)
    # Declare the member small in the central directory: reading it must still be bounded.
    lying = bytearray(honest)
    archive = zipfile.ZipFile(io.BytesIO(honest))
    member = archive.getinfo("word/document.xml")
    central = honest.rindex(b"PK\x01\x02", 0, honest.rindex(b"word/document.xml"))
    lying[central + 24:central + 28] = (100).to_bytes(4, "little")  # uncompressed size
    assert member.file_size == 60 * 1024 * 1024
    with pytest.raises(filecheck.FileRefused):
        filecheck.check_upload(bytes(lying), "bom.docx")


def test_a_small_zip_bomb_under_the_total_is_stopped_by_its_ratio(monkeypatch):
    monkeypatch.setattr(filecheck, "MAX_ZIP_EXPANDED", 100 * 1024 * 1024)
    with pytest.raises(filecheck.FileRefused, match="bom nén"):
        filecheck.check_upload(zip_expanding_to(5), "bom.docx")


def test_an_image_with_more_pixels_than_allowed_is_refused(monkeypatch):
    monkeypatch.setattr(filecheck, "MAX_IMAGE_PIXELS", 64 * 48 - 1)
    with pytest.raises(filecheck.FileRefused, match="quá lớn"):
        filecheck.check_upload(image("PNG"), "anh.png")


@pytest.mark.parametrize("build, secrets", [
    (jpeg_with_gps, [b"SECRET-CAMERA-MAKER", b"SECRET-SOFTWARE", b"SECRET-COMMENT"]),
    (png_with_text, [b"SECRET-AUTHOR"]),
])
def test_images_are_re_encoded_without_their_metadata(build, secrets):
    original = build()
    assert all(secret in original for secret in secrets)
    checked = filecheck.check_upload(original, "anh")
    assert not any(secret in checked.data for secret in secrets)
    assert Image.open(io.BytesIO(checked.data)).size == (64, 48)


def test_an_image_with_appended_php_is_refused():
    with pytest.raises(filecheck.FileRefused, match="kịch bản"):
        filecheck.check_upload(image("JPEG") + b"<?php echo 1; ?>", "anh.jpg")


# --- Through the service and the upload page -------------------------------------------------


@pytest.fixture
def assessment(vinh_long, users, tmp_path, monkeypatch):
    storage = EvidenceFile._meta.get_field("file").storage
    for attribute in ("base_location", "location"):
        monkeypatch.setitem(storage.__dict__, attribute, str(tmp_path / "evidence"))
    return services.start_assessment(vinh_long, 2023, actor=users["officer"])


@pytest.fixture
def leaf(assessment):
    return assessment.leaves.get(criterion__code="1.4.1")


def upload_page(client, assessment, leaf, name, data):
    return client.post(f"/chi-so/danh-gia/{assessment.pk}/minh-chung/{leaf.pk}/",
                       {"file": SimpleUploadedFile(name, data, "application/octet-stream")})


@pytest.mark.parametrize("case", list(REFUSED))
def test_the_service_saves_nothing_it_refuses(case, assessment, leaf, users):
    name, _, reason = REFUSED[case]
    upload = SimpleUploadedFile(name, refused_bytes(case), "application/pdf")
    with pytest.raises(ScoringServiceError) as refusal:
        services.attach_evidence(assessment, upload, actor=users["officer"], leaf=leaf)
    assert name in str(refusal.value) and reason in str(refusal.value)
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize("case", ["pdf header then html", "png header then html", "jpeg header then php",
                                  "ole header without streams", "docx holding an executable",
                                  "zip expanding to 60 MB"])
def test_the_upload_page_refuses_with_the_message_and_saves_nothing(case, as_user, assessment, leaf):
    name, _, reason = REFUSED[case]
    response = upload_page(as_user("officer"), assessment, leaf, name, refused_bytes(case))
    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(name in message and reason in message for message in shown), shown
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_the_upload_page_accepts_real_files(case, as_user, assessment, leaf):
    name, build, content_type = ACCEPTED[case]
    response = upload_page(as_user("officer"), assessment, leaf, name, build())
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (evidence.content_type, evidence.original_name, evidence.leaf_id) == (content_type, name, leaf.pk)


def test_a_stored_image_is_the_re_encoded_one(assessment, leaf, users):
    original = jpeg_with_gps()
    evidence = services.attach_evidence(assessment, SimpleUploadedFile("anh.jpg", original),
                                        actor=users["officer"], leaf=leaf)
    with evidence.file.open("rb") as stored:
        data = stored.read()
    assert data != original and b"SECRET-CAMERA-MAKER" not in data and evidence.size == len(data)
    assert Image.open(io.BytesIO(data)).format == "JPEG"


def test_the_upload_page_refuses_a_file_over_the_size_limit_by_name(as_user, assessment, leaf, settings):
    data = pypdf_document()
    settings.EVIDENCE_MAX_BYTES = len(data) - 1
    response = upload_page(as_user("officer"), assessment, leaf, "bien-ban-lon.pdf", data)
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("bien-ban-lon.pdf" in message and "quá lớn" in message for message in shown), shown
    assert not EvidenceFile.objects.exists()


@pytest.mark.parametrize("case", ["docx holding an executable", "pdf with javascript"])
def test_remediation_evidence_goes_through_the_same_check(case, users):
    # The file is read and checked before the item is even looked up: nothing is locked or saved.
    name, _, reason = REFUSED[case]
    with pytest.raises(ScoringServiceError, match=reason):
        services.mark_remediation_done(RemediationItem(), actor=users["officer"],
                                       upload=SimpleUploadedFile(name, refused_bytes(case)))
    assert not EvidenceFile.objects.exists()


def test_a_chart_workbook_inside_a_docx_is_checked_too():
    chart = "word/embeddings/Microsoft_Excel_Worksheet.xlsx"
    assert filecheck.check_upload(docx({chart: xlsx()}), "bieu-do.docx").content_type == filecheck.DOCX
    hostile = xlsx({"xl/payload.exe": b"MZ\x90\x00"})
    with pytest.raises(filecheck.FileRefused, match="payload.exe"):
        filecheck.check_upload(docx({chart: hostile}), "bieu-do.docx")
