"""The apps' layers point one way: no import circle between the project's apps, `portal` at the
bottom, the domain (`directory`) on portal's ground floor only, and the top apps (`demo`,
`devtools`) imported by no runtime app.

Imports are read from the source with `ast` (also those inside functions), so a lazy import
does not hide a dependency. Migrations and tests are left out: they may use anything."""

import ast
from collections import defaultdict
from pathlib import Path

from django.conf import settings

from tests.project import project_apps

SKIPPED_FOLDERS = {"migrations", "tests", "__pycache__"}

# What the domain may use of the portal package: the abstract page, the block definitions and
# the small helpers, none of which knows about the pages built on them.
PORTAL_GROUND_FLOOR = {
    "portal.models.base",
    "portal.blocks",
    "portal.dates",
    "portal.numbers",
    "portal.pagecache",
    "portal.panels",
    "portal.policies",
    "portal.parsing",
    "portal.ratelimit",
    "portal.spreadsheets",
    "portal.validators",
}

# Apps that sit above every runtime app: `demo` builds the demo site from all of them, and
# `devtools` is installed by the dev and test settings only (production would fail to import it).
TOP_APPS = {"demo", "devtools"}


def modules(app_path):
    """(dotted module name, file) of every module of an app, migrations and tests excepted."""
    root = Path(settings.BASE_DIR).resolve()
    for file in sorted(app_path.rglob("*.py")):
        relative = file.relative_to(root)
        if SKIPPED_FOLDERS & set(relative.parts[:-1]):
            continue
        parts = list(relative.with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        yield ".".join(parts), file


def all_modules():
    """{dotted module name: file} of every module of the project's apps."""
    return {module: file for path in project_apps().values() for module, file in modules(path)}


def imported_modules(module, file, known):
    """Every module a file imports, absolute and dotted, wherever the import statement is:
    `from portal import numbers` imports portal.numbers, `from directory.models import
    Territory` imports directory.models (`known` tells modules from names)."""
    tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
    package = module if file.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against the file's package
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                target = ".".join(parts + ([node.module] if node.module else []))
            else:
                target = node.module
            submodules = [f"{target}.{alias.name}" for alias in node.names]
            yield from (name for name in submodules if name in known)
            if not all(name in known for name in submodules):
                yield target


def import_edges():
    """{(importing app, imported app): [(file, imported module), …]} between project apps,
    and {app: {module of another app or of its own, …}}."""
    found = project_apps()
    known = all_modules()
    edges = defaultdict(list)
    imports = defaultdict(set)
    base = Path(settings.BASE_DIR).resolve()
    for app, path in found.items():
        for module, file in modules(path):
            for target in imported_modules(module, file, known):
                target_app = target.split(".")[0]
                if target_app not in found:
                    continue
                imports[app].add(target)
                if target_app != app:
                    edges[(app, target_app)].append((str(file.relative_to(base)), target))
    return edges, imports


def find_cycle(graph):
    """A cycle of the directed graph {node: {successor, …}} as [a, b, …, a], or None."""
    visiting, done = [], set()

    def visit(node):
        visiting.append(node)
        for successor in sorted(graph.get(node, ())):
            if successor in visiting:
                return visiting[visiting.index(successor) :] + [successor]
            if successor not in done:
                cycle = visit(successor)
                if cycle:
                    return cycle
        visiting.pop()
        done.add(node)
        return None

    for node in sorted(graph):
        if node not in done:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def _explain(edges, pairs):
    return "\n".join(
        f"  {a} → {b}: " + ", ".join(f"{file} imports {target}" for file, target in edges[(a, b)])
        for a, b in pairs
    )


def test_the_cycle_finder_finds_cycles_and_only_cycles():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None  # a diamond
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"x": {"y"}, "y": {"y"}}) == ["y", "y"]


def test_the_walk_sees_every_project_app_and_every_kind_of_import(tmp_path):
    assert {"portal", "directory", "maps", "referrals", "news", "demo", "devtools"} <= set(
        project_apps()
    )
    source = tmp_path / "views.py"
    source.write_text(
        "import portal.numbers\n"
        "from portal import blocks, numbers\n"
        "from directory.models import Territory\n"
        "from . import coverage\n"
        "def view():\n"
        "    from maps.geo import version_token\n"
    )
    known = all_modules()
    found = set(imported_modules("directory.views", source, known))
    assert found == {
        "portal.numbers",
        "portal.blocks",
        "directory.models",
        "directory.coverage",
        "maps.geo",
    }


def test_no_import_circle_between_apps():
    edges, _ = import_edges()
    graph = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    cycle = find_cycle(graph)
    assert cycle is None, (
        "Import circle between apps: "
        + " → ".join(cycle)
        + "\n"
        + _explain(edges, zip(cycle, cycle[1:], strict=False))
    )


def test_portal_is_the_ground_floor_and_imports_no_other_app():
    edges, _ = import_edges()
    upward = sorted(pair for pair in edges if pair[0] == "portal")
    assert not upward, "portal imports apps built on it:\n" + _explain(edges, upward)


def test_the_domain_uses_only_portals_ground_floor():
    edges, imports = import_edges()
    others = sorted(pair for pair in edges if pair[0] == "directory" and pair[1] != "portal")
    assert not others, "directory imports apps above it:\n" + _explain(edges, others)
    used = {module for module in imports["directory"] if module.split(".")[0] == "portal"}
    above = sorted(used - PORTAL_GROUND_FLOOR)
    assert not above, f"directory uses portal modules above the ground floor: {above}"
    # …and the ground floor stands on its own: it imports nothing else of portal.
    known = all_modules()
    for module in sorted(PORTAL_GROUND_FLOOR):
        inside = {
            target
            for target in imported_modules(module, known[module], known)
            if target.split(".")[0] == "portal"
        }
        assert inside <= PORTAL_GROUND_FLOOR, f"{module} (ground floor) imports {sorted(inside)}"


def test_no_runtime_app_imports_the_demo_or_the_dev_tools():
    edges, _ = import_edges()
    wrong = sorted(
        (a, b)
        for a, b in edges
        if b in TOP_APPS and not (a == "devtools" and b == "demo")  # the bench seeds the demo
    )
    assert not wrong, "Runtime apps import the top apps:\n" + _explain(edges, wrong)
