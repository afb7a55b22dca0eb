from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo site (`manage.py seed_demo`): pages, news, results, guidance files and the demo
    directory with invented people. It sits above every other app and nothing imports it."""

    name = "demo"
