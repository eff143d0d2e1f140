"""Uploaded files checked by what they are, not by their first bytes (model-free).

``check_upload(data, name)`` parses the bytes with the library of their format and returns a
``CheckedFile`` (the bytes to store, the content type and a short kind) or raises ``FileRefused``
whose message (Vietnamese) names the file and the reason:

- PDF: parsed with pypdf; refused when it does not parse, is encrypted, has no page, or carries
  JavaScript, launch actions or embedded files (looked for in every object reachable from the
  trailer, names unescaped and object streams opened by pypdf).
- PNG/JPEG: decoded with Pillow (bounded pixel count) and re-encoded: the stored bytes hold the
  pixels only, never the metadata or anything appended to the original.
- DOCX/XLSX: validated as an OOXML package: ``[Content_Types].xml`` and the main part present,
  only the parts' known extensions, no macros, ActiveX, OLE objects or executables, bounded number
  of members and expansion (read, not trusted from the headers) to stop zip bombs.
- Legacy OLE ``.doc``/``.xls``, HTML, SVG, XML, scripts and executables are refused.
Any file that also holds HTML or script markup (a polyglot) is refused.
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = (PDF, PNG, JPEG, DOCX, XLSX)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
ZIP_MAGIC = b"PK\x03\x04"

MAX_IMAGE_PIXELS = 40_000_000  # about 8000 x 5000: any scan or phone photo
MAX_PDF_OBJECTS = 200_000
MAX_ZIP_MEMBERS = 2_000
MAX_ZIP_EXPANDED = 40 * 1024 * 1024  # total uncompressed bytes of a DOCX/XLSX
MAX_ZIP_RATIO = 200  # uncompressed / compressed, for a member of more than 1 MB
MAX_NESTING = 2  # a DOCX's chart holds an XLSX; nothing deeper

# Markup a browser or an interpreter would run: refused anywhere in a PDF or an image.
MARKUP = re.compile(rb"<\s*(?:script|html|body|iframe|svg|object|embed)\b|<\?php|javascript:", re.IGNORECASE)
EXECUTABLE_EXTENSIONS = {
    "exe", "dll", "com", "scr", "msi", "bat", "cmd", "ps1", "vbs", "vbe", "js", "jse", "wsf", "wsh",
    "hta", "jar", "sh", "lnk", "cpl", "pif", "app", "elf", "so", "py", "php", "pl",
}
MARKUP_EXTENSIONS = {"html", "htm", "xhtml", "shtml", "svg", "svgz", "xml", "xsl", "mht", "mhtml"}
# Parts an OOXML package of Word or Excel is made of (media, fonts, thumbnails included).
PART_EXTENSIONS = {
    "xml", "rels", "vml", "png", "jpeg", "jpg", "gif", "bmp", "tif", "tiff", "emf", "wmf", "svg",
    "wdp", "emz", "wmz", "webp", "odttf", "ttf", "fntdata", "glossary", "docx", "xlsx",
}
MACRO_MARKERS = (b"macroenabled", b"vbaproject", b"activex", b"vnd.ms-office.vbaproject")


class FileRefused(ValueError):
    """A refused upload; ``str(error)`` is the Vietnamese message naming the file and the reason."""


@dataclass(frozen=True)
class CheckedFile:
    """An accepted file: the bytes to store (re-encoded for images), content type and kind."""

    data: bytes
    content_type: str
    kind: str


def _refuse(name, reason):
    raise FileRefused(f"Tệp “{_short(name)}” bị từ chối: {reason}.")


def _short(name, limit=80):
    name = (name or "").replace("\n", " ").replace("\r", " ")
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _extension(name):
    basename = posixpath.basename((name or "").replace("\\", "/").lower().rstrip(". "))
    return basename.rsplit(".", 1)[1] if "." in basename else ""


def check_upload(data: bytes, name: str = "") -> CheckedFile:
    """Check ``data`` (uploaded as ``name``) by its content; the stored bytes, or ``FileRefused``."""
    extension = _extension(name)
    if extension in EXECUTABLE_EXTENSIONS or extension in MARKUP_EXTENSIONS:
        _refuse(name, f"cổng không nhận tệp có đuôi .{extension} (trang web, kịch bản hoặc chương trình)")
    if not data:
        _refuse(name, "tệp rỗng")
    if data.startswith(b"%PDF-"):
        return check_pdf(data, name)
    if data.startswith(PNG_MAGIC):
        return check_image(data, name, "PNG")
    if data.startswith(JPEG_MAGIC):
        return check_image(data, name, "JPEG")
    if data.startswith(ZIP_MAGIC):
        return check_ooxml(data, name)
    if data.startswith(OLE_MAGIC):
        _refuse(name, "đây là định dạng Word/Excel cũ (.doc/.xls), có thể chứa macro; "
                      "hãy lưu lại thành DOCX, XLSX hoặc PDF rồi tải lên")
    _refuse_unknown(data, name)


def _refuse_unknown(data, name):
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n\x00").lower()
    if head.startswith((b"mz", b"\x7felf", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")):
        _refuse(name, "đây là chương trình chạy được")
    if head.startswith(b"#!") or head.startswith(b"<?php"):
        _refuse(name, "đây là tệp kịch bản (script)")
    if head.startswith(b"<") or MARKUP.search(data[:4096]):
        _refuse(name, "đây là trang HTML, ảnh SVG hoặc tệp XML, có thể chứa mã chạy trong trình duyệt")
    _refuse(name, "không phải PDF, ảnh PNG/JPEG hoặc tài liệu DOCX/XLSX (kiểm tra theo nội dung tệp)")


def _refuse_markup(data, name):
    if MARKUP.search(data):
        _refuse(name, "tệp có lẫn mã HTML hoặc kịch bản (script)")


# --- PDF -------------------------------------------------------------------------------------


def check_pdf(data, name=""):
    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    _refuse_markup(data, name)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                _refuse(name, "PDF có mật khẩu hoặc được mã hóa, cổng không kiểm tra được nội dung")
            pages = len(reader.pages)
            root = reader.trailer.get_object()
        except FileRefused:
            raise
        except Exception:  # noqa: BLE001 - pypdf raises many types on broken input
            _refuse(name, "không đọc được dưới dạng PDF (tệp hỏng hoặc chỉ giả dạng PDF)")
        if pages < 1:
            _refuse(name, "PDF không có trang nào")
        try:
            problem = _pdf_problem(root, DictionaryObject)
        except Exception:  # noqa: BLE001
            _refuse(name, "không đọc được dưới dạng PDF (cấu trúc hỏng)")
    if problem:
        _refuse(name, problem)
    return CheckedFile(data, PDF, "pdf")


def _pdf_problem(root, dictionary_type):
    """The first active content found walking every object reachable from the trailer."""
    from pypdf.generic import ArrayObject, IndirectObject

    seen, stack, visited = set(), [root], 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            return "PDF quá phức tạp để kiểm tra"
        if isinstance(node, dictionary_type):
            keys = set(node.keys())
            action = node.get("/S")
            if keys & {"/JS", "/JavaScript"} or action == "/JavaScript":
                return "PDF chứa mã JavaScript"
            if action == "/Launch" or "/Launch" in keys:
                return "PDF chứa lệnh mở chương trình hoặc tệp khác (Launch)"
            if keys & {"/EmbeddedFiles", "/EF"} or node.get("/Type") == "/EmbeddedFile":
                return "PDF có tệp đính kèm nhúng bên trong"
            if "/RichMedia" in keys or action == "/RichMediaExecute":
                return "PDF chứa nội dung đa phương tiện có thể chạy mã"
            stack.extend(node.values())
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return None


# --- Images ----------------------------------------------------------------------------------


def check_image(data, name, expected):
    from PIL import Image, ImageOps

    _refuse_markup(data, name)
    label = "ảnh " + expected
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=[expected]) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    _refuse(name, f"{label} quá lớn ({width}×{height} điểm ảnh)")
                image.load()
                if expected == "JPEG":
                    image = ImageOps.exif_transpose(image)
                clean = _reencode(image, expected)
        except FileRefused:
            raise
        except Exception:  # noqa: BLE001 - Pillow raises OSError, SyntaxError, ValueError, bombs...
            _refuse(name, f"không giải mã được dưới dạng {label} (tệp hỏng hoặc chỉ giả dạng ảnh)")
    return CheckedFile(clean, PNG if expected == "PNG" else JPEG, expected.lower())


def _reencode(image, fmt):
    """The pixels only: no EXIF, XMP, comments, text chunks or bytes appended to the original."""
    out = io.BytesIO()
    transparency = image.info.get("transparency")
    image = image.copy()
    image.info = {}  # Pillow writes some of ``info`` back (a JPEG's comment, a PNG's ICC profile)
    if fmt == "JPEG":
        if image.mode not in ("L", "RGB", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=90, optimize=True)
    else:
        options = {"transparency": transparency} if transparency is not None else {}
        image.save(out, "PNG", optimize=False, **options)
    return out.getvalue()


# --- DOCX / XLSX -----------------------------------------------------------------------------


def check_ooxml(data, name="", depth=0):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except Exception:  # noqa: BLE001 - BadZipFile, LargeZipFile, OSError, ValueError...
        _refuse(name, "tệp nén hỏng, không phải tài liệu DOCX/XLSX")
    with archive:
        if len(members) > MAX_ZIP_MEMBERS:
            _refuse(name, f"tài liệu có quá nhiều thành phần ({len(members)})")
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names:
            _refuse(name, "tệp nén không phải tài liệu Word/Excel (thiếu [Content_Types].xml)")
        if "word/document.xml" in names:
            content_type, kind = DOCX, "docx"
        elif "xl/workbook.xml" in names:
            content_type, kind = XLSX, "xlsx"
        else:
            _refuse(name, "tệp nén không phải tài liệu Word (DOCX) hoặc Excel (XLSX)")
        for member in members:
            _check_member_name(member, name)
        for member in members:
            _check_member_kind(member, name)
        expanded = 0
        for member in members:
            body = _read_member(archive, member, name, MAX_ZIP_EXPANDED - expanded)
            expanded += len(body)
            if member.filename == "[Content_Types].xml" and any(m in body.lower() for m in MACRO_MARKERS):
                _refuse(name, "tài liệu chứa macro hoặc điều khiển ActiveX")
            if _extension(member.filename) in ("docx", "xlsx"):
                if depth + 1 > MAX_NESTING:
                    _refuse(name, "tài liệu lồng nhau quá nhiều lớp")
                check_ooxml(body, name, depth + 1)
    return CheckedFile(data, content_type, kind)


def _check_member_name(member, name):
    part = member.filename
    lowered = part.lower()
    if member.flag_bits & 0x1:
        _refuse(name, "tài liệu có thành phần được mã hóa")
    if part.startswith(("/", "\\")) or ".." in part.split("/") or "\\" in part or ":" in part:
        _refuse(name, f"thành phần có đường dẫn không hợp lệ “{_short(part, 60)}”")
    if member.is_dir():
        return
    extension = _extension(part)
    basename = posixpath.basename(lowered)
    if extension in EXECUTABLE_EXTENSIONS:
        _refuse(name, f"tài liệu chứa tệp chạy được “{_short(part, 60)}”")
    if "vbaproject" in basename or "/activex/" in f"/{lowered}" or basename.startswith("vbadata"):
        _refuse(name, "tài liệu chứa macro hoặc điều khiển ActiveX")
    if extension == "bin" and not re.fullmatch(r"(xl|word)/printersettings/printersettings\d+\.bin", lowered):
        _refuse(name, f"tài liệu chứa đối tượng nhúng hoặc mã nhị phân “{_short(part, 60)}”")


def _check_member_kind(member, name):
    part = member.filename
    extension = _extension(part)
    if member.is_dir() or extension == "bin":
        return
    if extension not in PART_EXTENSIONS and part != "[Content_Types].xml":
        _refuse(name, f"tài liệu chứa thành phần lạ “{_short(part, 60)}”")


def _read_member(archive, member, name, budget):
    """The member's bytes, read in chunks up to ``budget`` (the sizes in the headers can lie)."""
    if member.file_size > budget:
        _refuse(name, f"tài liệu giải nén ra quá lớn (trên {MAX_ZIP_EXPANDED // (1024 * 1024)} MB)")
    chunks, total = [], 0
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(1024 * 1024):
                total += len(chunk)
                if total > budget:
                    _refuse(name, f"tài liệu giải nén ra quá lớn (trên {MAX_ZIP_EXPANDED // (1024 * 1024)} MB)")
                if total > 1024 * 1024 and total > MAX_ZIP_RATIO * max(member.compress_size, 1):
                    _refuse(name, "tài liệu có thành phần nén bất thường (nghi là bom nén)")
                chunks.append(chunk)
    except FileRefused:
        raise
    except Exception:  # noqa: BLE001 - bad CRC, unsupported compression, truncated data
        _refuse(name, f"tài liệu có thành phần hỏng “{_short(member.filename, 60)}”")
    return b"".join(chunks)
