"""Every URL of the portal with hostile URL parts, and the pages with hostile query strings: never a
500. A URL part out of range (an id no row can have, a year outside 2000–2100, round 3, a part name
over 32 characters) is a 404; a bad query parameter is ignored.

The URLs are read from the resolver, so a URL added later is swept too."""

import re
from urllib.parse import quote

import pytest
from django.apps import apps
from django.urls import URLResolver, get_resolver
from hypothesis import given
from hypothesis import strategies as st

from reports import validators

from .forms_support import EDGE_VALUES, HOSTILE, TEXT, client_for

PART = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
SKIPPED = ("quan-tri/",)  # Django's admin: its own URLs, not the portal's input


def routes():
    """(name, route) of every URL pattern of the portal (the admin's left out)."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield pattern.name, prefix + str(pattern.pattern)

    return [(name, route) for name, route in walk(get_resolver().url_patterns) if not route.startswith(SKIPPED)]


def fill(route, values):
    """``route`` with its converter parts replaced by ``values`` (in order), quoted for a URL."""
    parts = iter(values)
    return "/" + PART.sub(lambda _match: quote(next(parts), safe=""), route)


def converters(route):
    return [match["converter"] or "str" for match in PART.finditer(route)]


ROUTES = [(name, route) for name, route in routes() if converters(route)]
INT_EDGES = ["0", "1", "2", str(2**31 - 1), str(2**31), str(2**63 - 1), str(2**63), "9" * 19, "9" * 40, "1999",
             "2101", "10000", "3"]
STR_EDGES = ["x" * 33, "x" * 1000, "pdf", "docx", "header", "%00", "..", "a b", "\u00e9"]


def edge_values(converter):
    return STR_EDGES if converter in ("str", "key", "slug", "path") else INT_EDGES


def client(users):
    return client_for(users["admin"])  # the superuser passes every role check: the views run furthest


@pytest.mark.parametrize("name, route", ROUTES, ids=[name or route for name, route in ROUTES])
def test_every_url_part_out_of_range_is_a_404_not_a_500(users, report, name, route):
    http = client(users)
    kinds = converters(route)
    for position, converter in enumerate(kinds):
        for value in edge_values(converter):
            values = [value if i == position else ("pdf" if k in ("str", "key") else "1") for i, k in enumerate(kinds)]
            url = fill(route, values)
            for method in (http.get, http.post):
                response = method(url)
                assert response.status_code < 500, (method.__name__, url)


@pytest.mark.parametrize("converter, value", [("id", str(2**63)), ("id", "0"), ("year", "1999"), ("year", "2101"),
                                              ("year", "10000"), ("round", "3"), ("key", "x" * 33)])
def test_the_converters_refuse_values_out_of_range(converter, value):
    from django.urls.converters import get_converters

    found = get_converters()[converter]
    assert not re.fullmatch(found.regex, value) or _refused(found, value)


def _refused(converter, value):
    try:
        converter.to_python(value)
    except ValueError:
        return True
    return False


def test_the_year_converter_reads_sane_years():
    assert validators.YearConverter().to_python("2024") == 2024


@given(data=st.data())
def test_any_url_with_random_parts_is_never_a_500(users, report, data):
    name, route = data.draw(st.sampled_from(ROUTES), label="route")
    values = [data.draw(st.one_of(st.integers(min_value=0, max_value=10**40).map(str), st.sampled_from(INT_EDGES),
                                  TEXT.filter(bool)), label=k) for k in converters(route)]
    url = fill(route, values)
    http = client(users)
    method = data.draw(st.sampled_from(["get", "post"]), label="method")
    response = getattr(http, method)(url)
    assert response.status_code < 500, (method, url)


# --- query strings ---------------------------------------------------------------------------------

# Every parameter a view reads from the query string (and a few it does not).
KNOWN_PARAMS = ["nam", "on", "status", "late", "q", "page", "year", "unit", "period", "kind", "fmt", "next",
                "one_stop-online", "one_stop-direct", "one_stop-carried_over", "one_stop-received", "format"]


def pages(ctx):
    """(role, URL) of pages that answer a GET, with real objects."""
    report, unit, period = ctx["report"], ctx["report"].unit, ctx["report"].period
    found = [
        ("reviewer", "/"), ("officer", "/"), ("reviewer", "/don-vi/"), ("reviewer", f"/don-vi/{unit.pk}/"),
        ("reviewer", f"/tham-dinh/ky/{period.pk}/"), ("officer", f"/bao-cao/{report.pk}/"),
        ("officer", f"/bao-cao/{report.pk}/lich-su/"), ("officer", f"/bao-cao/{report.pk}/thong-tin/"),
        ("reviewer", f"/bao-cao/{report.pk}/van-ban/"), ("reviewer", f"/tham-dinh/ky/{period.pk}/van-ban/"),
    ]
    if apps.is_installed("procedures"):
        found += [("officer", f"/thu-tuc/bao-cao/{report.pk}/mot-cua/ty-le/"),
                  ("officer", f"/thu-tuc/bao-cao/{report.pk}/mot-cua/")]
    if apps.is_installed("indicators"):
        found += [("reviewer", "/chi-so/"), ("reviewer", f"/chi-so/xep-hang/{unit.parent_id}/2024/"),
                  ("reviewer", f"/chi-so/khac-phuc/{unit.parent_id}/2024/"), ("admin", "/chi-so/bo-tieu-chi/")]
    return found


QUERY = st.dictionaries(st.one_of(st.sampled_from(KNOWN_PARAMS), TEXT.filter(bool)), HOSTILE, max_size=4)


@given(data=st.data())
def test_any_page_with_a_hostile_query_string_is_never_a_500(users, report, data):
    role, url = data.draw(st.sampled_from(pages({"report": report})), label="page")
    query = data.draw(QUERY, label="query")
    response = client_for(users[role]).get(url, query)
    assert response.status_code < 500, (url, query)
    assert response.status_code in (200, 302), (url, query)  # a bad parameter is ignored, not an error


@pytest.mark.parametrize("param, url", [("nam", "/"), ("on", "/don-vi/"), ("status", "/tham-dinh/ky/{period}/"),
                                        ("late", "/tham-dinh/ky/{period}/"), ("q", "/tham-dinh/ky/{period}/")])
@given(value=st.one_of(st.sampled_from(EDGE_VALUES), HOSTILE))
def test_each_query_parameter_a_view_reads_is_ignored_when_bad(users, report, param, url, value):
    response = client_for(users["reviewer"]).get(url.format(period=report.period_id), {param: value})
    assert response.status_code == 200, (url, param, value)
