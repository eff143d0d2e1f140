"""Shared by the commands that read files or take values from the command line: a command fails
with one Vietnamese line per problem (``CommandError``), never a traceback. A module whose name
starts with "_" is not a command."""

from pathlib import Path

from django.core.management.base import CommandError

from reports import limits, validators
from reports.models import PERIOD_ORDER


def refusal(problems, summary="", stderr=None):
    """A CommandError whose message is one line per problem; ``summary`` (where ``{n}`` is the number
    of problems) is written to ``stderr`` first, when given."""
    lines = [str(p) for p in problems] or ["Dữ liệu không hợp lệ."]
    if summary and stderr is not None:
        stderr.write(summary.replace("{n}", str(len(lines))))
    return CommandError("\n".join(lines))


def read_file(name, *, limit=limits.MAX_UPLOAD_BYTES):
    """The bytes of file ``name`` within the upload limit; CommandError otherwise."""
    path = Path(name)
    if limits.NUL in str(name):
        raise CommandError("Tên tệp có ký tự NUL.")
    try:
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        limits.check_size(path.stat().st_size, limit=limit, path=str(path))
        return path.read_bytes()
    except limits.Refused as refused:
        raise refusal(refused.problems) from refused
    except OSError as error:
        raise CommandError(f"Không đọc được tệp {path}: {error.strerror or error}.") from error


def text_argument(value, label, *, max_length=100):
    """A command-line text (a unit code, a set code …): no NUL, not longer than ``max_length``."""
    if limits.NUL in value:
        raise CommandError(f"{label}: có ký tự NUL.")
    if len(value) > max_length:
        raise CommandError(f"{label}: dài {len(value)} ký tự, tối đa {max_length}.")
    return value


def year_argument(value, label="Năm"):
    """A year within the portal's range (``validators.parse_year``); CommandError otherwise."""
    try:
        return validators.parse_year(value)
    except validators.InvalidInput as error:
        raise CommandError(f"{label}: {error}") from error


def period_kind_argument(value):
    if value not in PERIOD_ORDER:
        raise CommandError(f"Kỳ “{value[:20]}” không hợp lệ; dùng một trong {', '.join(PERIOD_ORDER)}.")
    return value
