"""Kinds of generated files. ``reports`` registers its own (the commune report, the consolidated
report, the ZIP of a period's approved reports); other apps add theirs from ``AppConfig.ready()``
(a letter, an Excel workbook) without ``reports`` importing them. Every kind is a row of the one
``RenderedDocument`` model and goes through the same request / render / download / expiry path.

A kind turns plain ``params`` (ids and strings, JSON-serialisable: they are stored on the row and
passed to the Celery task) into a source key, a source version, the writers' document dict, and
answers whether a user may download it.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentKindSpec:
    """What the document machinery needs to know about one kind.

    name            DocumentKind value stored on the row
    title           Vietnamese title shown in the UI
    build_context   params → the writers' plain dict (see cchc_portal.lib.docx_writer)
    source_key      params → "report:15", "consolidated:unit=464:period=8", "assessment:3" …
    source_version  params → the report's revision or a hash of the inputs; defaults to a hash of
                    the built context (always right, costs one build per request)
    may_view        (user, params) → bool; False is answered with 404
    filename        (params, fmt) → download file name (without path)
    unit_id         params → the unit that decides scope (stored on the row), or None
    report_id       params → the report the document renders, or None
    formats         formats offered (``DocumentFormat`` values: docx, pdf, zip, xlsx)
    render          optional (document row, path) → None: writes the file itself (the ZIP kind, a
                    workbook), through ``services.atomic_write``, reporting ``services.set_progress``;
                    it may raise ``services.RenderError(code)`` for a failure it can name
    retention       optional: a row of this kind expires this long after it was requested (a one-off
                    ZIP); by default a row expires only once a newer version supersedes it
    request_route   optional URL route (``django.urls.path`` syntax, with ``<str:fmt>``) where a
                    user asks for this kind with a POST, e.g. "van-ban/thu/<int:source_pk>/<str:fmt>/";
                    the core serves it with a generic view (scope first, then the row)
    request_url_name  the name of that route (for ``{% url %}``)
    url_params      the route's keyword arguments (without ``fmt``) → ``params``
    """

    name: str
    title: str
    build_context: Callable[[dict], dict]
    source_key: Callable[[dict], str]
    may_view: Callable[[object, dict], bool]
    filename: Callable[[dict, str], str]
    source_version: Callable[[dict], str] | None = None
    unit_id: Callable[[dict], int | None] = lambda params: None
    report_id: Callable[[dict], int | None] = lambda params: None
    formats: tuple[str, ...] = ("docx", "pdf")
    render: Callable | None = None
    retention: dt.timedelta | None = None
    request_route: str = ""
    request_url_name: str = ""
    url_params: Callable[[dict], dict] | None = None

    def version_of(self, params):
        if self.source_version is not None:
            return str(self.source_version(params))
        return content_hash(self.build_context(params))


_kinds: dict[str, DocumentKindSpec] = {}


def register_kind(name, *, title, build_context, source_key, may_view, filename, **options):
    """Register (or replace) a document kind; returns its spec."""
    spec = DocumentKindSpec(name=name, title=title, build_context=build_context, source_key=source_key,
                            may_view=may_view, filename=filename, **options)
    _kinds[name] = spec
    return spec


def get_kind(name) -> DocumentKindSpec:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"Loại văn bản “{name}” chưa được đăng ký.") from None


def is_registered(name):
    return name in _kinds


def kinds():
    return list(_kinds.values())


def content_hash(value):
    """A short stable hash of plain values (dates, Decimals and all become strings)."""
    payload = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]
