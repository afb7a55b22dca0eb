"""The API sits on top: it uses maps, directory, the observatory's rules and portal's ground
floor; nothing uses it (the observatory included: its results are published by the API, the
observatory knows nothing of the API)."""

from tests.test_architecture import PORTAL_GROUND_FLOOR, _explain, import_edges

# What the API may use of the observatory: its rules and models, not its pages or views.
OBSERVATORY_RULES = {"observatory.consolidation", "observatory.export", "observatory.models"}


def test_nothing_imports_the_api_and_it_uses_only_what_it_should():
    edges, imports = import_edges()
    users = sorted(pair for pair in edges if pair[1] == "opendata")
    assert not users, "Apps import the open-data API:\n" + _explain(edges, users)
    used_apps = {b for a, b in edges if a == "opendata"}
    assert used_apps <= {"maps", "directory", "observatory", "portal"}, used_apps
    portal = {module for module in imports["opendata"] if module.startswith("portal")}
    assert portal <= PORTAL_GROUND_FLOOR, portal
    observatory = {module for module in imports["opendata"] if module.startswith("observatory")}
    assert observatory <= OBSERVATORY_RULES, observatory
