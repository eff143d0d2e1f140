"""The registered navigation items and home-page panels (reports.plugins), for base.html and home.html."""

from django import template

from reports import plugins

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_items(context):
    """``{% nav_items as items %}``: the navigation items the current user sees."""
    return plugins.nav_items(context.get("user"))


@register.simple_tag(takes_context=True)
def home_panels(context):
    """``{% home_panels as panels %}``: the home-page panels the current user sees."""
    return plugins.home_panels(context.get("user"))
