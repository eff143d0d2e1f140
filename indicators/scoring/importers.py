"""Read and check a criteria-set table (``cchc-criteria/1``, criteria-v1.md) from CSV or XLSX.

Phase one only: every row is checked and every problem collected as "dòng 7, cột 'max_score': …".
Saving (phase two, one transaction) is ``services.import_criteria_set``; it refuses a table that
has any problem, so a file with an error saves nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from cchc_portal.lib.numbers import round_half_up, to_decimal
from reports import limits

from . import formulas as scoring
from .formulas import Method, ScoringError

COLUMNS = ["code", "parent", "level", "name_vi", "max_score", "method", "params", "source", "rule_vi", "origin"]
REQUIRED_COLUMNS = COLUMNS[:-1]
LEVELS = ("field", "criterion", "sub", "bonus", "penalty")
ORIGINS = ("", "real", "illustrative")
# Columns checked against the Criterion model's (length, NUL, a score's digits); "parent" holds a code.
COLUMN_FIELDS = {"code": "code", "parent": "code", "level": "level", "name_vi": "name_vi", "method": "method",
                 "source": "source", "rule_vi": "rule_vi", "origin": "origin"}
PARAM_LIMIT = Decimal(10) ** 9  # thresholds, targets, caps and points per item are small numbers
ONE_STOP_NAMES = {
    "carried_over", "received", "online", "online_full", "online_partial", "direct", "postal",
    "resolved_early", "resolved_on_time", "resolved_late", "pending_in_time", "pending_overdue",
    "withdrawn", "interconnected", "digitised", "electronic_results", "fee_bearing", "paid_online",
    "satisfaction_responses", "satisfied",
    # derived names
    "received_in_period", "resolved", "resolved_in_time", "pending",
}


@dataclass
class CriterionRow:
    """One checked row of the table."""

    line: int
    code: str
    parent: str
    level: str
    name_vi: str
    max_score: Decimal | None
    method: str
    params: dict
    source: str
    rule_vi: str
    origin: str
    is_leaf: bool = False
    field_code: str = ""


@dataclass
class CriteriaTable:
    """The result of phase one: rows (in file order), problems, and the set's total."""

    rows: list[CriterionRow] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    set_max: Decimal = Decimal(100)

    @property
    def ok(self):
        return not self.problems

    @property
    def leaf_total(self):
        return sum((r.max_score or 0 for r in self.rows if r.is_leaf), Decimal(0))


class CriteriaFileError(Exception):
    """The file cannot be read as a table at all."""


def read_table(data: bytes, filename: str) -> list[tuple[int, dict]]:
    """(line number, row dict) for every data row; comments (#) and blank lines skipped. A file
    over the upload limits (``reports.limits``: size, rows) raises CriteriaFileError."""
    try:
        limits.check_size(len(data))
    except limits.Refused as refused:
        raise CriteriaFileError(refused.problems[0].message) from refused
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CriteriaFileError("Tệp CSV phải được mã hóa UTF-8.") from error
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise CriteriaFileError("Tệp không có dòng tiêu đề.")
    if len(lines) > limits.MAX_TABLE_ROWS + 1:
        raise CriteriaFileError(f"Tệp có quá nhiều dòng (tối đa {limits.MAX_TABLE_ROWS}).")
    reader = csv.reader(io.StringIO("\n".join(line for _n, line in lines)))
    try:
        records = [record[:limits.MAX_TABLE_COLUMNS] for record in reader]
    except csv.Error as error:
        raise CriteriaFileError("Không đọc được tệp CSV (có ô quá dài hoặc sai định dạng CSV).") from error
    if len(records) != len(lines):
        raise CriteriaFileError("Tệp CSV có ô nhiều dòng, không được hỗ trợ.")
    header = [h.strip() for h in records[0]]
    return _rows(header, [(lines[i][0], rec) for i, rec in enumerate(records) if i > 0])


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds on a broken file
        raise CriteriaFileError("Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx).") from error
    rows = []
    header = None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=limits.MAX_TABLE_COLUMNS),
                                        start=1):
            cells = ["" if v is None else str(v).strip() for v in values]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if header is None:
                header = cells
                continue
            if len(rows) >= limits.MAX_TABLE_ROWS:
                raise CriteriaFileError(f"Tệp có quá nhiều dòng (tối đa {limits.MAX_TABLE_ROWS}).")
            rows.append((number, cells))
    except CriteriaFileError:
        raise
    except Exception as error:
        raise CriteriaFileError("Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx).") from error
    finally:
        workbook.close()
    if header is None:
        raise CriteriaFileError("Tệp không có dòng tiêu đề.")
    return _rows(header, rows)


def _rows(header, records):
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CriteriaFileError("Thiếu cột: " + ", ".join(f"'{c}'" for c in missing))
    result = []
    for number, record in records:
        values = {name: (record[i].strip() if i < len(record) and record[i] is not None else "")
                  for i, name in enumerate(header) if name}
        result.append((number, values))
    return result


def column_problems(values):
    """[(column, message)] of the values the Criterion columns cannot hold (length, NUL)."""
    from .models import Criterion

    problems = []
    for column, name in COLUMN_FIELDS.items():
        problem = limits.check_value(limits.model_field(Criterion, name), values.get(column, ""), column)
        if problem is not None:
            problems.append((column, problem.message))
    problems += [(column, "có ký tự NUL (\\u0000), không lưu được.") for column, value in values.items()
                 if column not in COLUMN_FIELDS and limits.NUL in value]
    return problems


def score_problem(value):
    """A max score the column cannot hold (1e30, 1e400 …), or None."""
    from .models import Criterion

    problem = limits.check_value(limits.model_field(Criterion, "max_score"), value, "max_score")
    return problem.message if problem is not None else None


def parse_score(text):
    """A max score as the table writes it: "1.5" (or "1,5"); None when empty."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    value = to_decimal(text)
    if not value.is_finite():
        raise ValueError(text)
    return value


def check_source(source):
    """Problems with a ``source`` value (empty list when fine)."""
    if not source:
        return []
    kind, sep, rest = source.partition(":")
    if not sep or kind not in ("one_stop", "indicator") or not rest:
        return [f"nguồn {source!r} phải có dạng one_stop:A/B, indicator:A/B hoặc indicator:A"]
    parts = rest.split("/")
    if len(parts) > 2 or not all(parts) or (kind == "one_stop" and len(parts) != 2):
        return [f"nguồn {source!r} không đúng dạng"]
    if kind == "one_stop":
        unknown = [p for p in parts if p not in ONE_STOP_NAMES]
        if unknown:
            return [f"nguồn {source!r}: không có số liệu một cửa {', '.join(unknown)}"]
    return []


def parse_criteria(data: bytes, filename: str, *, set_max=Decimal(100)) -> CriteriaTable:
    """Phase one: read and check every row; never touches the database."""
    table = CriteriaTable(set_max=Decimal(set_max))
    try:
        raw = read_table(data, filename)
    except CriteriaFileError as error:
        table.problems.append(str(error))
        return table
    problems = table.problems

    def problem(line, column, message):
        problems.append(f"dòng {line}, cột '{column}': {message}")

    seen = {}
    for line, values in raw:
        code = values.get("code", "")
        level = values.get("level", "")
        row = CriterionRow(
            line=line, code=code, parent=values.get("parent", ""), level=level,
            name_vi=values.get("name_vi", ""), max_score=None, method=values.get("method", ""), params={},
            source=values.get("source", ""), rule_vi=values.get("rule_vi", ""), origin=values.get("origin", ""),
        )
        if not code:
            problem(line, "code", "thiếu mã tiêu chí")
        elif code in seen:
            problem(line, "code", f"mã {code} trùng với dòng {seen[code].line}")
        if level not in LEVELS:
            problem(line, "level", f"cấp {level!r} không hợp lệ (field, criterion, sub, bonus, penalty)")
        if not row.name_vi:
            problem(line, "name_vi", "thiếu nội dung tiêu chí")
        for column, message in column_problems(values):
            problem(line, column, message)
        try:
            row.max_score = parse_score(values.get("max_score", ""))
        except ValueError:
            row.max_score = None
        too_big = score_problem(row.max_score) if row.max_score is not None else None
        if row.max_score is None:
            problem(line, "max_score", f"{values.get('max_score', '')[:40]!r} không phải là số")
        elif too_big:
            problem(line, "max_score", too_big)
            row.max_score = None
        elif row.max_score < 0:
            problem(line, "max_score", "điểm chuẩn không được âm")
        elif row.max_score != round_half_up(row.max_score):
            problem(line, "max_score", "điểm chuẩn có tối đa 2 chữ số thập phân")
        try:
            row.params = scoring.parse_params(values.get("params", ""))
        except ScoringError as error:
            problem(line, "params", str(error))
        for key, value in list(row.params.items()):
            if not value.is_finite() or value.copy_abs() > PARAM_LIMIT:
                problem(line, "params", f"tham số {key[:40]}={value:.6g} "
                                        f"nằm ngoài giới hạn ±{PARAM_LIMIT:,}")
                del row.params[key]
        if row.origin not in ORIGINS:
            problem(line, "origin", f"{row.origin!r} phải là real hoặc illustrative")
        for message in check_source(row.source):
            problem(line, "source", message)
        if code and code not in seen:
            seen[code] = row
        table.rows.append(row)

    children = {}
    for row in table.rows:
        top_level = row.level in ("field", "bonus", "penalty")
        if top_level and row.parent:
            problem(row.line, "parent", f"{row.level} không có tiêu chí cha")
        elif not top_level and row.level in LEVELS:
            if not row.parent:
                problem(row.line, "parent", "thiếu mã tiêu chí cha")
            elif row.parent not in seen:
                problem(row.line, "parent", f"không có tiêu chí cha {row.parent}")
            elif row.parent == row.code:
                problem(row.line, "parent", "tiêu chí không thể là cha của chính nó")
            else:
                parent = seen[row.parent]
                if parent.level in ("bonus", "penalty", "sub"):
                    problem(row.line, "parent", f"tiêu chí cha {row.parent} là cấp {parent.level}, không có con")
                children.setdefault(row.parent, []).append(row)

    for row in table.rows:
        kids = children.get(row.code, [])
        row.is_leaf = not kids and row.level not in ("bonus", "penalty")
        if row.level in ("bonus", "penalty"):
            if row.method not in ("", row.level):
                problem(row.line, "method", f"dòng {row.level} phải có phương pháp {row.level}")
            row.method = row.level
        elif kids:
            if row.method:
                problem(row.line, "method", "chỉ tiêu chí lá mới có phương pháp chấm")
            total = sum((k.max_score for k in kids if k.max_score is not None), Decimal(0))
            if row.max_score is not None and all(k.max_score is not None for k in kids) and total != row.max_score:
                problem(row.line, "max_score",
                        f"điểm chuẩn {_num(row.max_score)} khác tổng các tiêu chí con {_num(total)}")
        elif row.level in LEVELS:
            if row.method not in scoring.LEAF_METHODS:
                problem(row.line, "method",
                        f"phương pháp {row.method!r} không hợp lệ ({', '.join(scoring.LEAF_METHODS)})"
                        if row.method else "tiêu chí lá phải có phương pháp chấm")
            else:
                needed = scoring.REQUIRED_PARAMS.get(row.method)
                if needed and needed not in row.params:
                    problem(row.line, "params", f"phương pháp {row.method} cần tham số {needed}=…")
                if row.source and row.method not in (*scoring.RATIO_METHODS, Method.YES_NO):
                    problem(row.line, "source", f"phương pháp {row.method} không lấy số liệu từ báo cáo")
                if row.source.startswith("one_stop") and row.method == Method.YES_NO:
                    problem(row.line, "source", "tiêu chí có/không chỉ lấy được từ chỉ tiêu lựa chọn (indicator:A)")

    # field of each row (top-level ancestor)
    for row in table.rows:
        node, guard = row, 0
        while node.parent and node.parent in seen and guard < 10:
            node, guard = seen[node.parent], guard + 1
        row.field_code = node.code if node.level == "field" else ""
        if guard >= 10:
            problem(row.line, "parent", "vòng lặp trong cây tiêu chí")

    if not problems:
        if not table.rows:
            problems.append("Tệp không có dòng tiêu chí nào.")
        elif table.leaf_total != table.set_max:
            problems.append(
                f"Tổng điểm chuẩn các tiêu chí lá là {_num(table.leaf_total)}, phải bằng {_num(table.set_max)}."
            )
    return table


def _num(value):
    from cchc_portal.lib.numbers import format_number

    return format_number(value)
