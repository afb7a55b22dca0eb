from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Developer commands (the benchmarks behind `make bench`). Installed by the dev and test
    settings only: production never loads them."""

    name = "devtools"
