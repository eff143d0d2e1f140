"""The navigation bar, the home page's panels and the facts beside the prose sections come from what
the apps register (reports.plugins, reports.parts): the core's templates name no plug-in."""

import re
from importlib import import_module

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLResolver, reverse

from reports import parts as part_registry
from reports import plugins

pytestmark = pytest.mark.django_db

CORE_TEMPLATES = [settings.BASE_DIR / "templates" / "base.html",
                  settings.BASE_DIR / "templates" / "reports" / "home.html"]


@pytest.fixture
def registries(monkeypatch):
    """The registries, restored after the test."""
    monkeypatch.setattr(plugins, "_nav", dict(plugins._nav))
    monkeypatch.setattr(plugins, "_panels", dict(plugins._panels))
    monkeypatch.setattr(part_registry, "_registry", dict(part_registry._registry))


def nav_links(response):
    html = response.content.decode()
    return html[html.index('<ul class="navbar-nav'):html.index("</ul>")]


def test_core_templates_name_no_plugin():
    for template in CORE_TEMPLATES:
        text = template.read_text()
        for plugin in settings.KNOWN_PLUGINS:
            assert f"{plugin}/" not in text, (template.name, plugin)
        assert "scoring" not in text


def url_names(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from url_names(pattern.url_patterns)
        elif pattern.name:
            yield pattern.name


def test_no_core_template_names_a_plugin_s_urls_or_templates():
    """The core's templates (the page frame, the report's pages, shared includes, login) reverse
    no URL of an installed plug-in and include none of its templates."""
    plugin_names = {config.name: set(url_names(import_module(f"{config.name}.urls").urlpatterns))
                    for config in apps.get_app_configs() if getattr(config, "url_prefix", None)}
    root = settings.BASE_DIR / "templates"
    core = [root / "base.html", *(root / "reports").rglob("*.html"), *(root / "includes").rglob("*.html"),
            *(root / "registration").rglob("*.html")]
    assert len(core) > 10
    for template in core:
        text = template.read_text()
        for plugin, names in plugin_names.items():
            assert f'"{plugin}/' not in text and f"'{plugin}/" not in text, (template.name, plugin)
            used = set(re.findall(r"""{%\s*url\s+["']([\w:-]+)["']""", text)) & names
            assert not used, (template.name, used)


@pytest.mark.parametrize("role, shown, hidden", [
    ("officer", ["Trang chủ", "Báo cáo của xã"], ["Đơn vị cấp xã", "Quản trị"]),
    ("reviewer", ["Trang chủ", "Đơn vị cấp xã"], ["Báo cáo của xã", "Quản trị"]),
    ("admin", ["Trang chủ", "Quản trị"], ["Báo cáo của xã"]),
])
def test_core_navigation_items_follow_the_roles(as_user, role, shown, hidden):
    links = nav_links(as_user(role).get(reverse("home")))
    for label in shown:
        assert f">{label}</a>" in links, label
    for label in hidden:
        assert f">{label}</a>" not in links, label


def test_a_registered_navigation_item_is_shown_only_to_whom_it_is_visible(as_user, users, registries):
    plugins.register_nav(plugins.NavItem("test-link", order=15, label="Liên kết thử", url_name="unit-list",
                                         anchor="#thu", visible=lambda user: user == users["leader"]))
    assert f'href="{reverse("unit-list")}#thu">Liên kết thử</a>' in nav_links(as_user("leader").get("/"))
    assert "Liên kết thử" not in nav_links(as_user("officer").get("/"))


def test_navigation_items_are_in_their_order(as_user, registries):
    plugins.register_nav(plugins.NavItem("last", order=950, label="Cuối cùng", url_name="home"))
    plugins.register_nav(plugins.NavItem("first", order=-1, label="Đầu tiên", url_name="home"))
    links = nav_links(as_user("admin").get("/"))
    assert links.index("Đầu tiên") < links.index("Trang chủ") < links.index("Quản trị") < links.index("Cuối cùng")


def test_a_nav_item_needs_a_template_or_a_label_and_url():
    with pytest.raises(ValueError):
        plugins.NavItem("broken", label="Không có URL")
    with pytest.raises(ValueError):
        plugins.NavItem("both", label="Hai", url_name="home", template="x.html")


def test_a_registered_home_panel_is_rendered_for_whom_it_is_visible(as_user, users, registries, tmp_path, settings):
    (tmp_path / "panel.html").write_text('<section id="panel-thu">Bảng thử của {{ user.username }}</section>')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    plugins.register_home_panel(plugins.HomePanel("test-panel", template="panel.html",
                                                  visible=lambda user: user == users["reviewer"]))
    assert "Bảng thử của noivu.vinhlinh" in as_user("reviewer").get("/").content.decode()
    assert 'id="panel-thu"' not in as_user("officer").get("/").content.decode()


@pytest.mark.requires_plugin("indicators")
@pytest.mark.parametrize("role", ["officer", "reviewer", "admin"])
def test_scoring_registers_its_navigation_item_and_home_panel(as_user, role):
    response = as_user(role).get("/")
    assert f'href="{reverse("scoring-home")}">Chỉ số CCHC</a>' in nav_links(response)
    assert reverse("criteria-set-list") in response.content.decode()


@pytest.mark.requires_plugin("procedures", "indicators")
def test_each_plugin_is_served_at_the_prefix_its_app_declares():
    assert reverse("part-one-stop", kwargs={"report_pk": 1}).startswith("/thu-tuc/")
    assert reverse("scoring-home").startswith("/chi-so/")


# --- facts beside the prose sections --------------------------------------------------------------

class FactPart(part_registry.ReportPart):
    key = "test_facts"
    title = "Phần thử"
    order = 95
    url_name = "part-prose"  # the navigation between parts reverses it

    def facts(self, report):
        return {"test_facts.count": 42, "test_facts.hidden": 7}

    def fact_labels(self):
        return {"test_facts.count": "Số thử nghiệm"}

    def section_facts(self):
        return {"II.5": ["test_facts.count"]}


def test_the_core_declares_only_its_own_facts():
    direction = part_registry.get("direction")
    assert direction.fact_labels() and all(key.startswith("direction.") for key in direction.fact_labels())
    assert {key for keys in direction.section_facts().values() for key in keys} <= set(direction.fact_labels())


def test_a_part_s_facts_are_shown_beside_the_section_it_declares(as_user, report, registries):
    part_registry.register(FactPart())
    assert part_registry.fact_labels()["test_facts.count"] == "Số thử nghiệm"
    assert part_registry.section_facts()["II.5"] == ["test_facts.count"]
    response = as_user("officer").get(reverse("part-prose", kwargs={"report_pk": report.pk}))
    rows = {str(row["field"].name): row["facts"] for row in response.context["section_rows"]}
    assert rows["II.5"] == [("Số thử nghiệm", 42)]
    assert all("test_facts.hidden" not in str(facts) for facts in rows.values())


@pytest.mark.requires_plugin("procedures")
def test_one_stop_and_procedure_facts_are_declared_for_section_ii_2():
    labels, beside = part_registry.fact_labels(), part_registry.section_facts()
    assert labels["one_stop.received"] == "Hồ sơ tiếp nhận"
    assert labels["procedures.time_cut_count"] == "TTHC cắt giảm thời gian"
    assert {"one_stop.on_time_rate", "procedures.active_count"} <= set(beside["II.2"])
