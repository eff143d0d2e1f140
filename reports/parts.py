"""The report is assembled from parts contributed by apps.

``reports`` is the core and never imports the apps that build on it (``procedures``, ``indicators``).
Each app registers a ``ReportPart`` in its ``AppConfig.ready()``; the overview, the entry navigation,
the interchange format (cchc-report/1), the copy-forward of a new report and the document builder
all iterate over the registry.
"""

from dataclasses import dataclass

_registry: dict[str, "ReportPart"] = {}


@dataclass
class Problem:
    """One problem found in a part, with the place it was found (field name or JSON path)."""

    path: str
    message: str

    def __str__(self):
        return f"{self.path}: {self.message}" if self.path else self.message


class ReportPart:
    """Base class of a report part. Subclasses override what they contribute.

    key           short identifier, also the key of ``Report.part_revisions``
    title         Vietnamese title shown in the overview and navigation
    order         position in the overview
    url_name      view name of the entry screen; reversed with ``report_pk``
    export_keys   top-level keys of cchc-report/1 this part owns
    """

    key = ""
    title = ""
    order = 100
    url_name = ""
    export_keys: tuple[str, ...] = ()

    def is_started(self, report) -> bool:
        return False

    def problems(self, report) -> list[Problem]:
        """Problems of the saved data (a part saved through a form has none; an import may)."""
        return []

    def is_complete(self, report) -> bool:
        return self.is_started(report) and not self.problems(report)

    def facts(self, report) -> dict:
        """Values this part knows, keyed ``"<part>.<name>"``; other parts show them read-only."""
        return {}

    def fact_labels(self) -> dict[str, str]:
        """Vietnamese labels of the facts this part knows: {fact key: label}."""
        return {}

    def section_facts(self) -> dict[str, list[str]]:
        """Facts shown beside the prose sections (the officer writes the judgement next to the
        figures): {section key ("II.2"): [fact key, …]}, in display order."""
        return {}

    def export(self, report) -> dict:
        """This part's keys of cchc-report/1."""
        return {}

    def validate_import(self, data: dict, *, unit, period) -> list[Problem]:
        """Check this part's keys of a cchc-report/1 document; paths are JSON paths ("one_stop.received")."""
        return []

    def settable_facts(self) -> dict:
        """Facts this part stores that an import may set through another part's key (the
        appendix's indicator codes in cchc-report/1): {fact key: (validate(value, data) -> message
        or None, apply(report, value))}. Values typed once, wherever the file carries them."""
        return {}

    def apply_import(self, report, data: dict) -> None:
        """Replace this part's data of ``report`` with ``data`` (already validated)."""

    def copy_from_previous(self, previous, report) -> None:
        """Prefill a new report from the commune's previous one."""

    def changes_since(self, report, when) -> list[dict]:
        """Value changes of this part since ``when`` (from simple-history):
        [{"field": label, "old": …, "new": …}]."""
        return []

    def document_context(self, report) -> dict:
        """Data the document builder needs from this part, plain values only."""
        return {}


def register(part: ReportPart) -> ReportPart:
    _registry[part.key] = part
    return part


def parts() -> list[ReportPart]:
    return sorted(_registry.values(), key=lambda p: p.order)


def get(key: str) -> ReportPart:
    return _registry[key]


def fact_setter(key: str):
    """(validate, apply) for a settable fact key, or None."""
    for part in parts():
        setter = part.settable_facts().get(key)
        if setter is not None:
            return setter
    return None


def fact_labels() -> dict[str, str]:
    """Every registered fact's label."""
    labels = {}
    for part in parts():
        labels.update(part.fact_labels())
    return labels


def section_facts() -> dict[str, list[str]]:
    """Facts shown beside each prose section, from every part in part order."""
    sections: dict[str, list[str]] = {}
    for part in parts():
        for section, keys in part.section_facts().items():
            sections.setdefault(section, []).extend(keys)
    return sections


def all_facts(report) -> dict:
    facts = {}
    for part in parts():
        facts.update(part.facts(report))
    return facts
