"""What the apps show around the report: navigation items and home-page panels.

Like ``reports.parts``, a registry the apps fill in ``AppConfig.ready()``: the core registers its own
items, each plug-in (``settings.CCHC_PLUGINS``) adds its own, and ``base.html`` / ``home.html``
render whatever is registered (template tags in ``reports.templatetags.portal``), so the core's
templates name no plug-in template or URL.
"""

from collections.abc import Callable
from dataclasses import dataclass


def everyone(user) -> bool:
    return bool(user is not None and user.is_authenticated)


@dataclass(frozen=True)
class NavItem:
    """A link in the navigation bar: either ``label`` + ``url_name`` (+ ``anchor``), or a
    ``template`` rendered in the bar's context (it writes its own ``<li>``)."""

    key: str
    order: int = 100
    label: str = ""
    url_name: str = ""
    anchor: str = ""
    template: str = ""
    visible: Callable = everyone

    def __post_init__(self):
        if bool(self.template) == bool(self.label and self.url_name):
            raise ValueError(f"nav item {self.key!r}: give a template, or a label and a url_name")


@dataclass(frozen=True)
class HomePanel:
    """A section of the home page, rendered from ``template`` in the home page's context."""

    key: str
    template: str
    order: int = 100
    visible: Callable = everyone


_nav: dict[str, NavItem] = {}
_panels: dict[str, HomePanel] = {}


def register_nav(item: NavItem) -> NavItem:
    _nav[item.key] = item
    return item


def register_home_panel(panel: HomePanel) -> HomePanel:
    _panels[panel.key] = panel
    return panel


def nav_items(user) -> list[NavItem]:
    """The navigation items ``user`` sees, in order."""
    return [item for item in sorted(_nav.values(), key=lambda i: (i.order, i.key)) if item.visible(user)]


def home_panels(user) -> list[HomePanel]:
    """The home-page panels ``user`` sees, in order."""
    return [panel for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)) if panel.visible(user)]
