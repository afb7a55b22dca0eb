"""The API sits on top: it uses maps, directory and portal's ground floor; nothing uses it."""

from tests.test_architecture import PORTAL_GROUND_FLOOR, _explain, import_edges


def test_nothing_imports_the_api_and_it_uses_only_what_it_should():
    edges, imports = import_edges()
    users = sorted(pair for pair in edges if pair[1] == "opendata")
    assert not users, "Apps import the open-data API:\n" + _explain(edges, users)
    used_apps = {b for a, b in edges if a == "opendata"}
    assert used_apps <= {"maps", "directory", "portal"}, used_apps
    portal = {module for module in imports["opendata"] if module.startswith("portal")}
    assert portal <= PORTAL_GROUND_FLOOR, portal
