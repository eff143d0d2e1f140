"""Helpers of the form and GET-parameter fuzz tests: the fields a page's form posts (read from the
page itself, so a new field is fuzzed without touching the tests), hostile values, and a client that
shows a server error as a 500 response instead of raising it."""

from html.parser import HTMLParser

from django.test import Client
from hypothesis import strategies as st

# Values that broke (or could break) a parser: huge and negative integers, non-finite and giant
# decimals, impossible dates, NUL characters, long strings, separators typed the Vietnamese way.
EDGE_VALUES = [
    "", " ", "0", "-1", "1", str(2**31 - 1), str(2**31), str(2**63 - 1), str(2**63), str(2**64 + 1), str(10**30),
    "9" * 400, "-" + "9" * 40, "1e400", "-1e400", "1e30", "1E-400", "NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf",
    "0,32", "1.234,5", "1.234.567", "12,5,6", "١٢٣", "２０２４", "0x10", "1_000", "+5", "--1", "1e", ".", ",",
    "2024-02-30", "30/02/2024", "31/04/2024", "29/02/2023", "0000-00-00", "9999-12-31", "10000-01-01", "2024-06-30T25:61",
    "\x00", "a\x00b", "1\x00", "x" * 10_000, "<script>alert(1)</script>", "' OR 1=1 --", "{{ 7*7 }}", "%(x)s", "\u202e",
    "🙂", "true", "false", "on", "None", "null", "[]", "{}",
]

# Text a browser can send: any character but the lone surrogates UTF-8 cannot encode.
TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
HOSTILE = st.one_of(
    st.sampled_from(EDGE_VALUES),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
    TEXT,
)


def client_for(user):
    """A logged-in client that answers a server error with its 500 response (not an exception)."""
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


class _FormFields(HTMLParser):
    """The POST forms of a page: [(action, [(name, value, kind)])], kind "text", "checkbox",
    "select", "file" …; a select's value is its selected option (else its first)."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = None
            if (attrs.get("method") or "get").lower() == "post":
                self._form = (attrs.get("action") or "", [])
                self.forms.append(self._form)
            return
        if self._form is None:
            return
        fields = self._form[1]
        if tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                fields.append((attrs["name"], None, kind))  # unchecked: not posted unless fuzzed
                return
            fields.append((attrs["name"], attrs.get("value") or ("on" if kind == "checkbox" else ""), kind))
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = [attrs["name"], ""]
            fields.append(None)  # replaced at the end tag
        elif tag == "select" and attrs.get("name"):
            self._select = [attrs["name"], None, False]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select[1] is None or ("selected" in attrs and not self._select[2]):
                self._select[1], self._select[2] = value, "selected" in attrs

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            fields = self._form[1]
            fields[fields.index(None)] = (self._textarea[0], self._textarea[1].lstrip("\n"), "textarea")
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            self._form[1].append((self._select[0], self._select[1] or "", "select"))
            self._select = None


def page_form(html, path):
    """The fields of the page's main POST form: the one posting to ``path`` (or to itself) with
    the most fields. The CSRF token is left out (the test client does not check it)."""
    parser = _FormFields()
    parser.feed(html)
    candidates = [fields for action, fields in parser.forms if action in ("", path)]
    assert candidates, f"no POST form on {path}"
    fields = max(candidates, key=len)
    return [field for field in fields if field is not None and field[0] != "csrfmiddlewaretoken"]


def fuzzed_payload(data, fields, fresh=None):
    """Draw a POST body: each field keeps its value, is dropped, or takes a hostile value.
    ``fresh`` = {name: value} replaces a kept value (a revision token read again each time)."""
    payload = {}
    for name, value, _kind in fields:
        choice = data.draw(st.sampled_from(["keep", "keep", "hostile", "drop"]), label=f"{name}?")
        if choice == "drop":
            continue
        if choice == "hostile":
            payload[name] = data.draw(HOSTILE, label=name)
        elif value is not None:
            payload[name] = (fresh or {}).get(name, value)
    return payload
