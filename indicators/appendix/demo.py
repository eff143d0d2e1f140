"""Demo data of the statistics appendix: the bundled catalogue (from 2015, so every demo year uses
it) and appendix values for the demo commune's sample reports."""

from .importers import load_default_catalogue
from .models import IndicatorValue
from .services import load_appendix, replace_values

# Values typed in the appendix of a sample report (the seed 002 figures, for a commune of the demo).
SAMPLE_VALUES = {
    "1.3.1": "41", "1.3.2": "38", "1.3.3": "3", "2.1": "1", "2.2": "1", "2.3": "1", "2.4": "0", "2.5": "0",
    "3.1.1": "3", "3.1.2": "0", "3.2.1": "122", "3.2.2": "0", "3.2.3": "79", "3.2.4": "100", "3.2.5": "100",
    "3.2.6": "0", "3.4.1": "589", "3.4.2": "589", "3.4.3": "214", "3.5": "0", "4.1.1": "0", "4.1.2": "18",
    "4.1.3": "0", "4.1.4": "0", "5.4.1": "1", "5.4.2": "0", "5.4.5": "0", "5.4.6": "0", "6.1": "1", "6.2": "1",
    "7.1": "1", "7.2.1": "1", "7.2.3": "368", "7.2.3.a": "100", "7.2.3.b": "32", "7.4.1": "1", "7.5.1": "8",
    "7.5.2": "31", "7.6": "1",
}


def load_catalogue_demo(stdout):
    catalogue, created, updated, _deleted = load_default_catalogue(year_from=2015)
    stdout.write(f"  Danh mục Phụ lục 01b: {created + updated} chỉ tiêu (áp dụng từ năm {catalogue.year_from}).")
    from reports.models import Report

    if IndicatorValue.objects.exists():  # filled on the first run only: a second run changes nothing
        return
    filled = 0
    for report in Report.objects.select_related("period").order_by("pk"):
        appendix = load_appendix(report)
        by_code = appendix.by_code
        values = {by_code[code].pk: value for code, value in SAMPLE_VALUES.items()
                  if code in by_code and not by_code[code].is_sourced}
        replace_values(report, values, reason="Dữ liệu demo")
        filled += 1
    stdout.write(f"  Phụ lục 01b: đã điền số liệu mẫu cho {filled} báo cáo.")
