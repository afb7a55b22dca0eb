"""The project's own apps, as the structural tests see them."""

from pathlib import Path

from django.apps import apps
from django.conf import settings


def project_apps():
    """The installed apps whose code lives in this repository (not in the virtualenv):
    {top-level package name: folder}. A new app is covered as soon as it is installed."""
    base = Path(settings.BASE_DIR).resolve()
    found = {}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and not path.is_relative_to(base / ".venv"):
            found[config.name.split(".")[0]] = path
    return found


def app_folders():
    """Folders at the repository's top that hold a Django app (an `apps.py`), installed or
    not: a new app forgotten in INSTALLED_APPS is still found."""
    base = Path(settings.BASE_DIR).resolve()
    return {path.parent.name: path.parent for path in base.glob("*/apps.py")}
