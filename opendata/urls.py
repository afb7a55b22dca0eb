"""`/api/v1/`: the operations (`opendata.api`), the OpenAPI description and, at the root, a
redirect to the documentation page."""

from django.urls import URLPattern, path

from opendata import views
from opendata.api import api
from opendata.http import json_not_allowed

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi_json, name="openapi"),
    path("", views.root, name="root"),
    *[
        URLPattern(url.pattern, json_not_allowed(url.callback), url.default_args, url.name)
        if isinstance(url, URLPattern)
        else url
        for url in api.urls[0]
    ],
]
