"""The plug-in boundary of the core: ``reports`` imports neither ``procedures`` nor ``indicators``
(nor the one-stop rules), and no template of the core names theirs. Read from the source with
``ast``, so an import hidden inside a function counts too."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PLUGINS = ("procedures", "indicators")


def imports_of(path, package=None):
    """(line, module) of every import in a Python file, relative ones resolved against its package."""
    package = package or path.relative_to(ROOT).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1]) if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            found += [(node.lineno, module)]
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def core_modules():
    return sorted((ROOT / "reports").rglob("*.py"))


def test_the_core_is_where_it_is_expected():
    assert len(core_modules()) > 20 and (ROOT / "reports" / "documents" / "context.py").exists()


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_imports_no_plugin(path):
    offending = [f"line {line}: {module}" for line, module in imports_of(path)
                 if module.split(".")[0] in PLUGINS or ".one_stop" in module or ".time_cut" in module]
    assert offending == [], f"{path.relative_to(ROOT)} imports a plug-in: {offending}"


def test_the_scanner_sees_relative_and_nested_imports(tmp_path):
    """The check above can fail: a hidden import of a plug-in is found."""
    module = tmp_path / "probe.py"
    module.write_text("def f():\n    from procedures import onestop\n    from ..x import y\n", encoding="utf-8")
    found = [name for _, name in imports_of(module, package=("reports", "documents"))]
    assert "procedures" in found and "reports.x.y" in found


@pytest.mark.parametrize("folder", ["templates/reports", "templates/documents"])
def test_core_templates_name_no_plugin_template(folder):
    named = [f"{path.relative_to(ROOT)}: {plugin}/"
             for path in sorted((ROOT / folder).rglob("*.html"))
             for plugin in PLUGINS if f"{plugin}/" in path.read_text(encoding="utf-8")]
    assert named == []


def test_one_stop_rules_are_not_in_the_shared_numbers():
    from cchc_portal.lib import numbers

    assert not [name for name in vars(numbers) if "one_stop" in name.lower() or "time_cut" in name.lower()]


def test_the_document_tasks_are_found_by_the_worker_and_not_imported_by_the_services():
    """Autodiscovery imports ``reports.tasks``; that registers the document tasks, while the
    services send them by name (no import cycle between tasks and services)."""
    import reports.tasks  # noqa: F401
    from cchc_portal.celery import app
    from reports.documents import services

    assert {"reports.render_document", "reports.expire_documents"} <= set(app.tasks)
    assert services.RENDER_TASK == "reports.render_document"
    modules = {name for _, name in imports_of(ROOT / "reports" / "documents" / "services.py")}
    assert not {m for m in modules if m.endswith(".tasks") or ".tasks." in m}
