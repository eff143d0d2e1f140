"""Shared by the commands that read files or take values from the command line: a command fails
with one Vietnamese line per problem (``CommandError``), never a traceback. A module whose name
starts with "_" is not a command."""

import re
from pathlib import Path

from django.core.management.base import CommandError

from reports import limits, validators
from reports.models import PERIOD_ORDER


def shown(value, limit=200):
    """``value`` for a one-line message: characters that are not printable (line breaks, control
    characters) written as escapes, cut at ``limit``."""
    text = str(value)[:limit]
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"
                   for ch in text)


def refusal(problems, summary="", stderr=None):
    """A CommandError whose message is one line per problem; ``summary`` (where ``{n}`` is the number
    of problems) is written to ``stderr`` first, when given."""
    lines = [shown(p, 2000) for p in problems] or ["Dữ liệu không hợp lệ."]
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
            raise CommandError(f"Không tìm thấy tệp {shown(path)}.")
        limits.check_size(path.stat().st_size, limit=limit, path=str(path))
        return path.read_bytes()
    except limits.Refused as refused:
        raise refusal(refused.problems) from refused
    except OSError as error:
        raise CommandError(f"Không đọc được tệp {shown(path)}.") from error


def text_argument(value, label, *, max_length=100):
    """A command-line text (a unit code, a set code …): no NUL, not longer than ``max_length``."""
    if limits.NUL in value:
        raise CommandError(f"{label}: có ký tự NUL.")
    if len(value) > max_length:
        raise CommandError(f"{label}: dài {len(value)} ký tự, tối đa {max_length}.")
    if not value.isprintable():
        raise CommandError(f"{label}: có ký tự điều khiển hoặc xuống dòng ({shown(value, 40)}).")
    return value


def year_argument(value, label="Năm"):
    """A year within the portal's range (``validators.parse_year``); CommandError otherwise."""
    try:
        return validators.parse_year(value)
    except validators.InvalidInput as error:
        raise CommandError(str(error) if label == "Năm" else f"{label}: {error}") from error


def period_kind_argument(value):
    if value not in PERIOD_ORDER:
        raise CommandError(f"Kỳ “{shown(value, 20)}” không hợp lệ; dùng một trong {', '.join(PERIOD_ORDER)}.")
    return value


_USAGE = [
    (re.compile(r"the following arguments are required: (.*)"), "Thiếu tham số bắt buộc: {0}."),
    (re.compile(r"unrecognized arguments: (.*)"), "Tham số không hợp lệ: {0}."),
    (re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"),
     "Tham số {0}: giá trị {1} không hợp lệ (chọn một trong {2})."),
    (re.compile(r"argument (\S+): expected one argument"), "Tham số {0} cần một giá trị."),
    (re.compile(r"argument (\S+): invalid \w+ value: (.*)"), "Tham số {0}: giá trị {1} không hợp lệ."),
    (re.compile(r"argument (\S+): ignored explicit argument (.*)"), "Tham số {0} không nhận giá trị {1}."),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), "Tham số {0} không dùng cùng {1}."),
]


def usage_line(message):
    """argparse's (English) usage error as one Vietnamese line."""
    for pattern, template in _USAGE:
        match = pattern.search(message)
        if match:
            return template.format(*(shown(group) for group in match.groups()))
    return f"Tham số dòng lệnh không hợp lệ: {shown(message)}"


class VietnameseArguments:
    """Mixin for BaseCommand: a wrong command line fails with one Vietnamese line (a CommandError
    from ``call_command``; the usage and the line, exit status 2, from the shell)."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        english = parser.error

        def error(message):
            if parser.called_from_command_line:
                english(usage_line(message))
            raise CommandError(usage_line(message))

        parser.error = error
        return parser
