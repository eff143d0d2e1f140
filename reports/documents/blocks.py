"""Document blocks: what the apps that build on the core add to its documents.

The core writes a report's frame (header, direction, prose, tasks appendix, closing) and the
frame of the consolidated district/province report. Everything else — a paragraph in a prose
section, an appendix table, the figures the documents print, the communes' sums — comes from
blocks that apps register in ``AppConfig.ready()``::

    from reports.documents import blocks

    blocks.register(blocks.DocumentBlock(key="dossiers", order=30, report=..., consolidated=...))

A block's functions take plain values only: the report's part contexts (``{part key:
ReportPart.document_context(report)}``) and a small info record; they return a ``Contribution``.
The core merges the contributions into the one plain dict both writers consume (see
``cchc_portal.lib.docx_writer``), so a block written once appears in the DOCX and the PDF alike.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

# An appendix whose label is exactly this is numbered by the core ("Phụ lục 02", "Phụ lục 03" …);
# any other label (a fixed one such as "Phụ lục 01a") is printed as given.
NUMBERED = "Phụ lục"
# Blocks ordered below this put their appendices before the core's tasks appendix, the others after.
CORE_APPENDIX_ORDER = 50


@dataclass(frozen=True)
class ReportInfo:
    """What a block may print about the commune report it writes for.

    committee        "UBND xã Vĩnh Long" (the unit's committee)
    committee_short  "UBND xã" (subject of the report's sentences)
    unit_upper       "UBND XÃ VĨNH LONG"
    year             the period's year
    note             "(Kèm theo Báo cáo số 12/BC-UBND ngày 20/06/2024 của UBND xã Vĩnh Long)"
    """

    committee: str
    committee_short: str
    unit_upper: str
    year: int
    note: str


@dataclass(frozen=True)
class ConsolidatedInfo:
    """What a block may use about the consolidated report of a district or province.

    unit_id          the district or province
    year             the period's year
    subject          "các đơn vị cấp xã" (subject of the summed sentences)
    communes_upper   "CÁC ĐƠN VỊ CẤP XÃ HUYỆN VĨNH LINH" (titles of summed tables)
    note             "(Kèm theo Báo cáo số       /BC-UBND của UBND huyện Vĩnh Linh)"
    """

    unit_id: int
    year: int
    subject: str
    communes_upper: str
    note: str


@dataclass(frozen=True)
class CommuneInput:
    """One commune whose report was filed: its id, its name and its report's part contexts."""

    unit_id: int
    name: str
    contexts: dict


@dataclass
class Contribution:
    """What one block adds to one document (every field optional).

    paragraphs       commune report: {prose key ("II.2"): [sentence, …]}, printed after the typed prose
    results          consolidated: [(subsection title, [paragraph, …])] under "II. KẾT QUẢ THỰC HIỆN"
    sections         consolidated: [(heading, [paragraph, …])], top-level sections after II
    appendices       tables in the writers' appendix shape ({"label", "title", "note", "columns", "rows"})
    figures          {name: formatted value}: the values the document prints (compared across formats)
    commune_columns  consolidated: extra columns of the communes table (writers' column shape)
    commune_cells    consolidated: {commune id: [cell, …]} for those columns; missing communes get ""
    commune_title    consolidated: what those columns add to the table's title ("KẾT QUẢ GIẢI QUYẾT …")
    """

    paragraphs: dict = field(default_factory=dict)
    results: list = field(default_factory=list)
    sections: list = field(default_factory=list)
    appendices: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    commune_columns: list = field(default_factory=list)
    commune_cells: dict = field(default_factory=dict)
    commune_title: str = ""


@dataclass(frozen=True)
class DocumentBlock:
    """One app's contribution to the documents.

    key           unique name (re-registering a key replaces the block)
    order         position among blocks (paragraphs, sections and appendices follow it)
    report        (part contexts, ReportInfo) → Contribution or None, for a commune's report
    consolidated  ([CommuneInput], ConsolidatedInfo) → Contribution or None, for a district/province
    fingerprint   ConsolidatedInfo → plain JSON-able value: inputs of the consolidated report that
                  are not the communes' reports (e.g. results published elsewhere); hashed into its version
    """

    key: str
    order: int = 100
    report: Callable[[dict, ReportInfo], Contribution | None] | None = None
    consolidated: Callable[[list, ConsolidatedInfo], Contribution | None] | None = None
    fingerprint: Callable[[ConsolidatedInfo], object] | None = None


_blocks: dict[str, DocumentBlock] = {}


def register(block):
    """Register (or replace) a block; returns it."""
    _blocks[block.key] = block
    return block


def unregister(key):
    _blocks.pop(key, None)


def blocks():
    return sorted(_blocks.values(), key=lambda block: (block.order, block.key))


def report_contributions(contexts, info):
    """[(block, Contribution)] of every block that writes something into a commune's report."""
    out = []
    for block in blocks():
        if block.report is not None:
            contribution = block.report(contexts, info)
            if contribution is not None:
                out.append((block, contribution))
    return out


def consolidated_contributions(communes, info):
    """[(block, Contribution)] of every block that writes something into a consolidated report."""
    out = []
    for block in blocks():
        if block.consolidated is not None:
            contribution = block.consolidated(communes, info)
            if contribution is not None:
                out.append((block, contribution))
    return out


def consolidated_fingerprint(info):
    """{block key: fingerprint} of the blocks whose consolidated output depends on more than the reports."""
    return {block.key: block.fingerprint(info) for block in blocks() if block.fingerprint is not None}
