"""The Phụ lục 01b entry form: one field per indicator typed here, built from the already loaded
catalogue rows and values (no query of its own). Sourced indicators have no field; they are shown
read-only with the value another part knows."""

from django import forms
from django.core.exceptions import ValidationError

from . import values as checks
from .models import ValueType
from .services import numeric_values, rule_problems, sourced_value


def field_name(code):
    """"1.2.3" → "i_1_2_3" (a name usable in templates and HTML ids)."""
    return "i_" + code.replace(".", "_")


def _sentence(message):
    message = str(message)
    return (message[:1].upper() + message[1:]).rstrip(".") + "."


class IndicatorField(forms.CharField):
    """A count, percent or text cell; cleans to the canonical text (None when empty)."""

    def __init__(self, indicator, **kwargs):
        self.indicator = indicator
        super().__init__(required=False, label=f"{indicator.code} {indicator.name_vi}", **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return self.indicator.parse(value)
        except ValueError as error:
            raise ValidationError(_sentence(error), code="invalid") from error


class IndicatorChoiceField(forms.ChoiceField):
    """A choice cell: the catalogue's keys, shown by label."""

    def __init__(self, indicator, **kwargs):
        self.indicator = indicator
        choices = [("", "—")] + [(str(key), label) for key, label in indicator.choice_map.items()]
        super().__init__(required=False, choices=choices, label=f"{indicator.code} {indicator.name_vi}", **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return self.indicator.parse(value)
        except ValueError as error:
            raise ValidationError(_sentence(error), code="invalid") from error


def make_field(indicator):
    attrs = {"class": "form-control form-control-sm", "aria-label": f"Chỉ tiêu {indicator.code}"}
    if indicator.value_type == ValueType.CHOICE:
        attrs["class"] = "form-select form-select-sm"
        return IndicatorChoiceField(indicator, widget=forms.Select(attrs=attrs))
    if indicator.value_type == ValueType.COUNT:
        attrs.update({"inputmode": "numeric", "class": attrs["class"] + " text-end"})
    elif indicator.value_type == ValueType.PERCENT:
        attrs.update({"inputmode": "decimal", "class": attrs["class"] + " text-end"})
    return IndicatorField(indicator, widget=forms.TextInput(attrs=attrs),
                          max_length=checks.TEXT_MAX if indicator.value_type == ValueType.TEXT else 40)


class AppendixForm(forms.Form):
    """The whole table. ``appendix``: services.Appendix; ``facts``: reports.parts.all_facts."""

    def __init__(self, data=None, *, appendix, facts, prefix="appendix"):
        self.appendix = appendix
        self.facts = facts
        self.typed_here = [i for i in appendix.indicators if not i.is_group and not i.is_sourced]
        initial = {
            field_name(i.code): checks.input_text(i.value_type, checks.typed(i.value_type, appendix.value_of(i)))
            for i in self.typed_here
        }
        super().__init__(data, initial=initial, prefix=prefix)
        for indicator in self.typed_here:
            self.fields[field_name(indicator.code)] = make_field(indicator)

    def clean(self):
        data = super().clean()
        own = {}
        for indicator in self.typed_here:
            value = data.get(field_name(indicator.code))
            if value is not None:
                own[indicator.code] = checks.typed(indicator.value_type, value)
        values = numeric_values(self.appendix.indicators, own, self.facts)
        checked = {i.code for i in self.typed_here}
        for code, message in rule_problems(self.appendix.indicators, values, checked_codes=checked):
            name = field_name(code)
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data

    def values_by_indicator(self):
        """{indicator id: canonical text or None} of the cleaned form."""
        return {i.pk: self.cleaned_data.get(field_name(i.code)) for i in self.typed_here}

    def rows(self, owner_links):
        """Rows of the table in catalogue order; ``owner_links``: {source: (url, part title)}."""
        rows = []
        for indicator in self.appendix.indicators:
            row = {
                "code": indicator.code, "name": indicator.name_vi, "unit": indicator.unit_vi,
                "depth": indicator.depth, "indent": f"{indicator.depth * 1.25:g}rem", "is_group": indicator.is_group,
                "note": indicator.note, "field": None, "sourced": indicator.is_sourced,
            }
            if indicator.is_sourced:
                choice_map = indicator.choice_map if indicator.value_type == ValueType.CHOICE else {}
                row["display"] = checks.display(indicator.value_type, sourced_value(indicator, self.facts), choice_map)
                row["owner_url"], row["owner_title"] = owner_links.get(indicator.source, ("", ""))
            elif not indicator.is_group:
                name = field_name(indicator.code)
                if self.is_bound and name in self.errors:
                    attrs = self.fields[name].widget.attrs
                    attrs["class"] = attrs.get("class", "") + " is-invalid"
                row["field"] = self[name]
            rows.append(row)
        return rows
