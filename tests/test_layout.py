"""The folder layout draws the architecture, and these tests keep it drawn: imports run one way
(web glue and views above the domain areas, the areas above vss/core), no import circle, and no
module grows past the size where it starts having two reasons to change."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "vss"
MAX_LINES = 300
MAX_VIEW_LINES = 200
# Modules being split by work in progress (emptied when it lands).
IN_PROGRESS = set()

# What each room may import from vss (besides itself). Areas: lower ones never import higher ones.
ALLOWED = {
    "core": set(),
    "registry": {"core"},
    "messages": {"core", "registry"},
    "identity": {"core", "registry", "messages"},
    "cards": {"core", "registry", "messages", "identity"},
    "dossiers": {"core", "registry", "messages", "identity", "cards"},
    "requests": {"core", "registry", "messages", "identity", "cards", "dossiers"},
    "kiosk": {"core", "registry", "messages", "identity", "cards", "dossiers"},
    "support": {"core", "registry", "messages", "identity"},
    "web": {"core", "registry", "messages", "identity", "cards", "dossiers", "requests", "kiosk", "support"},
    "views": {
        "core",
        "registry",
        "messages",
        "identity",
        "cards",
        "dossiers",
        "requests",
        "kiosk",
        "support",
        "web",
        "views",
    },
    "seed": {
        "core",
        "registry",
        "identity",
        "cards",
        "dossiers",
        "requests",
        "messages",
        "kiosk",
        "support",
        "seed",
    },
}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        yield name.removesuffix(".__init__"), path


def _imports(name, path):
    """Every vss module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("vss"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(
                    candidate
                    if (ROOT / Path(*candidate.split("."))).with_suffix(".py").exists()
                    else node.module
                )
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("vss"))
    found.discard(name)
    return found


GRAPH = {name: _imports(name, path) for name, path in _modules()}


def _room(module):
    parts = module.split(".")
    return (
        parts[1] if len(parts) > 2 else None
    )  # vss.<room>.<module>; vss/__init__ and vss.cli stand above all


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if _room(m)))
def test_imports_run_one_way(module):
    room = _room(module)
    wrong = {
        target
        for target in GRAPH[module]
        if _room(target) and _room(target) != room and _room(target) not in ALLOWED[room]
    }
    assert not wrong, f"{module} ({room}) imports {sorted(wrong)} from a room above it"


def test_no_import_circle():
    seen, on_path, circles = set(), [], []

    def visit(node):
        if node in on_path:
            circles.append(on_path[on_path.index(node) :] + [node])
            return
        if node in seen:
            return
        seen.add(node)
        on_path.append(node)
        for target in GRAPH.get(node, ()):
            if target in GRAPH:
                visit(target)
        on_path.pop()

    for module in sorted(GRAPH):
        visit(module)
    assert not circles, "import circles: " + "; ".join(" → ".join(c) for c in circles)


@pytest.mark.parametrize("name,path", list(_modules()), ids=lambda value: str(value))
def test_modules_stay_small(name, path):
    if name in IN_PROGRESS:
        pytest.skip("being split")
    lines = len(path.read_text().splitlines())
    limit = MAX_VIEW_LINES if name.startswith("vss.views.") else MAX_LINES
    assert lines <= limit, f"{path.relative_to(ROOT)} has {lines} lines (at most {limit})"
