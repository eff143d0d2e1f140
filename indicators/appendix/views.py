"""The Phụ lục 01b entry screen: a PartView (scope, read-only for reviewers, revision check, autosave)."""

from django.urls import reverse

from reports import parts as part_registry
from reports.views import PartView

from .forms import AppendixForm
from .services import load_appendix, owner_part, replace_values


class AppendixPartView(PartView):
    """The whole table, grouped and coded as the official appendix. Queries: the catalogue, its
    indicators and the report's values once each, plus the other parts' facts — none per row."""

    part_key = "appendix"
    template_name = "indicators/catalogue/part_appendix.html"

    def build_forms(self, report, data=None, files=None):
        self.appendix = load_appendix(report)
        facts = part_registry.all_facts(report) if self.appendix.indicators else {}
        return {"appendix": AppendixForm(data, appendix=self.appendix, facts=facts)}

    def save_forms(self, report, forms):
        replace_values(report, forms["appendix"].values_by_indicator(), actor=self.request.user)

    def part_context(self, report, forms):
        links = {}
        for indicator in self.appendix.indicators:
            if indicator.is_sourced and indicator.source not in links:
                part = owner_part(indicator.source)
                links[indicator.source] = (
                    (reverse(part.url_name, kwargs={"report_pk": report.pk}), part.title) if part else ("", "")
                )
        return {
            "catalogue": self.appendix.catalogue,
            "rows": forms["appendix"].rows(links),
            "appendix_form": forms["appendix"],
        }
