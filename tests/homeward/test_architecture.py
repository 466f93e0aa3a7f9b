"""The app graph runs one way (README, "How the code is arranged"): the foundation in site/
imports no app; appeals import only the foundation; sightings and newsletter build on
appeals and never on each other; only the site's assembly (its URLs, cron table, demo and
settings) imports them all. Other apps join an appeal's life through hooks
(appeals.lifecycle_hooks) and render their pieces on its pages through template tags.

Read from the source, as a reviewer would: every import, at the top or inside a function.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = {"homeward": ROOT / "site", "appeals": ROOT / "appeals"}
PACKAGES |= {name: ROOT / name for name in ("sightings", "newsletter")}

# The modules of site/ that put the apps together: they alone may import every app.
ASSEMBLY = ("homeward.urls", "homeward.cron", "homeward.demo", "homeward.management.commands")
FLOORS_BELOW = {
    "foundation": set(),
    "appeals": {"foundation"},
    "sightings": {"foundation", "appeals"},
    "newsletter": {"foundation", "appeals"},
    "assembly": {"foundation", "appeals", "sightings", "newsletter"},
}

# Imports of our own modules inside a function, each for a reason the top cannot serve.
LOCAL_IMPORTS = {
    # A job imports its service in its body: services enqueue jobs (HackSoft's rule).
    "appeals.jobs": "services enqueue jobs",
    "newsletter.jobs": "services enqueue jobs",
    "sightings.jobs": "services enqueue jobs",
    # AppConfig.ready(): signal handlers and hooks need every model loaded.
    "appeals.apps": "ready()",
    "sightings.apps": "ready()",
    "newsletter.apps": "ready()",
    "homeward.apps": "ready()",
    "homeward.accounts.apps": "ready()",
    # Wagtail imports it while its own models load (WAGTAIL_FINISH_WORKFLOW_ACTION).
    "appeals.workflows": "Wagtail's load order",
    # Wagtail serves pages, tests page permissions and runs workflow tasks through their
    # models; the forms, selectors and services these call import the models.
    "appeals.models.directory": "Wagtail calls the model",
    "appeals.models.permissions": "Wagtail calls the model",
    "appeals.models.workflow_tasks": "Wagtail calls the model",
    # The page models' edit panels: loaded while the models are.
    "appeals.panels": "models load it",
}


def modules():
    for package, folder in PACKAGES.items():
        for path in sorted(folder.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(folder).with_suffix("").parts
            name = ".".join((package, *parts)).removesuffix(".__init__")
            yield name, ast.parse(path.read_text(), filename=str(path))


def floor(module: str) -> str:
    package = module.split(".")[0]
    if package != "homeward":
        return package
    if module.startswith(ASSEMBLY) or module.startswith("homeward.settings"):
        return "assembly"
    return "foundation"


def own_imports(tree: ast.AST):
    """(imported module, whether inside a function) for each import of our packages."""
    inside = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES:
                yield name, id(node) in inside


def test_every_import_runs_down_the_app_graph():
    upward = [
        f"{module} ({floor(module)}) imports {imported} ({floor(imported)})"
        for module, tree in modules()
        for imported, _ in own_imports(tree)
        if floor(imported) != floor(module) and floor(imported) not in FLOORS_BELOW[floor(module)]
    ]
    assert upward == []


def test_no_import_hides_inside_a_function_without_a_reason():
    hidden = sorted(
        f"{module} imports {imported}"
        for module, tree in modules()
        for imported, local in own_imports(tree)
        if local and module not in LOCAL_IMPORTS
    )
    assert hidden == []


@pytest.mark.parametrize("module", sorted(LOCAL_IMPORTS))
def test_each_reason_for_a_function_import_is_still_needed(module):
    trees = dict(modules())
    assert any(local for _, local in own_imports(trees[module]))
